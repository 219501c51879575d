import { parseArgs } from 'node:util';

/** What to roll: explicit days, or the days whose hourly data changed (the default). */
export type Selection = { kind: 'changed' } | { kind: 'range'; from: string; to: string };

export interface CliArgs {
  selection: Selection;
  dryRun: boolean;
}

export const USAGE = `usage: anlyt-rollup [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--dry-run]
  (no date: every day whose hourly buckets changed since it was last rolled)`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (d: string) =>
  DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Parses argv; returns an error message instead of throwing. */
export function parseCli(argv: string[]): CliArgs | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  const dryRun = values['dry-run'] ?? false;
  const { date, from, to } = values;
  if (date !== undefined && (from !== undefined || to !== undefined))
    return { error: '--date excludes --from/--to' };
  if (date !== undefined) {
    return isRealDate(date)
      ? { selection: { kind: 'range', from: date, to: date }, dryRun }
      : { error: `bad --date ${date}` };
  }
  if ((from === undefined) !== (to === undefined)) return { error: '--from and --to go together' };
  if (from !== undefined && to !== undefined) {
    if (!isRealDate(from) || !isRealDate(to)) return { error: 'bad --from/--to date' };
    if (from > to) return { error: '--from is after --to' };
    return { selection: { kind: 'range', from, to }, dryRun };
  }
  return { selection: { kind: 'changed' }, dryRun };
}
