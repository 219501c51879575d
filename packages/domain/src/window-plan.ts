// Splitting a window into what the two rollups can serve: whole UTC days come from the
// daily rollup (one row per day instead of 24), the leftover hours at either end from the
// hourly buckets. Invariant (property-tested against an hour-by-hour oracle): the days'
// hours plus the ranges' hours are exactly the hours the window touches, each once.
import { DAY_MS, dayStartMs, hourStartMs } from './buckets.js';
import { dayCeilMs, hourCeilMs } from './window-align.js';
import type { TimeWindow } from './window.js';

export interface HourRange {
  fromMs: number;
  toMs: number;
}

export interface WindowPlan {
  /** Whole UTC days inside the window, as YYYY-MM-DD strings, ascending (may be empty). */
  days: string[];
  /**
   * The remaining parts of the window as hour-aligned half-open ranges [fromMs, toMs),
   * ascending, not overlapping the days. Never empty ranges, never two adjacent ones
   * (adjacent pieces are merged), so at most two: one before the days, one after.
   */
  hourRanges: HourRange[];
}

/** YYYY-MM-DD of the UTC day containing `ms` (ISO 8601 expanded years outside 0000–9999). */
export function utcDay(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/**
 * Plans the reads for [fromMs, toMs). The bounds are expected hour-aligned (parseWindow's
 * effective window is); unaligned bounds are widened to the hours they touch, the same
 * way, so the plan never silently drops a partial hour. An empty or inverted window gives
 * an empty plan. Cost is O(days); parseWindow caps windows at 90 days.
 */
export function planWindow(w: Pick<TimeWindow, 'fromMs' | 'toMs'>): WindowPlan {
  // Infinite bounds would make the day loop endless: that is a caller bug, not an outcome.
  if (!Number.isFinite(w.fromMs) || !Number.isFinite(w.toMs)) {
    throw new RangeError(`planWindow: bounds must be finite (${w.fromMs}, ${w.toMs})`);
  }
  const from = hourStartMs(w.fromMs);
  const to = hourCeilMs(w.toMs);
  if (from >= to) return { days: [], hourRanges: [] };

  const firstMidnight = dayCeilMs(from);
  const lastMidnight = dayStartMs(to);
  // No whole day fits: either the window sits inside one day, or it crosses a single
  // midnight with partial days on both sides. Either way one hourly read covers it.
  if (firstMidnight >= lastMidnight) return { days: [], hourRanges: [{ fromMs: from, toMs: to }] };

  const days: string[] = [];
  for (let d = firstMidnight; d < lastMidnight; d += DAY_MS) days.push(utcDay(d));
  const hourRanges: HourRange[] = [];
  if (from < firstMidnight) hourRanges.push({ fromMs: from, toMs: firstMidnight });
  if (lastMidnight < to) hourRanges.push({ fromMs: lastMidnight, toMs: to });
  return { days, hourRanges };
}
