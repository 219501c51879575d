import type { CdrFact, DlrFact } from './facts.js';
import type {
  ComplianceRule,
  ComplianceVerdict,
  DeliveryStatus,
  Direction,
  Lane,
  SubmitStatus,
} from './records.js';

// The rollups the ClickHouse epic keeps (contract §6.1), summed naively from the facts:
// hourly DLRs, daily CDRs, hourly compliance checks, each by UTC bucket of occurredAt and
// its dimensions. Every row carries its key fields; the map key is keyOf(row's key).

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DlrHourlyKey {
  hourMs: number;
  tenantId: string;
  mno: string;
  status: DeliveryStatus;
  lane: Lane;
  direction: Direction;
}

export interface DlrHourlyRow extends DlrHourlyKey {
  dlrs: number;
  /** bigint: exact however many latencies of up to 7 days are added. */
  latencySumMs: bigint;
  /** Every latency of the row, ascending (for exact percentiles). */
  latencies: number[];
}

export interface CdrDailyKey {
  dayMs: number;
  tenantId: string;
  mno: string;
  submitStatus: SubmitStatus;
  lane: Lane;
  direction: Direction;
}

export interface CdrDailyRow extends CdrDailyKey {
  cdrs: number;
  segments: number;
  costMicros: bigint;
  /** CDRs with a non-null esmeErrorCode. */
  esmeErrors: number;
}

export interface ComplianceHourlyKey {
  hourMs: number;
  tenantId: string;
  mno: string;
  verdict: ComplianceVerdict;
  rule: ComplianceRule | null;
  lane: Lane;
  direction: Direction;
}

export interface ComplianceHourlyRow extends ComplianceHourlyKey {
  checked: number;
}

// JSON of the key fields in a fixed order: unambiguous whatever the ids contain, and a null
// rule stays distinct from any rule name.
export const dlrHourlyKey = (k: DlrHourlyKey): string =>
  JSON.stringify([k.hourMs, k.tenantId, k.mno, k.status, k.lane, k.direction]);

export const cdrDailyKey = (k: CdrDailyKey): string =>
  JSON.stringify([k.dayMs, k.tenantId, k.mno, k.submitStatus, k.lane, k.direction]);

export const complianceHourlyKey = (k: ComplianceHourlyKey): string =>
  JSON.stringify([k.hourMs, k.tenantId, k.mno, k.verdict, k.rule, k.lane, k.direction]);

const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;

function rowFor<K, R extends K>(
  rows: Map<string, R>,
  key: K,
  keyOf: (k: K) => string,
  empty: () => R,
): R {
  const id = keyOf(key);
  let row = rows.get(id);
  if (row === undefined) rows.set(id, (row = empty()));
  return row;
}

export function dlrHourly(facts: Iterable<DlrFact>): Map<string, DlrHourlyRow> {
  return dlrRollup(facts, HOUR);
}

/** The same by UTC day (the daily DLR cube): `hourMs` is the day's first hour. */
export function dlrDaily(facts: Iterable<DlrFact>): Map<string, DlrHourlyRow> {
  return dlrRollup(facts, DAY);
}

function dlrRollup(facts: Iterable<DlrFact>, bucketMs: number): Map<string, DlrHourlyRow> {
  const rows = new Map<string, DlrHourlyRow>();
  for (const f of facts) {
    const key: DlrHourlyKey = {
      hourMs: floorTo(f.occurredAtMs, bucketMs),
      tenantId: f.tenantId,
      mno: f.mno,
      status: f.status,
      lane: f.lane,
      direction: f.direction,
    };
    const row = rowFor(rows, key, dlrHourlyKey, () => ({
      ...key,
      dlrs: 0,
      latencySumMs: 0n,
      latencies: [],
    }));
    row.dlrs++;
    row.latencySumMs += BigInt(f.latencyMs);
    row.latencies.push(f.latencyMs);
  }
  for (const row of rows.values()) row.latencies.sort((a, b) => a - b);
  return rows;
}

export function cdrDaily(facts: Iterable<CdrFact>): Map<string, CdrDailyRow> {
  const rows = new Map<string, CdrDailyRow>();
  for (const f of facts) {
    const key: CdrDailyKey = {
      dayMs: floorTo(f.occurredAtMs, DAY),
      tenantId: f.tenantId,
      mno: f.mno,
      submitStatus: f.submitStatus,
      lane: f.lane,
      direction: f.direction,
    };
    const row = rowFor(rows, key, cdrDailyKey, () => ({
      ...key,
      cdrs: 0,
      segments: 0,
      costMicros: 0n,
      esmeErrors: 0,
    }));
    row.cdrs++;
    row.segments += f.segments;
    row.costMicros += f.amountMicros;
    if (f.esmeErrorCode !== null) row.esmeErrors++;
  }
  return rows;
}

export function complianceHourly(facts: Iterable<CdrFact>): Map<string, ComplianceHourlyRow> {
  const rows = new Map<string, ComplianceHourlyRow>();
  for (const f of facts) {
    const key: ComplianceHourlyKey = {
      hourMs: floorTo(f.occurredAtMs, HOUR),
      tenantId: f.tenantId,
      mno: f.mno,
      verdict: f.verdict,
      rule: f.rule,
      lane: f.lane,
      direction: f.direction,
    };
    rowFor(rows, key, complianceHourlyKey, () => ({ ...key, checked: 0 })).checked++;
  }
  return rows;
}
