/**
 * Event records (contracts/events/sms.billed.v1, sms.dlr.v1 and cdr.generated.v1) and the
 * messages they go out as; their JSON encoding is in wire.ts. The contract's subjects and
 * enumerations are restated here rather than imported from @anlyt/events, so that a mistake
 * there cannot hide in the traffic that tests it.
 */

export const BILLED_SUBJECT = 'billing.events.sms.billed.v1';
export const DLR_SUBJECT = 'sms.dlr.inbound';
export const CDR_SUBJECT = 'cdr.generated.v1';

export type Kind = 'billed' | 'dlr' | 'cdr';
export type MessageClass = 'valid' | 'duplicate' | 'conflict' | 'invalid';
export type Lane = 'TRANSACTIONAL' | 'PROMOTIONAL' | 'OTP';
export type Direction = 'MT' | 'MO';
export type BillingStatus = 'BILLED' | 'REFUNDED';
export type DeliveryStatus =
  'DELIVERED' | 'FAILED' | 'EXPIRED' | 'REJECTED' | 'UNDELIVERABLE' | 'UNKNOWN';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'DELIVERED',
  'FAILED',
  'EXPIRED',
  'REJECTED',
  'UNDELIVERABLE',
  'UNKNOWN',
];

export type SubmitStatus = 'ACCEPTED' | 'REJECTED' | 'THROTTLED';
export type ComplianceVerdict = 'ALLOWED' | 'BLOCKED';
export type ComplianceRule = 'DND' | 'OPT_OUT' | 'SENDER_ID' | 'CONTENT' | 'QUIET_HOURS';

export const SUBMIT_STATUSES: readonly SubmitStatus[] = ['ACCEPTED', 'REJECTED', 'THROTTLED'];
export const COMPLIANCE_VERDICTS: readonly ComplianceVerdict[] = ['ALLOWED', 'BLOCKED'];
export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  'DND',
  'OPT_OUT',
  'SENDER_ID',
  'CONTENT',
  'QUIET_HOURS',
];

/** One message on the wire, as the generator emits it. */
export interface TrafficMessage {
  kind: Kind;
  subject: string;
  /** UTF-8 payload (JSON, except for some invalid ones). A view into a shared slab: use
   *  byteOffset/byteLength, never `data.buffer` whole. */
  data: Uint8Array;
  /** The payload's eventId when it has a well-formed one; null for payloads without one. */
  eventId: string | null;
  class: MessageClass;
}

/** What the message is about; shared by its billed, refund, DLR and CDR events. */
export interface MessageFacts {
  messageId: string;
  accountId: string;
  operatorId: string;
  direction: Direction;
  lane: Lane;
  destinationPrefix: string;
  msisdn: string;
  segments: number;
  /** Billed amount in micro-units (an integer: exact as a JS number below 2^53). */
  amountMicros: number;
}

export interface BilledRecord {
  kind: 'billed';
  eventId: string;
  occurredAtMs: number;
  status: BillingStatus;
  amount: string;
  currency: string;
  facts: MessageFacts;
}

export interface DlrRecord {
  kind: 'dlr';
  eventId: string;
  occurredAtMs: number;
  submittedAtMs: number;
  deliveryStatus: DeliveryStatus;
  errorCode: string | null;
  latencyMs: number;
  facts: MessageFacts;
}

/**
 * The SMSC gateway's record of one submit. `amount` is the billed amount, or zero for a
 * message the compliance filter BLOCKED (it was never sent, so never billed).
 */
export interface CdrRecord {
  kind: 'cdr';
  eventId: string;
  /** The submit time: the billed event's occurredAt (and its DLR's submittedAt). */
  occurredAtMs: number;
  senderId: string;
  amount: string;
  currency: string;
  submitStatus: SubmitStatus;
  /** SMPP command_status of a refused submit; null when accepted or never submitted. */
  esmeErrorCode: string | null;
  verdict: ComplianceVerdict;
  rule: ComplianceRule | null;
  facts: MessageFacts;
}

export type EventRecord = BilledRecord | DlrRecord | CdrRecord;

const SUBJECTS: Record<Kind, string> = {
  billed: BILLED_SUBJECT,
  dlr: DLR_SUBJECT,
  cdr: CDR_SUBJECT,
};

export const subjectOf = (kind: Kind): string => SUBJECTS[kind];
