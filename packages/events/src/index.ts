// @anlyt/events: the event contracts (contract §1–2) as code. Subjects and stream defaults,
// enumerations, TypeBox schemas and the decoders the consumers run on every message.
// No I/O: nothing here connects, reads config or logs.

export { SUBJECTS, STREAMS } from './subjects.js';
export type { SubjectKey, StreamKey } from './subjects.js';
export {
  BILLING_STATUSES,
  DELIVERY_STATUSES,
  FAILED_STATUSES,
  DIRECTIONS,
  LANES,
  SUBMIT_STATUSES,
  COMPLIANCE_VERDICTS,
  COMPLIANCE_RULES,
} from './enums.js';
export type {
  BillingStatus,
  DeliveryStatus,
  Direction,
  Lane,
  SubmitStatus,
  ComplianceVerdict,
  ComplianceRule,
} from './enums.js';
export {
  BilledEventSchema,
  DlrEventSchema,
  CdrEventSchema,
  UUID_PATTERN,
  ID_PATTERN,
  AMOUNT_PATTERN,
  CURRENCY_PATTERN,
  DESTINATION_PREFIX_PATTERN,
  MSISDN_PATTERN,
} from './schemas.js';
export { parseDateTime, isDateTime } from './date-time.js';
export { isUuid, registerEventFormats } from './formats.js';
export type { BilledEvent, DlrEvent, CdrEvent, DecodeResult } from './types.js';
export { decodeBilled, decodeDlr } from './decode.js';
export { decodeCdr } from './decode-cdr.js';
