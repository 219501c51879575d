/**
 * The ledger's partitions (migration 0013; docs/decisions.md "The ledger, partitioned by the
 * day it was written"), kept by the hourly rollup CronJob: the daily partitions from yesterday
 * to `aheadDays` ahead exist (the consumer also makes them at start and hourly, so neither
 * alone is a single point of failure), and those entirely older than `retentionDays` are
 * dropped. The retention must cover the streams' max age (7 days) plus the longest a consumer
 * may lag behind them: an event still in a stream whose ledger row was dropped would be
 * applied again.
 */
export interface LedgerPartitions {
  ensure(fromDay: string, toDay: string): Promise<number>;
  dropBefore(cutoffDay: string): Promise<string[]>;
}

export interface MaintainLedgerResult {
  created: number;
  dropped: string[];
  cutoffDay: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class MaintainLedgerUseCase {
  constructor(
    private readonly partitions: LedgerPartitions,
    private readonly o: { retentionDays: number; aheadDays: number; now: () => number },
  ) {}

  async execute(): Promise<MaintainLedgerResult> {
    const today = Math.floor(this.o.now() / DAY_MS) * DAY_MS;
    const created = await this.partitions.ensure(
      isoDay(today - DAY_MS),
      isoDay(today + this.o.aheadDays * DAY_MS),
    );
    const cutoffDay = isoDay(today - this.o.retentionDays * DAY_MS);
    const dropped = await this.partitions.dropBefore(cutoffDay);
    return { created, dropped, cutoffDay };
  }
}
