/**
 * The backfill of a deployable's sources (US-ANLYT-08; docs/decisions.md "Backfill"): one
 * connection, the deployable's provisioning (its DLQ), then per source a durable of its own
 * (`<live durable>-backfill`, from the stream's start) consumed by the deployable's normal
 * batch loop and followed by `followBackfill` until it caught up. Shared by anlyt-consumer and
 * anlyt-ingest, which say what a source's durable and loop are.
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@anlyt/observability';
import type { BatchLoop } from './batch-loop.js';
import { connectNats, type NatsConnection } from './connect.js';
import { backfillDurable, followBackfill, type FollowedBackfill } from './backfill-progress.js';

export interface BackfillSource<S extends string> {
  name: S;
  stream: string;
  /** The live durable's name; the backfill's is `backfillDurable(liveDurable)`. */
  liveDurable: string;
  /** Creates (or updates) `durable` with the live durable's settings, from the stream's start. */
  ensureDurable(jsm: JetStreamManager, durable: string): Promise<void>;
  /** The deployable's normal batch loop on `durable` (`reacquire` puts the durable back). */
  startLoop(
    nc: NatsConnection,
    durable: string,
    reacquire: () => Promise<void>,
  ): Promise<BatchLoop>;
}

export interface RunBackfillOptions<S extends string> {
  natsUrl: string;
  connectionName: string;
  signal: AbortSignal;
  log: Logger;
  progressMs: number;
  endLagMs: number;
  /** What the loops need before they start (a first deploy may not have the DLQ yet). */
  provision(jsm: JetStreamManager): Promise<void>;
  sources: readonly BackfillSource<S>[];
}

export type BackfillResult<S extends string> = FollowedBackfill & { source: S };

export async function runBackfills<S extends string>(
  o: RunBackfillOptions<S>,
): Promise<BackfillResult<S>[]> {
  const nc = await connectNats(o.natsUrl, o.connectionName, { signal: o.signal });
  try {
    const jsm = await jetstreamManager(nc);
    await o.provision(jsm);
    return await Promise.all(
      o.sources.map(async (s) => {
        const durable = backfillDurable(s.liveDurable);
        const ensure = () => s.ensureDurable(jsm, durable);
        await ensure();
        const loop = await s.startLoop(nc, durable, ensure);
        const r = await followBackfill({
          jsm,
          stream: s.stream,
          durable,
          loop,
          log: o.log.child({ source: s.name, durable }),
          progressMs: o.progressMs,
          endLagMs: o.endLagMs,
          signal: o.signal,
        });
        return { source: s.name, ...r };
      }),
    );
  } finally {
    await nc.drain().catch(() => undefined);
  }
}
