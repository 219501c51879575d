/**
 * Makes the partitions of the tables the consumer writes (migration 0014: the hourly buckets by
 * month, the per-second counts by day) ahead of time, at start and every hour, so that a batch
 * never finds its partition missing. The rollup CronJob does the same on every run and also
 * drops expired ones (docs/retention.md); either alone keeps the consumer writing. A failure
 * (database away) is logged and tried again next hour: partitions are made days to months ahead.
 */
import { errorSummary, type Logger } from '@anlyt/observability';
import { ensurePartitions, listPartitionedTables, type Sql } from '@anlyt/pg';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function startPartitionUpkeep(sql: Sql, log: Logger): () => void {
  const run = async () => {
    const now = Date.now();
    let made = 0;
    for (const t of await listPartitionedTables(sql))
      made += await ensurePartitions(
        sql,
        t.name,
        new Date(now - DAY_MS).toISOString(),
        new Date(now).toISOString(),
      );
    if (made > 0) log.info({ made }, 'partitions made');
  };
  const tick = () =>
    void run().catch((err: unknown) =>
      log.warn({ err: errorSummary(err) }, 'partitions not made; next hour'),
    );
  tick();
  const timer = setInterval(tick, HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
