/**
 * `anlyt-consumer backfill --source billing|dlr|all` (US-ANLYT-08): replays every event the
 * streams still hold, from their first message, through the normal idempotent path, next to
 * the live consumer and without touching it.
 *
 * How: a durable of its own per source, `<live durable>-backfill`, delivering from the
 * stream's start, consumed by the same batch loop and handler as the live one (pipelines.ts),
 * deleted when the backfill ends. Not the live durable re-created from the start: that would
 * stop live consumption for the whole replay, and a crash in between would leave no durable
 * at all. Not an ordered consumer: it has no acks, so a crash restarts the whole replay and a
 * failed batch cannot be held for a retry the way the loop holds it. A durable of its own
 * resumes after a crash from its ack floor (a SIGKILL costs one batch's redelivery), and the
 * ledger skips what the live consumer already applied, either way round: running it twice, or
 * while the live consumer runs, counts nothing twice.
 */
import { ensureDurable, runBackfills, type BackfillResult } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import type { Config } from '../config.js';
import type { ConsumerMetrics } from '../metrics.js';
import { durableSpec, provisionDlq, startSourceLoop } from '../pipelines.js';
import { topologyOf, type Source } from '../sources.js';

export interface BackfillDeps {
  cfg: Config;
  log: Logger;
  metrics: ConsumerMetrics;
  sql: Sql;
  signal: AbortSignal;
}

/** The shared backfill (@anlyt/nats runBackfills) with this deployable's durables and loops. */
export function runBackfill(
  d: BackfillDeps,
  sources: readonly Source[],
): Promise<BackfillResult<Source>[]> {
  return runBackfills({
    natsUrl: d.cfg.NATS_URL,
    connectionName: 'anlyt-consumer-backfill',
    signal: d.signal,
    log: d.log,
    progressMs: d.cfg.BACKFILL_PROGRESS_MS,
    endLagMs: d.cfg.BACKFILL_END_LAG_S * 1000,
    // A first deploy may run the backfill before the live consumer ever created the DLQ.
    provision: (jsm) => provisionDlq(d.cfg, jsm),
    sources: sources.map((name) => {
      const { stream, durable } = topologyOf(d.cfg, name);
      return {
        name,
        stream,
        liveDurable: durable,
        ensureDurable: (jsm, b) => ensureDurable(jsm, durableSpec(d.cfg, name, b)),
        startLoop: (nc, b, reacquire) => startSourceLoop(d, nc, name, b, reacquire),
      };
    }),
  });
}
