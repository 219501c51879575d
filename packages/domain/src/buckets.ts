// Bucket keys. Buckets are by event time in UTC (contract §2, DESIGN §2.4): an event that
// arrives hours or days late lands in the bucket of its own occurredAt, never "now".

/** The three aggregation scopes every event contributes to. */
export type Scope = 'PLATFORM' | 'OPERATOR' | 'ACCOUNT';

/** scopeId of the single PLATFORM bucket series (account/operator ids never contain '*'). */
export const PLATFORM_ID = '*';

export const SECOND_MS = 1_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// Epoch ms has no leap seconds and UTC has no offset, so the UTC floor is arithmetic.
// The double modulo is exact for every safe integer and floors negatives correctly
// (pre-1970 times are never valid events, but the function stays total).
function floorTo(ms: number, size: number): number {
  return ms - (((ms % size) + size) % size);
}

/** Start of the UTC second containing `ms`. */
export function secondStartMs(ms: number): number {
  return floorTo(ms, SECOND_MS);
}

/** Start of the UTC hour containing `ms`. */
export function hourStartMs(ms: number): number {
  return floorTo(ms, HOUR_MS);
}

/** Start of the UTC day (midnight) containing `ms`. */
export function dayStartMs(ms: number): number {
  return floorTo(ms, DAY_MS);
}
