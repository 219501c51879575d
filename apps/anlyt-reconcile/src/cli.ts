/** Command-line arguments of anlyt-reconcile: which UTC days to reconcile. */
import { parseArgs } from 'node:util';
import { DAY_MS, dayStartMs } from '@anlyt/domain';

/** A longer range is almost certainly a typo (2025 for 2026), not a re-run anyone wants. */
const MAX_DAYS = 366;

export const USAGE = `usage: anlyt-reconcile [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD]
  --date D           reconcile one UTC day
  --from D --to D    reconcile every UTC day from D to D, both included (at most ${MAX_DAYS} days)
  (no arguments)     reconcile yesterday, UTC
exit status: 0 the run completed (DIVERGED days included), 1 an error, 2 bad arguments`;

export type CliResult = { days: string[] } | { help: true } | { error: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** YYYY-MM-DD that is a real calendar day (2026-02-30 is not) → UTC midnight in ms. */
function dayMs(s: string): number | null {
  if (!DATE.test(s)) return null;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s ? null : ms;
}
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Parses argv; `nowMs` decides "yesterday". Returns an error message instead of throwing. */
export function parseCli(argv: readonly string[], nowMs: number): CliResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  const { date, from, to, help } = values;
  if (help === true) return { help: true };
  if (date !== undefined) {
    if (from !== undefined || to !== undefined) return { error: '--date excludes --from/--to' };
    return dayMs(date) === null ? { error: `bad --date ${date}` } : { days: [date] };
  }
  if (from === undefined && to === undefined) {
    return { days: [isoDay(dayStartMs(nowMs) - DAY_MS)] };
  }
  if (from === undefined || to === undefined) return { error: '--from and --to go together' };
  const a = dayMs(from);
  const b = dayMs(to);
  if (a === null) return { error: `bad --from ${from}` };
  if (b === null) return { error: `bad --to ${to}` };
  if (a > b) return { error: `--from ${from} is after --to ${to}` };
  const n = (b - a) / DAY_MS + 1;
  if (n > MAX_DAYS) return { error: `--from/--to spans ${n} days; at most ${MAX_DAYS}` };
  return { days: Array.from({ length: n }, (_, i) => isoDay(a + i * DAY_MS)) };
}
