// Ceilings to the UTC hour/day, the counterparts of buckets.ts's floors. Shared by
// window.ts (widening the requested bounds) and window-plan.ts (finding whole days).
import { DAY_MS, HOUR_MS, dayStartMs, hourStartMs } from './buckets.js';

/** Smallest UTC hour boundary ≥ `ms` (an exact boundary is returned unchanged). */
export function hourCeilMs(ms: number): number {
  const floor = hourStartMs(ms);
  return floor === ms ? ms : floor + HOUR_MS;
}

/** Smallest UTC midnight ≥ `ms` (an exact midnight is returned unchanged). */
export function dayCeilMs(ms: number): number {
  const floor = dayStartMs(ms);
  return floor === ms ? ms : floor + DAY_MS;
}
