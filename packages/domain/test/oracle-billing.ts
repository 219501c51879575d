// Naive oracles for foldBilling: each bucket recomputed by filtering the whole event list.
import type { BillingDeltas } from '../src/index.js';
import type { BilledEvent } from '../src/inputs.js';
import {
  codeUnitCompare as cmp,
  distinct,
  oracleHour,
  oracleMicros,
  oracleSecond,
  scopesOf,
} from './oracle.js';

/** Every bucket recomputed by filtering all events for its key; money via split parts. */
export function oracleBilling(es: readonly BilledEvent[]): BillingDeltas {
  const rows = es.flatMap((e) => scopesOf(e).map(([scope, scopeId]) => ({ scope, scopeId, e })));
  const keys = distinct(rows, (r) => [r.scope, r.scopeId, oracleHour(r.e.occurredAtMs)] as const);
  const buckets = keys.map(([scope, scopeId, hourMs]) => {
    const mine = rows
      .filter((r) => r.scope === scope && r.scopeId === scopeId)
      .filter((r) => oracleHour(r.e.occurredAtMs) === hourMs)
      .map((r) => r.e);
    const billed = mine.filter((e) => e.status === 'BILLED');
    const refunded = mine.filter((e) => e.status === 'REFUNDED');
    const sum = (xs: BilledEvent[]) => xs.reduce((a, e) => a + oracleMicros(e.amount), 0n);
    const segs = (xs: BilledEvent[]) => xs.reduce((a, e) => a + e.segments, 0);
    return {
      ...{ scope, scopeId, hourMs, billed: billed.length, refunded: refunded.length },
      ...{ costMicros: sum(billed) - sum(refunded), segments: segs(billed) - segs(refunded) },
    };
  });
  const billedRows = rows.filter((r) => r.e.status === 'BILLED' && r.scope !== 'ACCOUNT');
  const secKeys = distinct(billedRows, (r) => [r.scope, r.scopeId, oracleSecond(r.e.occurredAtMs)]);
  const seconds = secKeys.map(([scope, scopeId, secondMs]) => ({
    scope: scope as 'PLATFORM' | 'OPERATOR',
    scopeId: scopeId as string,
    secondMs: secondMs as number,
    billed: billedRows.filter(
      (r) =>
        r.scope === scope && r.scopeId === scopeId && oracleSecond(r.e.occurredAtMs) === secondMs,
    ).length,
  }));
  const times = es.map((e) => e.occurredAtMs);
  return {
    buckets: buckets.sort(
      (a, b) => cmp(a.scope, b.scope) || cmp(a.scopeId, b.scopeId) || a.hourMs - b.hourMs,
    ),
    seconds: seconds.sort(
      (a, b) => cmp(a.scope, b.scope) || cmp(a.scopeId, b.scopeId) || a.secondMs - b.secondMs,
    ),
    maxOccurredAtMs: times.length === 0 ? null : Math.max(...times),
  };
}

/** fold(a) + fold(b), computed naively: group the concatenated rows by key and sum. */
export function combineBilling(a: BillingDeltas, b: BillingDeltas): BillingDeltas {
  const byKey = new Map<string, BillingDeltas['buckets'][number]>();
  for (const d of [...a.buckets, ...b.buckets]) {
    const k = JSON.stringify([d.scope, d.scopeId, d.hourMs]);
    const acc = byKey.get(k);
    if (acc === undefined) byKey.set(k, { ...d });
    else {
      acc.billed += d.billed;
      acc.refunded += d.refunded;
      acc.costMicros += d.costMicros;
      acc.segments += d.segments;
    }
  }
  const secs = new Map<string, BillingDeltas['seconds'][number]>();
  for (const s of [...a.seconds, ...b.seconds]) {
    const k = JSON.stringify([s.scope, s.scopeId, s.secondMs]);
    const acc = secs.get(k);
    if (acc === undefined) secs.set(k, { ...s });
    else acc.billed += s.billed;
  }
  const maxes = [a.maxOccurredAtMs, b.maxOccurredAtMs].filter((x): x is number => x !== null);
  return {
    buckets: [...byKey.values()].sort(
      (x, y) => cmp(x.scope, y.scope) || cmp(x.scopeId, y.scopeId) || x.hourMs - y.hourMs,
    ),
    seconds: [...secs.values()].sort(
      (x, y) => cmp(x.scope, y.scope) || cmp(x.scopeId, y.scopeId) || x.secondMs - y.secondMs,
    ),
    maxOccurredAtMs: maxes.length === 0 ? null : Math.max(...maxes),
  };
}
