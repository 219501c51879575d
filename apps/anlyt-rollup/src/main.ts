/**
 * anlyt-rollup: `node dist/main.js [--date D | --from D --to D] [--dry-run]`.
 * Composition root: config → logger → Postgres → use cases: the roll, then (unless --dry-run)
 * the retention (docs/retention.md); exit 0 when both succeed, 1 on a failure, 2 on bad
 * arguments. The CronJob runs it hourly without arguments.
 */
import { randomUUID } from 'node:crypto';
import { createSql } from '@anlyt/pg';
import { parseCli, USAGE } from './cli.js';
import { loadConfig } from './config.js';
import { createLogger, errorSummary } from '@anlyt/observability';
import { pgRetentionStore, pgRollupStore } from './adapters/pg-rollup-store.js';
import { ApplyRetentionUseCase } from './use-cases/apply-retention.use-case.js';
import { RollUpHourlyToDailyUseCase } from './use-cases/roll-up-hourly-to-daily.use-case.js';

const args = parseCli(process.argv.slice(2));
if ('error' in args) {
  console.error(`${args.error}\n${USAGE}`);
  process.exit(2);
}
const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-rollup', level: cfg.LOG_LEVEL });
const sql = createSql(cfg.DATABASE_URL, { max: 1, applicationName: 'anlyt-rollup' });

const store = pgRollupStore(sql);

const useCase = new RollUpHourlyToDailyUseCase({
  store,
  newRunId: randomUUID,
  now: () => performance.now(),
  marginSeconds: cfg.ROLLUP_CHANGE_MARGIN_S,
  abandonAfterSeconds: cfg.ROLLUP_ABANDON_AFTER_S,
  onDay: (r) =>
    r.kind === 'rolled'
      ? log.info(
          {
            day: r.day,
            metricsRows: r.metricsRows,
            operatorRows: r.operatorRows,
            durationMs: Math.round(r.durationMs),
          },
          'day rolled up',
        )
      : log.info({ day: r.day, hourlyRows: r.hourlyRows }, 'dry run: day would be rolled up'),
});

const result = await useCase.execute(args);
const line = {
  runId: result.runId,
  days: result.days.length,
  abandonedRuns: result.abandonedRuns,
  dryRun: args.dryRun,
};
if (result.outcome === 'SUCCEEDED') log.info(line, 'rollup succeeded');
else log.error({ ...line, error: result.error }, 'rollup failed');

let retained = args.dryRun; // a dry run changes nothing, retention included
if (!args.dryRun) {
  const retention = new ApplyRetentionUseCase(
    pgRetentionStore(sql, cfg.ROLLUP_CHANGE_MARGIN_S),
    {
      ledger: cfg.LEDGER_RETENTION_DAYS,
      tpsSeconds: cfg.TPS_SECONDS_RETENTION_DAYS,
      hourly: cfg.HOURLY_RETENTION_DAYS,
      daily: cfg.DAILY_RETENTION_DAYS,
      runLog: cfg.RUN_LOG_RETENTION_DAYS,
      reconciliationLog: cfg.RECONCILIATION_LOG_RETENTION_DAYS,
    },
    Date.now,
  );
  try {
    const r = await retention.execute();
    if (r.unrolledDays.length > 0)
      log.warn(
        { unrolledDays: r.unrolledDays },
        'hourly partitions past their retention kept: these days are not rolled up yet',
      );
    log.info(r, 'retention applied');
    retained = true;
  } catch (err) {
    log.error({ err: errorSummary(err) }, 'retention failed; the next run tries again');
  }
}
await sql.end({ timeout: 5 });
process.exit(result.outcome === 'SUCCEEDED' && retained ? 0 : 1);
