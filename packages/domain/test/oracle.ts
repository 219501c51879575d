// Deliberately naive, independent oracles: no code shared with src/ beyond constants.
// Money is split into integer and fraction parts as BigInt (never a JS number); hours come
// from Date's UTC setters; every bucket is recomputed by filtering the whole event list.
import { LogarithmicMapping } from '@datadog/sketches-js/dist/ddsketch/mapping/index.js';

export function oracleMicros(amount: string): bigint {
  const [int = '', frac = ''] = amount.split('.');
  const fracMicros = frac === '' ? 0n : BigInt(frac) * 10n ** BigInt(6 - frac.length);
  return BigInt(int) * 1_000_000n + fracMicros;
}

/** Decimal string of micros with 6 decimals, by slicing digits. */
export function oracleFormat(m: bigint): string {
  const digits = (m < 0n ? -m : m).toString().padStart(7, '0');
  return `${m < 0n ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

export function oracleHour(ms: number): number {
  const d = new Date(ms);
  d.setUTCMinutes(0, 0, 0);
  return d.getTime();
}

export function oracleSecond(ms: number): number {
  const d = new Date(ms);
  d.setUTCMilliseconds(0);
  return d.getTime();
}

export function oracleDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** Exact quantile: the element at index floor(q·(n−1)) of the sorted values. */
export function oracleQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const x = sorted[Math.floor(q * (values.length - 1))];
  if (x === undefined) throw new Error('empty');
  return x;
}

const mapping = new LogarithmicMapping(0.01);

/** The sketch as bins counted straight from the library mapping (0 → reserved key). */
export function oracleSketch(latencies: readonly number[]): Map<number, number> {
  const bins = new Map<number, number>();
  for (const x of latencies) {
    const key = x === 0 ? -1_000_000 : mapping.key(x);
    bins.set(key, (bins.get(key) ?? 0) + 1);
  }
  return bins;
}

/** The (scope, scopeId, event) rows every event contributes, one per scope. */
export function scopesOf<E extends { operatorId: string; accountId: string }>(
  e: E,
): Array<[scope: 'PLATFORM' | 'OPERATOR' | 'ACCOUNT', scopeId: string]> {
  return [
    ['PLATFORM', '*'],
    ['OPERATOR', e.operatorId],
    ['ACCOUNT', e.accountId],
  ];
}

/** Distinct values of `f` over `xs`, in first-seen order. */
export function distinct<T, K>(xs: readonly T[], f: (x: T) => K): K[] {
  const seen: K[] = [];
  for (const x of xs) {
    const k = f(x);
    if (!seen.some((s) => JSON.stringify(s) === JSON.stringify(k))) seen.push(k);
  }
  return seen;
}

export function codeUnitCompare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
