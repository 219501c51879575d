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
import { CdrEventSchema } from './schemas.js';
import type { CdrEvent, DecodeResult } from './types.js';

// The cdr.generated.v1 decoder, built like decodeBilled (decode.ts): one parse, one compiled
// check, one copy, one hash.

const checkCdr = TypeCompiler.Compile(CdrEventSchema);

const CDR_FIELDS = hashLayout<CdrEvent>({
  eventId: true,
  eventType: true,
  occurredAt: true,
  messageId: true,
  accountId: true,
  operatorId: true,
  direction: true,
  lane: true,
  destinationPrefix: true,
  senderId: true,
  segments: true,
  amount: true,
  currency: true,
  submitStatus: true,
  esmeErrorCode: true,
  compliance: true,
});

/**
 * Decodes one cdr.generated.v1 message. Invalid when not UTF-8 JSON, not an object, not
 * schema-valid, or in a currency other than the deployment's settlement currency.
 */
export function decodeCdr(data: Uint8Array, settlementCurrency: string): DecodeResult<CdrEvent> {
  const parsed = parseJsonObject(data);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  if (!checkCdr.Check(p)) return { ok: false, reason: describeErrors(checkCdr, p) };
  if (p.currency !== settlementCurrency) return wrongCurrency(p.currency, settlementCurrency);
  const occurredAtMs = parseDateTime(p.occurredAt);
  if (occurredAtMs === undefined) return BAD_OCCURRED_AT;
  // Copied field by field: msisdn and unknown fields never reach the event. compliance is
  // rebuilt too, in a fixed key order, so its hash does not depend on the payload's order.
  const event: CdrEvent = {
    eventId: p.eventId,
    eventType: p.eventType,
    occurredAt: p.occurredAt,
    occurredAtMs,
    messageId: p.messageId,
    accountId: p.accountId,
    operatorId: p.operatorId,
    direction: p.direction,
    lane: p.lane,
    destinationPrefix: p.destinationPrefix,
    senderId: p.senderId,
    segments: p.segments,
    amount: p.amount,
    currency: p.currency,
    submitStatus: p.submitStatus,
    esmeErrorCode: p.esmeErrorCode,
    compliance: { verdict: p.compliance.verdict, rule: p.compliance.rule },
  };
  return { ok: true, event, payloadHash: payloadHash(event, CDR_FIELDS) };
}
