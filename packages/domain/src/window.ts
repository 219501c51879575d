// The API's `from`/`to` query parameters → a time window (contract §4). Pure: now is passed in.
//
// Rules (contract §4 and our decisions):
//   - A bound is an RFC 3339 date-time with `Z` or an offset, parsed by @anlyt/events'
//     parseDateTime (the same strict parser, quirks included, as the event schemas:
//     `+03:00`, `+0300`, `+03`, lowercase `t`/`z`), or a real calendar date `YYYY-MM-DD`
//     in UTC (2028-02-29 yes, 2026-02-30 no).
//   - Half-open [from, to). A date-only `from` is that day's 00:00Z; a date-only `to` is the
//     END of that day (the next day's 00:00Z), so `to=2026-11-30` includes all of 30 Nov and
//     `from=D&to=D` is the whole of day D.
//   - Neither given → today: [UTC midnight of now, now). At exactly midnight that window is
//     empty; it is still ok (the caller asked nothing wrong), it just covers no hours.
//   - Only `from` → to = now. Only `to` → INVALID_WINDOW ("from is required when to is
//     given"): no start is implied by an end alone, and "today" would not contain a past
//     `to`, so we refuse rather than guess.
//   - A present but unparseable value (including the empty string of `?from=`) →
//     INVALID_WINDOW naming the parameter; at most 40 characters of the input are echoed.
//   - Every bound (a date-only `to` being the next midnight) must lie in
//     [1970-01-01T00:00:00Z, 9999-12-31T23:00:00Z], else INVALID_WINDOW: see
//     MIN_BOUND_MS / MAX_BOUND_MS below and docs/decisions.md "Window bounds".
//   - from ≥ to → INVALID_WINDOW. Longer than MAX_WINDOW_DAYS, measured on the REQUESTED
//     bounds → INVALID_WINDOW "window is N days; the maximum is 90" (N rounded up).
//   - Aggregates are hourly, so the effective window [fromMs, toMs) is widened to whole UTC
//     hours: from floored, to ceiled (an exact boundary stays). It may thus exceed 90 days
//     by under 2 h. The requested bounds are echoed (requestedFrom/To) beside the effective
//     ones so the widening is visible to the caller, never silent.
import { parseDateTime } from '@anlyt/events';
import { DAY_MS, dayStartMs, hourStartMs } from './buckets.js';
import { hourCeilMs } from './window-align.js';

export const MAX_WINDOW_DAYS = 90;

export interface TimeWindow {
  /** Effective half-open window [fromMs, toMs), aligned to UTC hours (see above). */
  fromMs: number;
  toMs: number;
  /** As the caller asked, normalised to RFC 3339 UTC with ms ('Z'): echoed in responses. */
  requestedFrom: string;
  requestedTo: string;
}

export type WindowResult =
  { ok: true; window: TimeWindow } | { ok: false; code: 'INVALID_WINDOW'; detail: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ECHO_CHARS = 40;

/**
 * The earliest and latest bound a window may have: 1970-01-01T00:00:00Z (the Unix epoch; no
 * SMS event is older, and every instant stays a non-negative ms count) and
 * 9999-12-31T23:00:00Z (the last bound that no widening moves out of year 9999: to whole
 * hours here, to 1m/5m/1h steps in the throughput route). Inside, every bound, widened bound
 * and day is a 4-digit-year RFC 3339 / YYYY-MM-DD text that PostgreSQL's date and timestamptz
 * accept. Outside it would not be: year 0000 does not exist for PostgreSQL (22008, an HTTP
 * 500), years past 9999 have no RFC 3339 form. So they are refused here, before any SQL.
 */
export const MIN_BOUND_MS = 0;
export const MAX_BOUND_MS = 253_402_297_200_000;
const RANGE_TEXT = '1970-01-01T00:00:00Z to 9999-12-31T23:00:00Z';

type Bound = { ok: true; ms: number } | { ok: false; detail: string };

function invalid(detail: string): WindowResult {
  return { ok: false, code: 'INVALID_WINDOW', detail };
}

/** The first 40 code points, JSON-quoted so control characters cannot forge the message. */
function echo(input: string): string {
  const chars = Array.from(input);
  const cut = chars.slice(0, MAX_ECHO_CHARS).join('');
  return JSON.stringify(cut) + (chars.length > MAX_ECHO_CHARS ? '…' : '');
}

function parseBound(name: 'from' | 'to', value: string): Bound {
  let ms: number | undefined;
  if (DATE_ONLY.test(value)) {
    // Reusing the date-time parser validates the calendar date (and years < 100, which
    // Date.UTC would map to 19xx). A date-only `to` is the end of its day.
    const start = parseDateTime(`${value}T00:00:00Z`);
    ms = start === undefined || name === 'from' ? start : start + DAY_MS;
  } else {
    ms = parseDateTime(value);
  }
  if (ms === undefined) {
    return {
      ok: false,
      detail: `${name} is not an RFC 3339 date-time or a YYYY-MM-DD date: ${echo(value)}`,
    };
  }
  if (ms < MIN_BOUND_MS || ms > MAX_BOUND_MS) {
    // A date-only `to` is the next midnight: say so, or "to=9999-12-31" would look in range.
    const note =
      name === 'to' && DATE_ONLY.test(value) ? ' (a date-only to ends at the next midnight)' : '';
    return {
      ok: false,
      detail: `${name} is outside ${RANGE_TEXT}${note}: ${echo(value)}`,
    };
  }
  return { ok: true, ms };
}

/**
 * Parses the `from`/`to` query parameters against the clock reading `nowMs`. `maxDays` is
 * MAX_WINDOW_DAYS for the EP-ANLYT-01 routes; the query DSL allows 366 (contract §6.2).
 */
export function parseWindow(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
  maxDays = MAX_WINDOW_DAYS,
): WindowResult {
  if (from === undefined && to !== undefined) return invalid('from is required when to is given');

  let fromMs = dayStartMs(nowMs);
  let toMs = nowMs;
  if (from !== undefined) {
    const f = parseBound('from', from);
    if (!f.ok) return invalid(f.detail);
    fromMs = f.ms;
    if (to !== undefined) {
      const t = parseBound('to', to);
      if (!t.ok) return invalid(t.detail);
      toMs = t.ms;
    }
    if (fromMs >= toMs) {
      const iso = (ms: number) => new Date(ms).toISOString();
      const toWhat = to === undefined ? 'now' : 'to';
      return invalid(`from (${iso(fromMs)}) must be before ${toWhat} (${iso(toMs)})`);
    }
  }

  const length = toMs - fromMs;
  if (length > maxDays * DAY_MS) {
    const days = Math.ceil(length / DAY_MS);
    return invalid(`window is ${days} days; the maximum is ${maxDays}`);
  }

  return {
    ok: true,
    window: {
      fromMs: hourStartMs(fromMs),
      toMs: hourCeilMs(toMs),
      requestedFrom: new Date(fromMs).toISOString(),
      requestedTo: new Date(toMs).toISOString(),
    },
  };
}
