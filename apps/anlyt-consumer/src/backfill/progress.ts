/**
 * The backfill's progress, as pure arithmetic over what the server reports about its durable:
 * how many of the stream's messages (as of the backfill's start) are applied, the rate over
 * the last interval, the time left at that rate, and when it is done.
 */
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
