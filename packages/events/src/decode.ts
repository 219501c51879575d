import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parseDateTime } from './date-time.js';
import {
  BAD_OCCURRED_AT,
  describeErrors,
  hashLayout,
  parseJsonObject,
  payloadHash,
  wrongCurrency,
} from './decode-support.js';
import { BilledEventSchema, DlrEventSchema } from './schemas.js';
import type { BilledEvent, DecodeResult, DlrEvent } from './types.js';

// The consumers' hot path (~100k events/s): compile the checkers once, at module load, and
// keep the success path to one parse, one compiled check, one copy and one hash. The
// compiled code looks formats up in FormatRegistry at check time; schemas.js registers them.

const checkBilled = TypeCompiler.Compile(BilledEventSchema);
const checkDlr = TypeCompiler.Compile(DlrEventSchema);

const BILLED_FIELDS = hashLayout<BilledEvent>({
  eventId: true,
  eventType: true,
  occurredAt: true,
  messageId: true,
  accountId: true,
  operatorId: true,
  status: true,
  segments: true,
  amount: true,
  currency: true,
  direction: true,
  lane: true,
  destinationPrefix: true,
});

const DLR_FIELDS = hashLayout<DlrEvent>({
  eventId: true,
  eventType: true,
  occurredAt: true,
  messageId: true,
  accountId: true,
  operatorId: true,
  deliveryStatus: true,
  errorCode: true,
  latencyMs: true,
  submittedAt: true,
  direction: true,
  lane: true,
  destinationPrefix: true,
});

/**
 * Decodes one sms.billed.v1 message. Invalid when not UTF-8 JSON, not an object, not
 * schema-valid, or in a currency other than the deployment's settlement currency.
 */
export function decodeBilled(
  data: Uint8Array,
  settlementCurrency: string,
): DecodeResult<BilledEvent> {
  const parsed = parseJsonObject(data);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  if (!checkBilled.Check(p)) return { ok: false, reason: describeErrors(checkBilled, p) };
  if (p.currency !== settlementCurrency) return wrongCurrency(p.currency, settlementCurrency);
  const occurredAtMs = parseDateTime(p.occurredAt);
  if (occurredAtMs === undefined) return BAD_OCCURRED_AT;
  // Copied field by field: msisdn and unknown fields never reach the event.
  const event: BilledEvent = {
    eventId: p.eventId,
    eventType: p.eventType,
    occurredAt: p.occurredAt,
    occurredAtMs,
    messageId: p.messageId,
    accountId: p.accountId,
    operatorId: p.operatorId,
    status: p.status,
    segments: p.segments,
    amount: p.amount,
    currency: p.currency,
    direction: p.direction,
    lane: p.lane,
    destinationPrefix: p.destinationPrefix,
  };
  return { ok: true, event, payloadHash: payloadHash(event, BILLED_FIELDS) };
}

/** Decodes one sms.dlr.v1 message (subject sms.dlr.inbound). */
export function decodeDlr(data: Uint8Array): DecodeResult<DlrEvent> {
  const parsed = parseJsonObject(data);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  if (!checkDlr.Check(p)) return { ok: false, reason: describeErrors(checkDlr, p) };
  const occurredAtMs = parseDateTime(p.occurredAt);
  if (occurredAtMs === undefined) return BAD_OCCURRED_AT;
  const event: DlrEvent = {
    eventId: p.eventId,
    eventType: p.eventType,
    occurredAt: p.occurredAt,
    occurredAtMs,
    messageId: p.messageId,
    accountId: p.accountId,
    operatorId: p.operatorId,
    deliveryStatus: p.deliveryStatus,
    errorCode: p.errorCode ?? null,
    latencyMs: p.latencyMs,
    submittedAt: p.submittedAt,
    direction: p.direction,
    lane: p.lane,
    destinationPrefix: p.destinationPrefix,
  };
  return { ok: true, event, payloadHash: payloadHash(event, DLR_FIELDS) };
}
