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
