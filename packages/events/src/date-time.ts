// RFC 3339 date-time, accepting exactly what ajv-formats 3.x accepts for "date-time" in its
// default (full) mode, because the contract's JSON Schemas are the reference and both
// validators must give the same verdict. Its quirks are deliberate, so they are kept:
//   - the date/time separator is `T`, `t` or any single whitespace character (RFC 3339 §5.6
//     allows a space "for readability"), and `Z` may be lowercase;
//   - the offset is required: `Z`, `±hh:mm`, `±hhmm` or `±hh` (hh ≤ 23, mm ≤ 59);
//   - any number of fractional-second digits;
//   - a leap second (`:60`) is allowed only when the instant is 23:59 UTC after applying
//     the offset (ajv's arithmetic, reproduced as is).
// Unlike Date.parse (which rejects `+03` and leap seconds), parseDateTime turns every
// accepted string into an instant, so "schema-valid" always implies "has an event time".

// One anchored regex instead of ajv's split + two regexes: neither the date nor the time
// part can contain `t` or whitespace, so "splits into exactly two parts" is implied.
const DATE_TIME =
  /^(\d\d\d\d)-(\d\d)-(\d\d)[t\s](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:(z)|([+-])(\d\d)(?::?(\d\d))?)$/i;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MS_PER_MINUTE = 60_000;
// 400 Gregorian years are exactly 146097 days; used to dodge Date.UTC's 0–99 → 19xx rule.
const MS_PER_400_YEARS = 146_097 * 86_400_000;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] ?? 0);
  return day <= max;
}

/**
 * Milliseconds since the epoch for an RFC 3339 date-time as ajv-formats accepts it, or
 * `undefined` when the string is not one. Fractional seconds beyond milliseconds are
 * truncated (as Date.parse does); a leap second is folded into the last millisecond of
 * its minute, which keeps it in the same UTC second/hour/day bucket.
 */
export function parseDateTime(str: string): number | undefined {
  const m = DATE_TIME.exec(str);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isCalendarDate(year, month, day)) return undefined;

  const hr = Number(m[4]);
  const min = Number(m[5]);
  const wholeSec = Number(m[6]);
  const fraction = m[7];
  const sign = m[9] === '-' ? -1 : 1;
  const tzH = m[8] !== undefined ? 0 : Number(m[10]);
  const tzM = m[8] !== undefined ? 0 : Number(m[11] ?? 0);
  if (tzH > 23 || tzM > 59) return undefined;

  let second = wholeSec;
  let ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (!(hr <= 23 && min <= 59 && wholeSec < 60)) {
    // ajv compares the seconds including their fraction against 61; with two whole
    // digits that is the same as wholeSec <= 60.
    const utcMin = min - tzM * sign;
    const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
    const atLastMinute = (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1);
    if (!atLastMinute || wholeSec > 60) return undefined;
    // Out-of-range hours/minutes that ajv lets through here roll over in Date.UTC.
    if (wholeSec === 60) {
      second = 59;
      ms = 999;
    }
  }

  const local = Date.UTC(year + 400, month - 1, day, hr, min, second, ms) - MS_PER_400_YEARS;
  return local - sign * (tzH * 60 + tzM) * MS_PER_MINUTE;
}

/** The "date-time" format check: true when parseDateTime yields an instant. */
export function isDateTime(str: string): boolean {
  return parseDateTime(str) !== undefined;
}
