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
import {
  connectNats,
  ensureDurable,
  jetstreamManager,
  type BatchLoop,
  type JetStreamManager,
} from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import type { Sql } from '@anlyt/pg';
import type { Config } from '../config.js';
import type { ConsumerMetrics } from '../metrics.js';
import { durableSpec, provisionDlq, startSourceLoop } from '../pipelines.js';
import { topologyOf, type Source } from '../sources.js';
import { isCaughtUp, progressOf, type BackfillStart, type DurableSnapshot } from './progress.js';

export interface BackfillDeps {
  cfg: Config;
  log: Logger;
  metrics: ConsumerMetrics;
  sql: Sql;
  signal: AbortSignal;
}

export interface BackfillResult {
  source: Source;
  total: number;
  seconds: number;
  /** False when stopped by the signal before it caught up (the durable stays: a rerun resumes). */
  finished: boolean;
}

export const backfillDurable = (live: string) => `${live}-backfill`;

export async function runBackfill(
  d: BackfillDeps,
  sources: readonly Source[],
): Promise<BackfillResult[]> {
  const nc = await connectNats(d.cfg.NATS_URL, 'anlyt-consumer-backfill', { signal: d.signal });
  try {
    const jsm = await jetstreamManager(nc);
    // A first deploy may run the backfill before the live consumer ever created the DLQ.
    await provisionDlq(d.cfg, jsm);
    return await Promise.all(
      sources.map(async (name) => {
        const durable = backfillDurable(topologyOf(d.cfg, name).durable);
        const ensure = () => ensureDurable(jsm, durableSpec(d.cfg, name, durable));
        await ensure();
        const loop = await startSourceLoop(d, nc, name, durable, ensure);
        return backfillOne(d, jsm, name, durable, loop);
      }),
    );
  } finally {
    await nc.drain().catch(() => undefined);
  }
}

async function backfillOne(
  d: BackfillDeps,
  jsm: JetStreamManager,
  name: Source,
  durable: string,
  loop: BatchLoop,
): Promise<BackfillResult> {
  const { stream } = topologyOf(d.cfg, name);
  const log = d.log.child({ source: name, durable });
  const info = await jsm.streams.info(stream);
  const start: BackfillStart = {
    firstSeq: info.state.first_seq,
    lastSeq: info.state.last_seq,
    atMs: Date.now(),
  };
  log.info({ firstSeq: start.firstSeq, lastSeq: start.lastSeq }, 'backfill started');
  let previous: DurableSnapshot | null = null;
  let finished = false;
  // Rejects when the loop fails for good (a bug): the backfill stops with it.
  const failed = new Promise<never>((_, reject) => loop.done.catch(reject));
  try {
    while (!d.signal.aborted) {
      await Promise.race([sleep(d.cfg.BACKFILL_PROGRESS_MS, d.signal), failed]);
      const now = await snapshot(jsm, stream, durable);
      const p = progressOf(start, now, previous);
      previous = now;
      log.info(p, 'backfill progress');
      if (isCaughtUp(now, d.cfg.BACKFILL_END_LAG_S * 1000)) {
        finished = true;
        break;
      }
    }
  } finally {
    await loop.stop();
  }
  const seconds = Math.round((Date.now() - start.atMs) / 100) / 10;
  const total = start.lastSeq - start.firstSeq + 1;
  if (finished) {
    // The next backfill starts from the stream's start again.
    await jsm.consumers.delete(stream, durable);
    log.info({ total, seconds }, 'backfill done');
  } else log.warn({ seconds }, 'backfill stopped before it caught up; a rerun resumes');
  return { source: name, total, seconds, finished };
}

async function snapshot(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<DurableSnapshot> {
  const c = await jsm.consumers.info(stream, durable);
  const floor = c.ack_floor.stream_seq;
  const m =
    floor > 0 ? await jsm.streams.getMessage(stream, { seq: floor }).catch(() => null) : null;
  const atMs = Date.now();
  return {
    atMs,
    ackFloorSeq: floor,
    pending: c.num_pending,
    ackPending: c.num_ack_pending,
    lagMs: m ? atMs - m.time.getTime() : null,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
