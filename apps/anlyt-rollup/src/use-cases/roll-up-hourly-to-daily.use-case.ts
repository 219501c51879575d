/**
 * RollUpHourlyToDailyUseCase (US-ANLYT-03): folds hourly buckets into daily ones for the
 * selected days, one day per transaction, and records the run. Runs hourly from a CronJob and
 * by hand with the same CLI. Idempotent: rolling a day replaces its rows.
 */
import type { CliArgs } from '../cli.js';

export interface DayRollup {
  day: string;
  metricsRows: number;
  operatorRows: number;
}

/** The port: the rollup's storage, implemented by @anlyt/pg. */
export interface RollupStore {
  markAbandonedRuns(olderThanSeconds: number): Promise<number>;
  startRun(runId: string, dryRun: boolean): Promise<void>;
  finishRun(
    runId: string,
    outcome: 'SUCCEEDED' | 'FAILED',
    days: readonly string[],
    error: string | null,
  ): Promise<void>;
  daysNeedingRollup(marginSeconds: number): Promise<string[]>;
  daysWithHourlyData(from: string, to: string): Promise<string[]>;
  rollUpDay(day: string, runId: string): Promise<DayRollup>;
  countHourlyRows(day: string): Promise<number>;
}

export type DayReport =
  | ({ kind: 'rolled'; durationMs: number } & DayRollup)
  | { kind: 'dry-run'; day: string; hourlyRows: number };

export interface RollupOutcome {
  runId: string;
  outcome: 'SUCCEEDED' | 'FAILED';
  days: string[];
  abandonedRuns: number;
  error: string | null;
}

export interface RollupDeps {
  store: RollupStore;
  newRunId: () => string;
  now: () => number;
  marginSeconds: number;
  abandonAfterSeconds: number;
  /** Called once per day, as soon as it is done (the app logs one line per day). */
  onDay: (r: DayReport) => void;
}

export class RollUpHourlyToDailyUseCase {
  constructor(private readonly d: RollupDeps) {}

  async execute(args: CliArgs): Promise<RollupOutcome> {
    const { store } = this.d;
    const runId = this.d.newRunId();
    const abandonedRuns = await store.markAbandonedRuns(this.d.abandonAfterSeconds);
    await store.startRun(runId, args.dryRun);
    const done: string[] = [];
    try {
      const days =
        args.selection.kind === 'changed'
          ? await store.daysNeedingRollup(this.d.marginSeconds)
          : await store.daysWithHourlyData(args.selection.from, args.selection.to);
      for (const day of days) {
        if (args.dryRun) {
          this.d.onDay({ kind: 'dry-run', day, hourlyRows: await store.countHourlyRows(day) });
          continue;
        }
        const t0 = this.d.now();
        const r = await store.rollUpDay(day, runId);
        done.push(day);
        this.d.onDay({ kind: 'rolled', durationMs: this.d.now() - t0, ...r });
      }
      await store.finishRun(runId, 'SUCCEEDED', done, null);
      return { runId, outcome: 'SUCCEEDED', days: done, abandonedRuns, error: null };
    } catch (err) {
      const error = String((err as Error)?.message ?? err).slice(0, 1000);
      await store.finishRun(runId, 'FAILED', done, error).catch(() => undefined);
      return { runId, outcome: 'FAILED', days: done, abandonedRuns, error };
    }
  }
}
