/**
 * `anlyt-ingest backfill --source dlr|cdr|all` (US-ANLYT-08): replays every event the streams
 * still hold, from their first message, into the ClickHouse facts through the normal path,
 * next to the live ingest and without touching it. anlyt-consumer's backfill, for ClickHouse:
 * the same design (docs/decisions.md, "Backfill").
 *
 * How: a durable of its own per source, `<live durable>-backfill`, delivering from the
 * stream's start, consumed by the same batch loop and handler as the live one
 * (`startSourceLoop` in pipelines.ts), deleted when the backfill ends; killed, it keeps the
 * durable and a rerun resumes from its ack floor. What is already stored is found by the copies
 * lookup (a duplicate, nothing inserted) and a copy inserted twice anyway collapses in the
 * facts' ReplacingMergeTree; every batch marks its days dirty, inserted or not.
 *
 * No cube builder here: the live service's builder (one per deployment, CUBE_BUILDER_NAME)
 * rebuilds the marked days from the deduplicated facts. A second builder would only race it.
 */
import { ensureDurable, runBackfills, type BackfillResult } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import type { ClickHouseClient } from '@anlyt/clickhouse';
import type { Config } from '../config.js';
import type { IngestMetrics } from '../metrics.js';
import { durableSpec, provisionDlq, startSourceLoop } from '../pipelines.js';
import { topologyOf, type Source } from '../sources.js';

export interface BackfillDeps {
  cfg: Config;
  log: Logger;
  metrics: IngestMetrics;
  ch: ClickHouseClient;
  signal: AbortSignal;
}

/** The shared backfill (@anlyt/nats runBackfills) with this deployable's durables and loops. */
export function runBackfill(
  d: BackfillDeps,
  sources: readonly Source[],
): Promise<BackfillResult<Source>[]> {
  return runBackfills({
    natsUrl: d.cfg.NATS_URL,
    connectionName: 'anlyt-ingest-backfill',
    signal: d.signal,
    log: d.log,
    progressMs: d.cfg.BACKFILL_PROGRESS_MS,
    endLagMs: d.cfg.BACKFILL_END_LAG_S * 1000,
    // A first deploy may run the backfill before the live ingest ever created the DLQ.
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
