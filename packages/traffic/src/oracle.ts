import { parseMicros } from './money.js';
import { int, str, time } from './payload-fields.js';
import {
  type OracleBucket,
  type OracleScope,
  type OracleWindow,
  bucketKey,
  emptyBucket,
  emptyTotals,
  mergeInto,
} from './oracle-bucket.js';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type Kind,
  type MessageClass,
  type TrafficMessage,
} from './records.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const decoder = new TextDecoder();

export type ClassCounts = Record<MessageClass, number>;
export interface OracleOptions {
  /** Keep every DLR latency per bucket for exact percentiles (default true). */
  keepLatencies?: boolean;
}

/**
 * The ground truth the end-to-end tests compare the service with. Deliberately naive and
 * independent of the production aggregation code: it trusts the generator's class labels,
 * keeps the first 'valid' message per eventId, re-parses every payload and adds up with
 * bigint. Memory per event: one eventId in a Set (+ one latency per DLR per scope).
 */
export class TrafficOracle {
  private readonly seen = new Set<string>();
  private readonly buckets = new Map<string, OracleBucket>();
  /** Billed events per UTC second of an hour, per PLATFORM/OPERATOR bucket key. */
  private readonly perSecond = new Map<string, Uint32Array>();
  private readonly codes = new Map<string, Map<string, number>>();
  private readonly maxAt: Record<Kind, number | null> = { billed: null, dlr: null, cdr: null };
  private readonly classes: Record<Kind, ClassCounts> = {
    billed: { valid: 0, duplicate: 0, conflict: 0, invalid: 0 },
    dlr: { valid: 0, duplicate: 0, conflict: 0, invalid: 0 },
    cdr: { valid: 0, duplicate: 0, conflict: 0, invalid: 0 },
  };
  private readonly keepLatencies: boolean;
  /** 'valid' messages ignored because their eventId had been seen already. */
  repeatsIgnored = 0;

  constructor(opts: OracleOptions = {}) {
    this.keepLatencies = opts.keepLatencies ?? true;
  }

  observe(m: TrafficMessage): void {
    this.classes[m.kind][m.class]++;
    if (m.class !== 'valid') return;
    if (m.eventId === null) throw new Error('a valid message has no eventId');
    if (this.seen.has(m.eventId)) {
      this.repeatsIgnored++;
      return;
    }
    this.seen.add(m.eventId);
    const e = JSON.parse(decoder.decode(m.data)) as Record<string, unknown>;
    if (e['eventId'] !== m.eventId)
      throw new Error(`eventId label ${m.eventId} differs from the payload`);
    if (m.kind === 'billed') this.foldBilled(e);
    else if (m.kind === 'dlr') this.foldDlr(e);
    // CDRs feed none of these aggregates (contract §3): only counted, and their event time
    // kept for maxOccurredAtMs. Their facts are FactsOracle's.
    else this.maxAt.cdr = Math.max(this.maxAt.cdr ?? -Infinity, time(e, 'occurredAt'));
  }

  /** All buckets, keyed `${scope}|${scopeId}|${hourMs}` (the live map: don't mutate it). */
  hourly(): Map<string, OracleBucket> {
    for (const [key, seconds] of this.perSecond) {
      let peak = 0;
      for (const n of seconds) if (n > peak) peak = n;
      this.buckets.get(key)!.peakTps = peak;
    }
    return this.buckets;
  }

  bucket(scope: OracleScope, scopeId: string, hourMs: number): OracleBucket | undefined {
    return this.hourly().get(bucketKey(scope, scopeId, hourMs));
  }

  /** Sum of the hours of [fromMs, toMs) (hour-aligned) for one scope; latencies sorted. */
  window(scope: OracleScope, scopeId: string, fromMs: number, toMs: number): OracleWindow {
    const acc = emptyTotals(scope, scopeId);
    for (const b of this.hourly().values()) {
      if (b.scope === scope && b.scopeId === scopeId && b.hourMs >= fromMs && b.hourMs < toMs)
        mergeInto(acc, b);
    }
    acc.latencies.sort((a, b) => a - b);
    return { ...acc, fromMs, toMs };
  }

  /** Distinct accounts with at least one BILLED event in the hours of [fromMs, toMs). */
  activeAccounts(fromMs: number, toMs: number): number {
    const ids = new Set<string>();
    for (const b of this.buckets.values()) {
      if (b.scope === 'ACCOUNT' && b.billed > 0 && b.hourMs >= fromMs && b.hourMs < toMs)
        ids.add(b.scopeId);
    }
    return ids.size;
  }

  /** Error-code counts of DLRs per `${operatorId}|${hourMs}` (the live map: don't mutate it). */
  errorCodes(): Map<string, Map<string, number>> {
    return this.codes;
  }

  /** billing.daily_totals as billing would have them: per UTC day, billed − refunded. */
  daily(): Map<number, { messages: number; costMicros: bigint }> {
    const out = new Map<number, { messages: number; costMicros: bigint }>();
    for (const b of this.buckets.values()) {
      if (b.scope !== 'PLATFORM') continue;
      const day = Math.floor(b.hourMs / DAY) * DAY;
      const d = out.get(day) ?? { messages: 0, costMicros: 0n };
      d.messages += b.totalMessages;
      d.costMicros += b.totalCostMicros;
      out.set(day, d);
    }
    return out;
  }

  /** The largest occurredAt among the valid events of a kind (what `dataAsOf` should reach). */
  maxOccurredAtMs(kind: Kind): number | null {
    return this.maxAt[kind];
  }

  /** Messages observed per kind and class label (every message, including ignored ones). */
  counts(): Record<Kind, ClassCounts> {
    const { billed, dlr, cdr } = this.classes;
    return { billed: { ...billed }, dlr: { ...dlr }, cdr: { ...cdr } };
  }

  private foldBilled(e: Record<string, unknown>): void {
    const at = time(e, 'occurredAt');
    const hourMs = Math.floor(at / HOUR) * HOUR;
    const status = str(e, 'status');
    if (status !== 'BILLED' && status !== 'REFUNDED') throw new Error(`bad status ${status}`);
    const sign = status === 'BILLED' ? 1 : -1;
    const amount = parseMicros(str(e, 'amount'));
    const segments = int(e, 'segments');
    const operatorId = str(e, 'operatorId');
    for (const [scope, id] of scopesOf(operatorId, str(e, 'accountId'))) {
      const b = this.bucketFor(scope, id, hourMs);
      if (sign > 0) b.billed++;
      else b.refunded++;
      b.totalMessages += sign;
      b.totalCostMicros += sign > 0 ? amount : -amount;
      b.segments += sign * segments;
      if (sign > 0 && scope !== 'ACCOUNT') {
        const key = bucketKey(scope, id, hourMs);
        let seconds = this.perSecond.get(key);
        if (seconds === undefined) this.perSecond.set(key, (seconds = new Uint32Array(3600)));
        seconds[Math.floor((at - hourMs) / 1000)]!++;
      }
    }
    this.maxAt.billed = Math.max(this.maxAt.billed ?? at, at);
  }

  private foldDlr(e: Record<string, unknown>): void {
    const at = time(e, 'occurredAt');
    const hourMs = Math.floor(at / HOUR) * HOUR;
    const status = str(e, 'deliveryStatus') as DeliveryStatus;
    if (!DELIVERY_STATUSES.includes(status)) throw new Error(`bad deliveryStatus ${status}`);
    const latency = int(e, 'latencyMs');
    const operatorId = str(e, 'operatorId');
    for (const [scope, id] of scopesOf(operatorId, str(e, 'accountId'))) {
      const b = this.bucketFor(scope, id, hourMs);
      b.dlr[status]++;
      b.latencyCount++;
      b.latencySumMs += latency;
      if (this.keepLatencies) b.latencies.push(latency);
    }
    const code = e['errorCode'];
    if (typeof code === 'string') {
      const key = `${operatorId}|${hourMs}`;
      let perCode = this.codes.get(key);
      if (perCode === undefined) this.codes.set(key, (perCode = new Map()));
      perCode.set(code, (perCode.get(code) ?? 0) + 1);
    }
    this.maxAt.dlr = Math.max(this.maxAt.dlr ?? at, at);
  }

  private bucketFor(scope: OracleScope, id: string, hourMs: number): OracleBucket {
    const key = bucketKey(scope, id, hourMs);
    let b = this.buckets.get(key);
    if (b === undefined) this.buckets.set(key, (b = emptyBucket(scope, id, hourMs)));
    return b;
  }
}

const scopesOf = (operatorId: string, accountId: string): [OracleScope, string][] => [
  ['PLATFORM', '*'],
  ['OPERATOR', operatorId],
  ['ACCOUNT', accountId],
];
