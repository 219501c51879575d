/** Process entry: config → logger/metrics → service → graceful shutdown on SIGTERM/SIGINT. */
import closeWithGrace from 'close-with-grace';
import { createLogger, createRegistry } from '@anlyt/observability';
import { startIngestService } from './app.js';
import { loadConfig } from './config.js';

const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-ingest', level: cfg.LOG_LEVEL });
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
