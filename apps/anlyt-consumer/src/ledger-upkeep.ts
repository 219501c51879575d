/**
 * Makes the ledger's daily partitions from yesterday to two days ahead (migration 0013) at
 * start and every hour, so that a batch never finds today's partition missing. The rollup
 * CronJob does the same and also drops expired partitions; either one alone keeps the
 * consumer writing. A failure (database away) is logged and tried again next hour: the
 * partitions are made days ahead.
 */
import { errorSummary, type Logger } from '@anlyt/observability';
import { ensureLedgerPartitions, type Sql } from '@anlyt/pg';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function startLedgerUpkeep(sql: Sql, log: Logger): () => void {
  const run = () => {
    const now = Date.now();
    ensureLedgerPartitions(sql, isoDay(now - DAY_MS), isoDay(now + 2 * DAY_MS)).then(
      (made) => made > 0 && log.info({ made }, 'ledger partitions made'),
      (err: unknown) =>
        log.warn({ err: errorSummary(err) }, 'ledger partitions not made; next hour'),
    );
  };
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
