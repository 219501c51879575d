/** Process entry: config → logger/metrics → service → graceful shutdown on SIGTERM/SIGINT. */
import closeWithGrace from 'close-with-grace';
import { createLogger, createRegistry } from '@anlyt/observability';
import { startPublisherService } from './app.js';
import { loadConfig } from './config.js';

const cfg = loadConfig();
const log = createLogger({ service: 'anlyt-quality-publisher', level: cfg.LOG_LEVEL });
const service = await startPublisherService(cfg, log, createRegistry('anlyt-quality-publisher'));
// Startup that cannot finish (a bad stream config) exits 1 so the orchestrator restarts us.
service.started.catch(() => setImmediate(() => process.exit(1)));

closeWithGrace({ delay: cfg.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) log.error({ err: String(err) }, 'fatal error, shutting down');
  else log.info({ signal }, 'shutting down');
  await service.stop();
});
