/**
 * Process entry: config → logger/metrics → service → graceful shutdown on SIGTERM/SIGINT.
 * `node dist/main.js backfill --source dlr|cdr|all` runs the backfill instead (a one-off job
 * next to the live service, whose cube builder rebuilds what it marks: src/backfill/run.ts)
 * and exits 0 once it caught up.
 */
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { createClickHouse } from '@anlyt/clickhouse';
import { createLogger, createRegistry } from '@anlyt/observability';
import { startIngestService } from './app.js';
import { runBackfill } from './backfill/run.js';
import { loadConfig } from './config.js';
import { createIngestMetrics } from './metrics.js';
import type { Source } from './sources.js';

const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-ingest', level: cfg.LOG_LEVEL });

if (process.argv[2] === 'backfill') await backfill(process.argv.slice(3));
else await serve();

async function serve() {
  const service = await startIngestService(cfg, log, createRegistry('anlyt-ingest'), {
    // A loop that cannot recover is a bug: rethrown as an uncaught error, close-with-grace
    // shuts down what still runs and exits 1, so the orchestrator restarts us.
    onFatal: (err) =>
      setImmediate(() => {
        throw err;
      }),
  });
  closeWithGrace({ delay: cfg.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) log.error({ err: String(err) }, 'fatal error, shutting down');
    else log.info({ signal }, 'shutting down');
    await service.stop();
  });
}

async function backfill(args: string[]) {
  const { values } = parseArgs({ args, options: { source: { type: 'string', default: 'all' } } });
  const choice = values.source;
  if (choice !== 'dlr' && choice !== 'cdr' && choice !== 'all') {
    log.error({ source: choice }, 'usage: backfill --source dlr|cdr|all');
    process.exit(2);
  }
  const sources: Source[] = choice === 'all' ? ['dlr', 'cdr'] : [choice];
  const ch = createClickHouse({
    url: cfg.CLICKHOUSE_URL,
    requestTimeoutMs: cfg.CLICKHOUSE_REQUEST_TIMEOUT_MS,
    applicationName: 'anlyt-ingest-backfill',
    log: log.child({ component: 'clickhouse' }),
  });
  const abort = new AbortController();
  // SIGTERM/SIGINT: finish the batch in flight and stop; the backfill durable stays, so a
  // rerun resumes where this one stopped.
  closeWithGrace({ delay: cfg.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) log.error({ err: String(err) }, 'fatal error, stopping the backfill');
    else log.info({ signal }, 'stopping the backfill');
    abort.abort();
  });
  const metrics = createIngestMetrics(createRegistry('anlyt-ingest-backfill'));
  const results = await runBackfill({ cfg, log, metrics, ch, signal: abort.signal }, sources).catch(
    (err: unknown) => {
      log.fatal({ err: String(err) }, 'backfill failed; a rerun resumes where it stopped');
      process.exit(1);
    },
  );
  await ch.close();
  const finished = results.every((r) => r.finished);
  log.info({ results }, finished ? 'backfill finished' : 'backfill stopped');
  process.exit(finished ? 0 : 1);
}
