// Relative divergence between analytics and billing totals, decided exactly (US-ANLYT-09).
//
// divergence = |analytics − billing| / |billing|, kept as a fraction of two bigints. Money
// arrives as integer micro-units and counts as integers: both sides share the unit, so the
// ratio needs no scaling. The verdict "divergence > threshold" is a cross-multiplication of
// integers, never a float and never the rounded string that is stored: at 0.01 % a double
// cannot tell 0.0001 from 0.0001 + 1e-20, and a total of 10^14 units in micros is 10^20.

import { MICROS_PER_UNIT } from './money.js';

/** An exact non-negative fraction num/den with den > 0 (not necessarily reduced). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** The alert threshold of AC2: 0.01 %. */
export const DEFAULT_DIVERGENCE_THRESHOLD = '0.0001';

/** Decimal places of a stored divergence (and the most a threshold may have, see below). */
export const DIVERGENCE_PLACES = 12;

/** A string that is not a decimal this module accepts. Not retryable: the input is bad. */
export class DecimalError extends Error {
  readonly code = 'INVALID_DECIMAL';
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly input: string,
  ) {
    super(`not a ${what}: ${JSON.stringify(input.slice(0, 60))}`);
    this.name = 'DecimalError';
  }
}

// At most DIVERGENCE_PLACES decimals, so the threshold is itself a stored-precision value:
// then (stored divergence > threshold) agrees with the exact verdict, because the stored
// value is rounded up (see formatDivergence).
const THRESHOLD_RE = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,12}))?$/;

/** "0.0001" → 1/10000. Non-negative, plain decimal notation, ≤ 12 decimals. */
export function parseThreshold(s: string): Ratio {
  const m = THRESHOLD_RE.exec(s);
  if (m === null) throw new DecimalError('threshold (a decimal ≥ 0, at most 12 decimals)', s);
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) };
}

// A day's total is a sum, not a contract amount, so parseMicros (≥ 0, ≤ 14 integer digits)
// does not fit: refunds of messages billed on an earlier day can make a day negative, and
// anlyt's numeric(38,6) holds 32 integer digits. This is Postgres' numeric::text form.
const TOTAL_RE = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,6}))?$/;

/** A signed decimal total with ≤ 6 decimals ("-12.500000") → micros. Throws DecimalError. */
export function parseTotalMicros(s: string): bigint {
  const m = TOTAL_RE.exec(s);
  if (m === null) throw new DecimalError('money total', s);
  const abs = BigInt(m[2]!) * MICROS_PER_UNIT + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] === '-' ? -abs : abs;
}

const COUNT_RE = /^-?(0|[1-9][0-9]*)$/;

/** A signed integer count as Postgres prints a bigint ("-3", "120") → bigint. */
export function parseCount(s: string): bigint {
  if (!COUNT_RE.test(s)) throw new DecimalError('count', s);
  return BigInt(s);
}

const abs = (x: bigint) => (x < 0n ? -x : x);

/**
 * |analytics − billing| / |billing|, exactly. Both in the same unit (micros, or messages).
 * billing = 0: 0 when analytics is 0 too, else null (undefined; counts as diverged).
 * A negative billing total (more refunded than billed that day) divides by its magnitude.
 */
export function divergence(analytics: bigint, billing: bigint): Ratio | null {
  if (billing === 0n) return analytics === 0n ? { num: 0n, den: 1n } : null;
  return { num: abs(analytics - billing), den: abs(billing) };
}

/**
 * The verdict: divergence > threshold, strictly (exactly 0.01 % is not a divergence).
 * An undefined divergence (null) always exceeds. a/b > c/d ⟺ a·d > c·b for b, d > 0.
 */
export function exceedsThreshold(d: Ratio | null, threshold: Ratio): boolean {
  if (d === null) return true;
  return d.num * threshold.den > threshold.num * d.den;
}

/**
 * The divergence as a decimal string with `places` decimals, for storage and logs only.
 * Rounded UP (toward +∞): a stored value never understates a divergence, and for a threshold
 * with ≤ `places` decimals, stored > threshold exactly when the exact verdict is "diverged".
 * The verdict is still always taken from exceedsThreshold, never from this string.
 */
export function formatDivergence(d: Ratio, places: number = DIVERGENCE_PLACES): string {
  if (!Number.isInteger(places) || places < 1) throw new RangeError('places must be ≥ 1');
  const scale = 10n ** BigInt(places);
  const scaled = (d.num * scale + d.den - 1n) / d.den; // ceil for num ≥ 0, den > 0
  const int = scaled / scale;
  const frac = (scaled % scale).toString().padStart(places, '0');
  return `${int}.${frac}`;
}
