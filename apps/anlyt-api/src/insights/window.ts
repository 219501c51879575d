/**
 * The insights' window (contract §4 and §6.5): pure, now passed in.
 * - from/to as every route takes them (RFC 3339 or YYYY-MM-DD, UTC, half-open, a date-only
 *   `to` is the end of that day; `to` without `from`, from ≥ to, or more than 90 days on the
 *   requested bounds → INVALID_WINDOW), parsed by @anlyt/domain's parseWindow.
 * - Default: the last 7 days — today (so far) and the 6 UTC days before it.
 * - The effective window is widened outward to whole UTC days: delivery counts come from the
 *   daily cubes, and an MNO counts as "used" in the window when the tenant had a DLR or CDR on
 *   it on one of its days. The requested bounds are echoed beside the effective ones.
 */
import { DAY_MS, dayStartMs, parseWindow } from '@anlyt/domain';

export const INSIGHTS_MAX_DAYS = 90;
export const INSIGHTS_DEFAULT_DAYS = 7;

/**
 * The latest bound parseWindow accepts (@anlyt/domain's MAX_BOUND_MS). A day-widened end past
 * it would fall in year 10000, which has no RFC 3339 form, so the effective end stops there
 * (there is no data so far out: ClickHouse's DateTime ends in 2106).
 */
const LATEST_MS = Date.UTC(9999, 11, 31, 23);

export interface DayWindow {
  /** Effective [fromMs, toMs): whole UTC days (the very end of year 9999 aside, see above). */
  fromMs: number;
  toMs: number;
  /** As asked, RFC 3339 UTC with ms: echoed. */
  requestedFrom: string;
  requestedTo: string;
}

export type DayWindowResult = { ok: true; window: DayWindow } | { ok: false; detail: string };

export function insightsWindow(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
): DayWindowResult {
  const start =
    from === undefined && to === undefined
      ? new Date(dayStartMs(nowMs) - (INSIGHTS_DEFAULT_DAYS - 1) * DAY_MS).toISOString()
      : from;
  const r = parseWindow(start, to, nowMs, INSIGHTS_MAX_DAYS);
  if (!r.ok) return { ok: false, detail: r.detail };
  const w = r.window;
  const toDay = dayStartMs(w.toMs) === w.toMs ? w.toMs : dayStartMs(w.toMs) + DAY_MS;
  return {
    ok: true,
    window: {
      fromMs: dayStartMs(w.fromMs),
      toMs: Math.min(toDay, LATEST_MS),
      requestedFrom: w.requestedFrom,
      requestedTo: w.requestedTo,
    },
  };
}
