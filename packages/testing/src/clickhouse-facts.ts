/**
 * @anlyt/traffic facts as the rows anlyt-ingest writes to ClickHouse (the shape of
 * @anlyt/clickhouse's DlrFactRow / CdrFactRow, matched structurally: this package does not
 * depend on @anlyt/clickhouse). `seq` stands for the stream sequence and the payload hash.
 */
import type { CdrFact, DlrFact } from '@anlyt/traffic';

const HOUR = 3_600_000;
const hourText = (ms: number) =>
  new Date(ms - (ms % HOUR)).toISOString().slice(0, 19).replace('T', ' ');

export function dlrFactRow(f: DlrFact, seq: number) {
  return {
    eventId: f.eventId,
    tenantId: f.tenantId,
    hour: hourText(f.occurredAtMs),
    occurredAtMs: f.occurredAtMs,
    messageId: f.messageId,
    mno: f.mno,
    status: f.status as string,
    errorCode: f.errorCode,
    latencyMs: f.latencyMs,
    submittedAtMs: f.submittedAtMs,
    direction: f.direction as string,
    lane: f.lane as string,
    destinationPrefix: f.destinationPrefix,
    streamSeq: String(seq),
    payloadHash: String(seq),
  };
}

export function cdrFactRow(f: CdrFact, seq: number) {
  return {
    eventId: f.eventId,
    tenantId: f.tenantId,
    hour: hourText(f.occurredAtMs),
    occurredAtMs: f.occurredAtMs,
    messageId: f.messageId,
    mno: f.mno,
    direction: f.direction as string,
    lane: f.lane as string,
    destinationPrefix: f.destinationPrefix,
    senderId: f.senderId,
    segments: f.segments,
    amountMicros: String(f.amountMicros),
    currency: f.currency,
    submitStatus: f.submitStatus as string,
    esmeErrorCode: f.esmeErrorCode,
    verdict: f.verdict as string,
    rule: f.rule as string | null,
    streamSeq: String(seq),
    payloadHash: String(seq),
  };
}
