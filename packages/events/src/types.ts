import type {
  BillingStatus,
  ComplianceRule,
  ComplianceVerdict,
  DeliveryStatus,
  Direction,
  Lane,
  SubmitStatus,
} from './enums.js';

// Decoded events: only the contract's known fields, plus occurredAtMs. msisdn is personal
// data and is dropped here, at the edge, so nothing downstream can store, log or return it;
// unknown extra fields are dropped too (the contract says "allowed and ignored").

export interface BilledEvent {
  eventId: string;
  eventType: 'sms.billed.v1';
  /** As received; a valid RFC 3339 date-time (see date-time.ts for what is accepted). */
  occurredAt: string;
  /** occurredAt as epoch milliseconds: the event time that buckets are cut by (UTC). */
  occurredAtMs: number;
  messageId: string;
  accountId: string;
  operatorId: string;
  status: BillingStatus;
  segments: number;
  /** Exact decimal string, ≥ 0, ≤ 6 decimals; never parse it into a float. */
  amount: string;
  /** Always the settlement currency: decodeBilled rejects any other. */
  currency: string;
  direction: Direction;
  lane: Lane;
  destinationPrefix: string;
}

export interface DlrEvent {
  eventId: string;
  eventType: 'sms.dlr.v1';
  occurredAt: string;
  occurredAtMs: number;
  messageId: string;
  accountId: string;
  operatorId: string;
  deliveryStatus: DeliveryStatus;
  /** null when the payload has null or no errorCode (the contract: "null when delivered"). */
  errorCode: string | null;
  latencyMs: number;
  submittedAt: string;
  direction: Direction;
  lane: Lane;
  destinationPrefix: string;
}

export interface CdrEvent {
  eventId: string;
  eventType: 'cdr.generated.v1';
  /** The submit time, as received. */
  occurredAt: string;
  occurredAtMs: number;
  messageId: string;
  accountId: string;
  operatorId: string;
  direction: Direction;
  lane: Lane;
  destinationPrefix: string;
  senderId: string;
  segments: number;
  /** Exact decimal string, ≥ 0, ≤ 6 decimals; never parse it into a float. */
  amount: string;
  /** Always the settlement currency: decodeCdr rejects any other. */
  currency: string;
  submitStatus: SubmitStatus;
  /** The SMSC's SMPP command_status when it refused the submit; null when accepted. */
  esmeErrorCode: string | null;
  /** The compliance filter's verdict; `rule` is null when no rule decided it. */
  compliance: { verdict: ComplianceVerdict; rule: ComplianceRule | null };
}

/**
 * A decoder's verdict. Invalid events are an expected outcome (they go to the DLQ with the
 * reason), so they are returned, not thrown. `reason` names paths and rules only, never a
 * field value, so it is safe to log and to publish on the DLQ.
 */
export type DecodeResult<T> =
  { ok: true; event: T; payloadHash: Uint8Array } | { ok: false; reason: string };
