/**
 * anlyt-rollup: `node dist/main.js [--date D | --from D --to D] [--dry-run]`.
 * Composition root: config → logger → Postgres → use case; exit 0 on success, 1 on failure,
 * 2 on bad arguments. The CronJob runs it hourly without arguments.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '@anlyt/observability';
import { createSql } from '@anlyt/pg';
import { parseCli, USAGE } from './cli.js';
import { loadConfig } from './config.js';
import { pgRollupStore } from './adapters/pg-rollup-store.js';
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
await sql.end({ timeout: 5 });
process.exit(result.outcome === 'SUCCEEDED' ? 0 : 1);
