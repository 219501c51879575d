/**
 * A backfill's progress (US-ANLYT-08), shared by every deployable that replays its streams on
 * a durable of its own (`<live durable>-backfill`, anlyt-consumer and anlyt-ingest): pure
 * arithmetic over what the server reports about that durable — how many of the stream's
 * messages (as of the backfill's start) are applied, the rate over the last interval, the time
 * left at that rate, when it is done — and `followBackfill`, which logs it every interval
 * until the durable caught up, then stops the loop and deletes the durable.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@anlyt/observability';
import type { BatchLoop } from './batch-loop.js';

export interface BackfillStart {
  /** The stream's first and last sequence when the backfill began. */
  firstSeq: number;
  lastSeq: number;
  atMs: number;
}

export interface DurableSnapshot {
  atMs: number;
  /** Every message up to this stream sequence is acked (applied, a duplicate or dead-lettered). */
  ackFloorSeq: number;
  /** Messages not delivered yet, and delivered but not acked. */
  pending: number;
  ackPending: number;
  /** Age of the message at the ack floor (now − its publication), null when unknown. */
  lagMs: number | null;
}

export interface BackfillProgress {
  done: number;
  total: number;
  eventsPerS: number;
  /** Seconds to reach the start's last message at the current rate; null while it is 0. */
  etaS: number | null;
  lagS: number | null;
}

/** The backfill's durable next to the live one: the live durable is never touched. */
export const backfillDurable = (live: string) => `${live}-backfill`;

export function progressOf(
  start: BackfillStart,
  now: DurableSnapshot,
  previous: DurableSnapshot | null,
): BackfillProgress {
  const total = Math.max(0, start.lastSeq - start.firstSeq + 1);
  const done = Math.min(total, Math.max(0, now.ackFloorSeq - start.firstSeq + 1));
  const since = previous ?? { atMs: start.atMs, ackFloorSeq: start.firstSeq - 1 };
  const seconds = (now.atMs - since.atMs) / 1000;
  const eventsPerS = seconds > 0 ? Math.max(0, now.ackFloorSeq - since.ackFloorSeq) / seconds : 0;
  return {
    done,
    total,
    eventsPerS: Math.round(eventsPerS),
    etaS: eventsPerS > 0 ? Math.round((total - done) / eventsPerS) : null,
    lagS: now.lagMs === null ? null : Math.round(now.lagMs / 1000),
  };
}

/**
 * Done when nothing is left to deliver or ack, or when the applied messages reach the last
 * `endLagMs` of the stream (US-ANLYT-08 AC3: the live durable, which reads the same stream,
 * carries on from there). `endLagMs` 0: only the former.
 */
export function isCaughtUp(now: DurableSnapshot, endLagMs: number): boolean {
  if (now.pending === 0 && now.ackPending === 0) return true;
  return endLagMs > 0 && now.lagMs !== null && now.lagMs <= endLagMs;
}

export interface FollowBackfillOptions {
  jsm: JetStreamManager;
  stream: string;
  /** The backfill's durable, consumed by `loop`. */
  durable: string;
  loop: BatchLoop;
  /** Logs `backfill started`, `backfill progress`, `backfill done` (a child per source). */
  log: Logger;
  progressMs: number;
  /** 0: only when nothing is pending (isCaughtUp). */
  endLagMs: number;
  /** Stops following (SIGTERM): the loop stops, the durable stays, a rerun resumes. */
  signal: AbortSignal;
}

export interface FollowedBackfill {
  /** The stream's messages as of the start. */
  total: number;
  seconds: number;
  /** False when stopped by the signal before it caught up (the durable stays: a rerun resumes). */
  finished: boolean;
}

/**
 * Follows one source's backfill loop until its durable caught up (or the signal, or the loop
 * failing for good — rejected, the durable kept). Once caught up, the loop is stopped and the
 * durable deleted, so the next backfill starts from the stream's start again.
 */
export async function followBackfill(o: FollowBackfillOptions): Promise<FollowedBackfill> {
  const { jsm, stream, durable, loop, log } = o;
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
  failed.catch(() => undefined); // observed by the race below; not unhandled if never raced
  try {
    while (!o.signal.aborted) {
      await Promise.race([sleep(o.progressMs, o.signal), failed]);
      const now = await snapshot(jsm, stream, durable);
      const p = progressOf(start, now, previous);
      previous = now;
      log.info(p, 'backfill progress');
      if (isCaughtUp(now, o.endLagMs)) {
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
    await jsm.consumers.delete(stream, durable);
    log.info({ total, seconds }, 'backfill done');
  } else log.warn({ seconds }, 'backfill stopped before it caught up; a rerun resumes');
  return { total, seconds, finished };
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

/** Resolves after `ms` or on abort, leaving no listener behind (a backfill runs for hours). */
const sleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal }).catch(() => undefined);
