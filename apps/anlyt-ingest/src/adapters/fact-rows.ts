/**
 * Contract events → fact rows (contract §6.1): tenantId = accountId, mno = operatorId,
 * status = deliveryStatus, money as Int64 micro-units, instants as epoch ms next to their UTC
 * hour. msisdn never gets here (the decoders drop it). An event the tables cannot hold
 * exactly — a time outside ClickHouse's DateTime range, an amount beyond Int64 micro-units —
 * is invalid rather than stored wrong.
 */
import type { CdrFactRow, DlrFactRow } from '@anlyt/clickhouse';
import { parseMicros } from '@anlyt/domain';
import { decodeCdr, decodeDlr, parseDateTime } from '@anlyt/events';
import type { FactOf } from '../use-cases/ports.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** DateTime is a UInt32 of seconds: 1970-01-01 … 2106-02-07. */
const MAX_DATETIME_MS = 4_294_967_295_000;
const INT64_MAX = 9_223_372_036_854_775_807n;

/** 'YYYY-MM-DD hh:00:00', the UTC hour, as a DateTime('UTC') column reads it. */
const hourText = (hourMs: number) =>
  new Date(hourMs).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';

/** The first 8 bytes of the payload hash as the unsigned decimal a UInt64 column takes. */
export function hashColumn(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, 8).readBigUInt64BE().toString();
}

/** A UInt64 column's decimal back to the 8 bytes it came from. */
export function hashBytes(column: string): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(column));
  return new Uint8Array(b);
}

function place(eventId: string, accountId: string, occurredAtMs: number) {
  const hourMs = occurredAtMs - (occurredAtMs % HOUR_MS);
  return {
    key: { eventId, tenantId: accountId, hourMs },
    dayMs: occurredAtMs - (occurredAtMs % DAY_MS),
    hour: hourText(hourMs),
  };
}

const outOfRange = (ms: number) => !(ms >= 0 && ms < MAX_DATETIME_MS);
const TIME_RANGE = 'outside the fact tables\u2019 time range (1970-01-01 … 2106-02-07 UTC)';

export function dlrFact(data: Uint8Array): FactOf<DlrFactRow> {
  const r = decodeDlr(data);
  if (!r.ok) return r;
  const e = r.event;
  const submittedAtMs = parseDateTime(e.submittedAt) ?? NaN;
  if (outOfRange(e.occurredAtMs)) return { ok: false, reason: `occurredAt ${TIME_RANGE}` };
  if (outOfRange(submittedAtMs)) return { ok: false, reason: `submittedAt ${TIME_RANGE}` };
  const p = place(e.eventId, e.accountId, e.occurredAtMs);
  const payloadHash = r.payloadHash.subarray(0, 8);
  const row: DlrFactRow = {
    eventId: e.eventId,
    tenantId: e.accountId,
    hour: p.hour,
    occurredAtMs: e.occurredAtMs,
    messageId: e.messageId,
    mno: e.operatorId,
    status: e.deliveryStatus,
    errorCode: e.errorCode,
    latencyMs: e.latencyMs,
    submittedAtMs,
    direction: e.direction,
    lane: e.lane,
    destinationPrefix: e.destinationPrefix,
    streamSeq: '0',
    payloadHash: hashColumn(payloadHash),
  };
  return {
    ok: true,
    fact: { key: p.key, dayMs: p.dayMs, occurredAtMs: e.occurredAtMs, payloadHash, row },
  };
}

export function cdrFact(data: Uint8Array, currency: string): FactOf<CdrFactRow> {
  const r = decodeCdr(data, currency);
  if (!r.ok) return r;
  const e = r.event;
  if (outOfRange(e.occurredAtMs)) return { ok: false, reason: `occurredAt ${TIME_RANGE}` };
  const micros = parseMicros(e.amount);
  if (micros > INT64_MAX)
    return { ok: false, reason: 'amount: above the fact table\u2019s Int64 micro-unit range' };
  const p = place(e.eventId, e.accountId, e.occurredAtMs);
  const payloadHash = r.payloadHash.subarray(0, 8);
  const row: CdrFactRow = {
    eventId: e.eventId,
    tenantId: e.accountId,
    hour: p.hour,
    occurredAtMs: e.occurredAtMs,
    messageId: e.messageId,
    mno: e.operatorId,
    direction: e.direction,
    lane: e.lane,
    destinationPrefix: e.destinationPrefix,
    senderId: e.senderId,
    segments: e.segments,
    amountMicros: micros.toString(),
    currency: e.currency,
    submitStatus: e.submitStatus,
    esmeErrorCode: e.esmeErrorCode,
    verdict: e.compliance.verdict,
    rule: e.compliance.rule,
    streamSeq: '0',
    payloadHash: hashColumn(payloadHash),
  };
  return {
    ok: true,
    fact: { key: p.key, dayMs: p.dayMs, occurredAtMs: e.occurredAtMs, payloadHash, row },
  };
}
