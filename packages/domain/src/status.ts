import type { DeliveryStatus } from './inputs.js';

export { DELIVERY_STATUSES } from '@anlyt/events';

/** DLR counts per final delivery status. Every status is always present (0 when none). */
export type StatusCounts = Record<DeliveryStatus, number>;

/** A fresh all-zero StatusCounts (a new object: callers increment it in place). */
export function emptyStatusCounts(): StatusCounts {
  return { DELIVERED: 0, FAILED: 0, EXPIRED: 0, REJECTED: 0, UNDELIVERABLE: 0, UNKNOWN: 0 };
}

/** Contract §3: delivered = DLRs with DELIVERED. */
export function deliveredOf(byStatus: StatusCounts): number {
  return byStatus.DELIVERED;
}

/**
 * Contract §3: failed = FAILED + EXPIRED + REJECTED + UNDELIVERABLE. UNKNOWN is in neither
 * delivered nor failed (so it never moves deliveryRate), but it is still in byStatus.
 */
export function failedOf(byStatus: StatusCounts): number {
  return byStatus.FAILED + byStatus.EXPIRED + byStatus.REJECTED + byStatus.UNDELIVERABLE;
}
