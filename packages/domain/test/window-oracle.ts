// Naive, independent oracles for the window code: hours are enumerated one by one with
// Date's UTC getters/setters, calendar dates are checked by round-tripping through Date,
// and timestamps are formatted by hand. Nothing is shared with src/ beyond constants.
import { HOUR } from './arbitraries.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Start of the UTC hour containing `ms`, via Date's setters. */
function hourOf(ms: number): number {
  const d = new Date(ms);
  d.setUTCMinutes(0, 0, 0);
  return d.getTime();
}

/** YYYY-MM-DD of `ms` from Date's UTC getters (4-digit years only). */
export function oracleUtcDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Every hour start h with [h, h+1h) ∩ [from, to) non-empty, ascending. */
export function oracleHoursTouched(fromMs: number, toMs: number): number[] {
  const hours: number[] = [];
  for (let h = hourOf(fromMs); h < toMs; h += HOUR) hours.push(h);
  return hours;
}

/** The hours a plan reads: 24 per day plus every hour of every range, in plan order. */
export function oracleHoursOfPlan(plan: {
  days: string[];
  hourRanges: { fromMs: number; toMs: number }[];
}): number[] {
  const hours: number[] = [];
  for (const day of plan.days) {
    const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
    const midnight = new Date(0);
    midnight.setUTCFullYear(y, m - 1, d);
    for (let i = 0; i < 24; i++) hours.push(midnight.getTime() + i * HOUR);
  }
  for (const r of plan.hourRanges) for (let h = r.fromMs; h < r.toMs; h += HOUR) hours.push(h);
  return hours;
}

/** True when `ms` is the start of a UTC hour, by Date's getters. */
export function oracleIsHourStart(ms: number): boolean {
  const d = new Date(ms);
  return d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
}

/** True when y-m-d is a real Gregorian date: Date would roll an impossible one over. */
export function oracleIsCalendarDate(y: number, m: number, d: number): boolean {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** `ms` written as local time at `offsetMin` minutes east of UTC: 2026-…T13:30:00.000+03:00. */
export function withOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
