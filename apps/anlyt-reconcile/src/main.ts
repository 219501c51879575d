/**
 * anlyt-reconcile: `node dist/main.js [--date D | --from D --to D]` (default: yesterday, UTC).
 * Composition root: arguments → config → logger → the two Postgres clients → one run.
 * Exit 0 when the run completed and was recorded, DIVERGED days included (they are findings,
 * alerted on from the log table); 1 on any error; 2 on bad arguments. The CronJob runs it daily.
 */
import closeWithGrace from 'close-with-grace';
import { createLogger } from '@anlyt/observability';
import { createReconciler } from './app.js';
import { parseCli, USAGE } from './cli.js';
import { loadConfig, type Config } from './config.js';

const args = parseCli(process.argv.slice(2), Date.now());
if ('error' in args) {
  process.stderr.write(`anlyt-reconcile: ${args.error}\n${USAGE}\n`);
  process.exit(2);
}
if ('help' in args) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let cfg: Config;
try {
  cfg = loadConfig();
} catch (err) {
  process.stderr.write(`anlyt-reconcile: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const log = createLogger({ service: 'anlyt-reconcile', level: cfg.LOG_LEVEL });
const reconciler = createReconciler(cfg, log);

// A signal mid-run (CronJob deadline, Ctrl-C): close the clients and exit 1. The run's rows
// are one INSERT, so they are in the log entirely or not at all.
const grace = closeWithGrace({ delay: 10_000, logger: false }, async ({ signal, err }) => {
  if (err) log.error({ err: String(err) }, 'reconciliation crashed');
  else log.error({ signal }, 'reconciliation interrupted');
  await reconciler.close();
  throw new Error('not completed'); // close-with-grace exits 1 on a throw, 0 otherwise
});

try {
  log.info({ days: args.days }, 'reconciliation started');
  await reconciler.run(args.days);
  process.exitCode = 0;
} catch (err) {
  log.error({ err: String(err) }, 'reconciliation failed');
  process.exitCode = 1;
} finally {
  // Uninstall first: close-with-grace's beforeExit hook would otherwise exit 0 regardless.
  grace.uninstall();
  await reconciler.close();
}
