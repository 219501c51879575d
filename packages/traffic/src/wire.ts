/**
 * Records → wire bytes: RFC 3339 timestamps, the JSON of each event kind (key order as in
 * the contract examples) and the slab the payloads are encoded into.
 */
import {
  type BilledRecord,
  type CdrRecord,
  type DlrRecord,
  type EventRecord,
  type Kind,
  type MessageClass,
  type TrafficMessage,
  subjectOf,
} from './records.js';

const DAY = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let isoDay = NaN;
let isoDayPrefix = '';

/**
 * Date#toISOString without the Date: it was 13% of generation time. The "YYYY-MM-DDT" prefix
 * is cached per UTC day (consecutive events nearly always share it).
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let r = ms - day * DAY;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return `${isoDayPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[r - sec * 1000]}Z`;
}

/**
 * Template strings instead of JSON.stringify: ~3x faster, and safe because every string field
 * is generated from [A-Za-z0-9_+.-] (no quote or backslash can occur). Key order follows the
 * contract examples.
 */
export function billedJson(r: BilledRecord): string {
  const f = r.facts;
  return (
    `{"eventId":"${r.eventId}","eventType":"sms.billed.v1","occurredAt":"${iso(r.occurredAtMs)}",` +
    `"messageId":"${f.messageId}","accountId":"${f.accountId}","operatorId":"${f.operatorId}",` +
    `"status":"${r.status}","segments":${f.segments},"amount":"${r.amount}","currency":"${r.currency}",` +
    `"direction":"${f.direction}","lane":"${f.lane}","destinationPrefix":"${f.destinationPrefix}",` +
    `"msisdn":"${f.msisdn}"}`
  );
}

export function dlrJson(r: DlrRecord): string {
  const f = r.facts;
  const code = r.errorCode === null ? 'null' : `"${r.errorCode}"`;
  return (
    `{"eventId":"${r.eventId}","eventType":"sms.dlr.v1","occurredAt":"${iso(r.occurredAtMs)}",` +
    `"messageId":"${f.messageId}","accountId":"${f.accountId}","operatorId":"${f.operatorId}",` +
    `"deliveryStatus":"${r.deliveryStatus}","errorCode":${code},"latencyMs":${r.latencyMs},` +
    `"submittedAt":"${iso(r.submittedAtMs)}","direction":"${f.direction}","lane":"${f.lane}",` +
    `"destinationPrefix":"${f.destinationPrefix}","msisdn":"${f.msisdn}"}`
  );
}

export function cdrJson(r: CdrRecord): string {
  const f = r.facts;
  const code = r.esmeErrorCode === null ? 'null' : `"${r.esmeErrorCode}"`;
  const rule = r.rule === null ? 'null' : `"${r.rule}"`;
  return (
    `{"eventId":"${r.eventId}","eventType":"cdr.generated.v1","occurredAt":"${iso(r.occurredAtMs)}",` +
    `"messageId":"${f.messageId}","accountId":"${f.accountId}","operatorId":"${f.operatorId}",` +
    `"direction":"${f.direction}","lane":"${f.lane}","destinationPrefix":"${f.destinationPrefix}",` +
    `"senderId":"${r.senderId}","segments":${f.segments},"amount":"${r.amount}",` +
    `"currency":"${r.currency}","submitStatus":"${r.submitStatus}","esmeErrorCode":${code},` +
    `"compliance":{"verdict":"${r.verdict}","rule":${rule}},"msisdn":"${f.msisdn}"}`
  );
}

export function recordJson(r: EventRecord): string {
  switch (r.kind) {
    case 'billed':
      return billedJson(r);
    case 'dlr':
      return dlrJson(r);
    case 'cdr':
      return cdrJson(r);
  }
}

const encoder = new TextEncoder();
const SLAB_BYTES = 256 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

/**
 * UTF-8 bytes as a view into a shared slab. One ArrayBuffer per payload made the garbage
 * collector ~40% of generation time; views into 256 KiB slabs cost a fraction of that. The
 * views are never written to after they are handed out.
 */
export function encode(text: string): Uint8Array {
  const worst = text.length * 3;
  if (SLAB_BYTES - slabUsed < worst) {
    slab = new Uint8Array(Math.max(SLAB_BYTES, worst));
    slabUsed = 0;
  }
  const { written } = encoder.encodeInto(text, slab.subarray(slabUsed));
  const view = slab.subarray(slabUsed, slabUsed + written);
  slabUsed += written;
  return view;
}

export function toMessage(r: EventRecord, cls: MessageClass = 'valid'): TrafficMessage {
  return {
    kind: r.kind,
    subject: subjectOf(r.kind),
    data: encode(recordJson(r)),
    eventId: r.eventId,
    class: cls,
  };
}

export function encodeText(
  kind: Kind,
  text: string,
  eventId: string | null,
  cls: MessageClass,
): TrafficMessage {
  return { kind, subject: subjectOf(kind), data: encode(text), eventId, class: cls };
}

/**
 * Micro-units → decimal string. `full` gives the 6-decimal form ("0.012500"), otherwise
 * trailing zeros are dropped ("0.0125", "1"): both are valid and the service must treat them
 * the same.
 */
export function formatAmount(micros: number, full: boolean): string {
  const whole = Math.floor(micros / 1_000_000);
  const frac = String(micros % 1_000_000).padStart(6, '0');
  if (full) return `${whole}.${frac}`;
  const trimmed = frac.replace(/0+$/, '');
  return trimmed === '' ? String(whole) : `${whole}.${trimmed}`;
}
