// Enumerations of contract §2. An unknown value makes an event invalid, so these lists are
// the single source for both the schemas and the domain code that switches over them.

export const BILLING_STATUSES = ['BILLED', 'REFUNDED'] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

export const DELIVERY_STATUSES = [
  'DELIVERED',
  'FAILED',
  'EXPIRED',
  'REJECTED',
  'UNDELIVERABLE',
  'UNKNOWN',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The statuses counted as `failedMessages` (contract §3). DELIVERED is the success case and
 * UNKNOWN counts in neither delivered nor failed (it only shows up in `byStatus`).
 */
export const FAILED_STATUSES: readonly DeliveryStatus[] = Object.freeze([
  'FAILED',
  'EXPIRED',
  'REJECTED',
  'UNDELIVERABLE',
] as const);

export const DIRECTIONS = ['MT', 'MO'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const LANES = ['TRANSACTIONAL', 'PROMOTIONAL', 'OTP'] as const;
export type Lane = (typeof LANES)[number];

/** cdr.generated.v1 `submitStatus`: how the operator's SMSC answered the submit. */
export const SUBMIT_STATUSES = ['ACCEPTED', 'REJECTED', 'THROTTLED'] as const;
export type SubmitStatus = (typeof SUBMIT_STATUSES)[number];

/** cdr.generated.v1 `compliance.verdict`: a BLOCKED message was never sent to the operator. */
export const COMPLIANCE_VERDICTS = ['ALLOWED', 'BLOCKED'] as const;
export type ComplianceVerdict = (typeof COMPLIANCE_VERDICTS)[number];

/**
 * cdr.generated.v1 `compliance.rule`: the rule that decided the verdict. The contract also
 * allows `null` (no rule applied), which is not listed here: it is not a rule, and code that
 * switches over the rules should have to handle "none" explicitly.
 */
export const COMPLIANCE_RULES = ['DND', 'OPT_OUT', 'SENDER_ID', 'CONTENT', 'QUIET_HOURS'] as const;
export type ComplianceRule = (typeof COMPLIANCE_RULES)[number];
