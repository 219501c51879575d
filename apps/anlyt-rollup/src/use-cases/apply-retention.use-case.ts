/**
 * ApplyRetentionUseCase (US-ANLYT-08, issue 13; docs/retention.md): run by the hourly rollup
 * CronJob after it has rolled. Keeps the partitions of every partitioned table made ahead,
 * drops the partitions that lie wholly before their table's retention, deletes the ledger's
 * expired rows in small chunks, and trims the bookkeeping tables.
 *
 * Cutoffs are aligned down to the start of the partition holding (now − retention): everything
 * before the cutoff is gone, everything from it is whole. So a table keeps between its
 * retention and one partition more, and no day is ever half-kept (an answer is either the same
 * as before or, for a day wholly before the cutoff, empty). Hourly partitions are dropped only
 * when every day before their cutoff has been rolled into its daily rows: the daily history must
 * never lose a day the rollup has not seen.
 */

export type Granularity = 'day' | 'month';

export interface RetentionDays {
  /** The processed-events ledger: at least the streams' 7 days plus the longest lag. */
  ledger: number;
  tpsSeconds: number;
  /** metrics_hourly, operator_performance, tps_minutes. */
  hourly: number;
  /** metrics_daily, operator_performance_daily, rollup_days, account_active_days. */
  daily: number;
  runLog: number;
  reconciliationLog: number;
}

/** The port, implemented with @anlyt/pg's named queries. */
export interface RetentionStore {
  partitionedTables(): Promise<{ name: string; granularity: Granularity }[]>;
  ensurePartitions(table: string, fromIso: string, toIso: string): Promise<number>;
  unrolledDaysBefore(day: string): Promise<string[]>;
  dropPartitionsBefore(table: string, cutoffIso: string): Promise<string[]>;
  deleteExpiredLedgerRows(cutoffIso: string, limit: number): Promise<number>;
  deleteExpiredBookkeeping(c: {
    hourlyBeforeDay: string;
    dailyBeforeDay: string;
    runsBefore: string;
    reconciliationBeforeDay: string;
  }): Promise<Record<string, number>>;
}

export interface RetentionOutcome {
  partitionsMade: number;
  dropped: string[];
  /** Days whose hourly rows are not rolled yet: the hourly drops waited for them. */
  unrolledDays: string[];
  ledgerRowsDeleted: number;
  bookkeeping: Record<string, number>;
  cutoffs: Record<string, string>;
}

const DAY_MS = 86_400_000;
const HOURLY = ['metrics_hourly', 'operator_performance', 'tps_minutes'];
const DAILY = ['metrics_daily', 'operator_performance_daily'];
/** Rows per ledger DELETE: short transactions next to the consumers' batches. */
export const LEDGER_DELETE_CHUNK = 50_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The start (UTC) of the day or month holding `ms`. */
export function partitionStart(granularity: Granularity, ms: number): number {
  const d = new Date(ms);
  return granularity === 'day'
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export class ApplyRetentionUseCase {
  constructor(
    private readonly store: RetentionStore,
    private readonly days: RetentionDays,
    private readonly now: () => number,
  ) {}

  private daysFor(table: string): number | null {
    if (table === 'tps_seconds') return this.days.tpsSeconds;
    if (HOURLY.includes(table)) return this.days.hourly;
    if (DAILY.includes(table)) return this.days.daily;
    return null; // a table this version does not know: kept whole
  }

  async execute(): Promise<RetentionOutcome> {
    const now = this.now();
    const tables = await this.store.partitionedTables();
    let partitionsMade = 0;
    for (const t of tables)
      partitionsMade += await this.store.ensurePartitions(
        t.name,
        new Date(now - DAY_MS).toISOString(),
        new Date(now).toISOString(),
      );

    const cutoffs: Record<string, string> = {};
    for (const t of tables) {
      const days = this.daysFor(t.name);
      if (days !== null)
        cutoffs[t.name] = new Date(
          partitionStart(t.granularity, now - days * DAY_MS),
        ).toISOString();
    }
    const hourlyCutoff = cutoffs['metrics_hourly'] ?? new Date(0).toISOString();
    const unrolledDays = await this.store.unrolledDaysBefore(hourlyCutoff.slice(0, 10));

    const dropped: string[] = [];
    for (const [table, cutoff] of Object.entries(cutoffs)) {
      if (unrolledDays.length > 0 && table !== 'tps_seconds' && !DAILY.includes(table)) continue;
      dropped.push(...(await this.store.dropPartitionsBefore(table, cutoff)));
    }

    const ledgerCutoff = new Date(now - this.days.ledger * DAY_MS).toISOString();
    cutoffs['processed_events'] = ledgerCutoff;
    let ledgerRowsDeleted = 0;
    for (;;) {
      const n = await this.store.deleteExpiredLedgerRows(ledgerCutoff, LEDGER_DELETE_CHUNK);
      ledgerRowsDeleted += n;
      if (n < LEDGER_DELETE_CHUNK) break;
    }

    const bookkeeping = await this.store.deleteExpiredBookkeeping({
      // day_versions go only once the hourly rows went (an unrolled day keeps them all).
      hourlyBeforeDay: unrolledDays.length > 0 ? '0001-01-01' : hourlyCutoff.slice(0, 10),
      dailyBeforeDay: (cutoffs['metrics_daily'] ?? new Date(0).toISOString()).slice(0, 10),
      runsBefore: new Date(now - this.days.runLog * DAY_MS).toISOString(),
      reconciliationBeforeDay: isoDay(now - this.days.reconciliationLog * DAY_MS),
    });
    return { partitionsMade, dropped, unrolledDays, ledgerRowsDeleted, bookkeeping, cutoffs };
  }
}
