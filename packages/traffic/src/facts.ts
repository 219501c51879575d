import { parseMicros } from './money.js';
import { type Payload, int, object, oneOf, str, strOrNull, time } from './payload-fields.js';
import {
  COMPLIANCE_RULES,
  COMPLIANCE_VERDICTS,
  type ComplianceRule,
  type ComplianceVerdict,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type Direction,
  type Lane,
  SUBMIT_STATUSES,
  type SubmitStatus,
} from './records.js';

// The facts the ClickHouse tables should hold (contract §6.1), read straight from payloads:
// one DLR fact per sms.dlr.v1 event, one CDR fact per cdr.generated.v1 event, named as the
// ClickHouse epic names them (tenantId = accountId, mno = operatorId, status =
// deliveryStatus). No msisdn: it is personal data and never part of a fact.

const DIRECTIONS: readonly Direction[] = ['MT', 'MO'];
const LANES: readonly Lane[] = ['TRANSACTIONAL', 'PROMOTIONAL', 'OTP'];

/** What every fact shares. */
export interface FactBase {
  eventId: string;
  tenantId: string;
  mno: string;
  messageId: string;
  occurredAtMs: number;
  direction: Direction;
  lane: Lane;
  destinationPrefix: string;
}

export interface DlrFact extends FactBase {
  status: DeliveryStatus;
  /** null when the payload has null or no errorCode. */
  errorCode: string | null;
  latencyMs: number;
  submittedAtMs: number;
}

export interface CdrFact extends FactBase {
  senderId: string;
  segments: number;
  amountMicros: bigint;
  currency: string;
  submitStatus: SubmitStatus;
  esmeErrorCode: string | null;
  verdict: ComplianceVerdict;
  rule: ComplianceRule | null;
}

function base(e: Payload): FactBase {
  return {
    eventId: str(e, 'eventId'),
    tenantId: str(e, 'accountId'),
    mno: str(e, 'operatorId'),
    messageId: str(e, 'messageId'),
    occurredAtMs: time(e, 'occurredAt'),
    direction: oneOf(e, 'direction', DIRECTIONS),
    lane: oneOf(e, 'lane', LANES),
    destinationPrefix: str(e, 'destinationPrefix'),
  };
}

export function dlrFact(e: Payload): DlrFact {
  return {
    ...base(e),
    status: oneOf(e, 'deliveryStatus', DELIVERY_STATUSES),
    errorCode: strOrNull(e, 'errorCode'),
    latencyMs: int(e, 'latencyMs'),
    submittedAtMs: time(e, 'submittedAt'),
  };
}

export function cdrFact(e: Payload): CdrFact {
  const compliance = object(e, 'compliance');
  const rule = compliance['rule'] === null ? null : oneOf(compliance, 'rule', COMPLIANCE_RULES);
  // Required, though it may be null: unlike the DLR's errorCode, absent is not null here.
  if (!('esmeErrorCode' in e)) throw new Error('field esmeErrorCode is missing');
  return {
    ...base(e),
    senderId: str(e, 'senderId'),
    segments: int(e, 'segments'),
    amountMicros: parseMicros(str(e, 'amount')),
    currency: str(e, 'currency'),
    submitStatus: oneOf(e, 'submitStatus', SUBMIT_STATUSES),
    esmeErrorCode: strOrNull(e, 'esmeErrorCode'),
    verdict: oneOf(compliance, 'verdict', COMPLIANCE_VERDICTS),
    rule,
  };
}
