/**
 * What the panels should show, computed straight from @anlyt/traffic's FactsOracle facts (the
 * generator's ground truth, no production code): the same filters the dashboards apply — UTC
 * hour of occurredAt within the range (both ends inclusive, as `$__timeFilter(hour)`), MNO,
 * lanes, prefixes — and contract §3's definitions, written out here again on purpose. Money is
 * bigint micro-units throughout.
 */
import type { CdrFact, DlrFact, FactsOracle } from '@anlyt/traffic';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const FINAL = new Set(['DELIVERED', 'FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE']);

export interface Range {
  fromMs: number;
  toMs: number;
}

export interface Slice {
  mnos: readonly string[];
  lanes: readonly string[];
  /** null: every prefix ("All"). */
  prefixes: readonly string[] | null;
}

const hourS = (ms: number) => (ms - (ms % HOUR)) / 1000;
const inRange = (ms: number, r: Range) =>
  hourS(ms) >= Math.floor(r.fromMs / 1000) && hourS(ms) <= Math.floor(r.toMs / 1000);
const inSlice = (f: DlrFact | CdrFact, s: Slice) =>
  s.mnos.includes(f.mno) &&
  s.lanes.includes(f.lane) &&
  (s.prefixes === null || s.prefixes.includes(f.destinationPrefix));

/** Epoch second of the interval an instant falls in (intervals aligned on the epoch). */
export const bucketOf = (ms: number, intervalS: number) =>
  Math.floor(Math.floor(ms / 1000) / intervalS) * intervalS;

function countBy<T>(items: Iterable<T>, key: (t: T) => string | number, add: (t: T) => number) {
  const m = new Map<string | number, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + add(t));
  return m;
}

const dlrsIn = (o: FactsOracle, r: Range, s: Slice) =>
  [...o.dlrFacts().values()].filter((f) => inRange(f.occurredAtMs, r) && inSlice(f, s));
const cdrsIn = (o: FactsOracle, r: Range, s: Slice) =>
  [...o.cdrFacts().values()].filter((f) => inRange(f.occurredAtMs, r) && inSlice(f, s));

/** Per interval (of the DLR's hour): delivered and final DLRs. */
export function deliveryCounts(o: FactsOracle, r: Range, s: Slice, intervalS: number) {
  const facts = dlrsIn(o, r, s);
  const key = (f: DlrFact) => bucketOf(hourS(f.occurredAtMs) * 1000, intervalS);
  return {
    delivered: countBy(facts, key, (f) => (f.status === 'DELIVERED' ? 1 : 0)),
    finals: countBy(facts, key, (f) => (FINAL.has(f.status) ? 1 : 0)),
  };
}

/** Per interval: every DLR latency, ascending. */
export function latencies(o: FactsOracle, r: Range, s: Slice, intervalS: number) {
  const out = new Map<number, number[]>();
  for (const f of dlrsIn(o, r, s)) {
    const b = bucketOf(hourS(f.occurredAtMs) * 1000, intervalS);
    out.set(b, [...(out.get(b) ?? []), f.latencyMs]);
  }
  for (const l of out.values()) l.sort((x, y) => x - y);
  return out;
}

/** CDRs with an ESME error code, by `${interval}|${code}`. */
export function esmeErrorCounts(o: FactsOracle, r: Range, s: Slice, intervalS: number) {
  return countBy(
    cdrsIn(o, r, s).filter((f) => f.esmeErrorCode !== null),
    (f) => `${bucketOf(hourS(f.occurredAtMs) * 1000, intervalS)}|${f.esmeErrorCode}`,
    () => 1,
  );
}

/** Per interval, the largest Σ segments of sent MT CDRs within one second. */
export function peakSubmitsPerSecond(o: FactsOracle, r: Range, s: Slice, intervalS: number) {
  const perSecond = countBy(
    cdrsIn(o, r, s).filter((f) => f.direction === 'MT' && f.verdict !== 'BLOCKED'),
    (f) => Math.floor(f.occurredAtMs / 1000),
    (f) => f.segments,
  );
  const peak = new Map<number, number>();
  for (const [sec, n] of perSecond) {
    const b = bucketOf(Number(sec) * 1000, intervalS);
    peak.set(b, Math.max(peak.get(b) ?? 0, n));
  }
  return peak;
}

export interface MnoCost {
  costMicros: bigint;
  cdrs: number;
  delivered: number;
  finals: number;
}

/** Per MNO over whole UTC days [fromDayMs, toDayMs]: CDR cost and count, DLR counts. */
export function costAndQuality(o: FactsOracle, fromDayMs: number, toDayMs: number) {
  const inDays = (ms: number) => ms - (ms % DAY) >= fromDayMs && ms - (ms % DAY) <= toDayMs;
  const out = new Map<string, MnoCost>();
  const of = (mno: string) => {
    const e = out.get(mno) ?? { costMicros: 0n, cdrs: 0, delivered: 0, finals: 0 };
    out.set(mno, e);
    return e;
  };
  for (const f of o.cdrFacts().values()) {
    if (!inDays(f.occurredAtMs)) continue;
    const e = of(f.mno);
    e.costMicros += f.amountMicros;
    e.cdrs += 1;
  }
  for (const f of o.dlrFacts().values()) {
    if (!inDays(f.occurredAtMs)) continue;
    const e = of(f.mno);
    if (f.status === 'DELIVERED') e.delivered += 1;
    if (FINAL.has(f.status)) e.finals += 1;
  }
  return out;
}

/** MNOs with a DLR or CDR on the UTC days the range touches. */
export function mnosOn(o: FactsOracle, r: Range): string[] {
  const first = r.fromMs - (r.fromMs % DAY);
  const last = r.toMs - (r.toMs % DAY);
  const mnos = new Set<string>();
  for (const f of [...o.dlrFacts().values(), ...o.cdrFacts().values()]) {
    const day = f.occurredAtMs - (f.occurredAtMs % DAY);
    if (day >= first && day <= last) mnos.add(f.mno);
  }
  return [...mnos].sort();
}

/** Destination prefixes of DLRs in the range's last 24 hours. */
export function recentPrefixes(o: FactsOracle, r: Range): string[] {
  const since = Math.floor(r.toMs / 1000) - 86_400;
  const prefixes = new Set<string>();
  for (const f of o.dlrFacts().values())
    if (inRange(f.occurredAtMs, r) && hourS(f.occurredAtMs) >= since)
      prefixes.add(f.destinationPrefix);
  return [...prefixes].sort();
}
