import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import pRetry from 'p-retry';

export type { JsMsg };

export interface BatchLoopOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  /** Largest batch handed to the handler. */
  batchSize: number;
  /** How long to let a small batch fill before handling it (ms). */
  lingerMs: number;
  /**
   * The durable's AckWait. Messages held longer than a third of it (buffered, or in a batch
   * that is slow or being retried) are kept with `working()`, so AckWait can stay short —
   * it is how long a crashed process's messages wait before they are delivered again.
   */
  ackWaitMs: number;
  /**
   * Settles every message of the batch (ack after commit, term, nak) — or throws, which means
   * "the same batch again, later": it is retried in place, with backoff, for as long as it
   * takes. The handler decides what is worth retrying and dead-letters the rest itself. A
   * TypeError that is not a network error is taken for a bug: `done` rejects.
   */
  handle: (batch: JsMsg[]) => Promise<void>;
  /** Backoff of those retries, and of re-subscribing: exponential with jitter, capped. */
  retry: { minMs: number; maxMs: number };
  /** Before consuming again after the durable or its stream vanished: e.g. re-create it. */
  reacquire?: () => Promise<void>;
  /** A batch in the handler longer than this makes the loop report 'stalled'. */
  stallAfterMs: number;
  onEvent?: (e: LoopEvent) => void;
}

export type LoopState = 'running' | 'retrying' | 'resubscribing' | 'stalled' | 'stopped';

export type LoopEvent =
  | { type: 'batch-failed'; err: unknown; size: number; attempt: number }
  | { type: 'batch-recovered'; size: number; attempts: number }
  | { type: 'consume-ended'; err: unknown }
  | { type: 'resubscribe-failed'; err: unknown; attempt: number }
  | { type: 'resubscribed' }
  | { type: 'status'; status: string };

export interface BatchLoop {
  /** Resolves after stop(); rejects if the loop itself failed (a bug): the process should exit. */
  done: Promise<void>;
  /** 'running' is the only ready state. */
  state(): LoopState;
  /** Stop pulling, finish (or hand back) the batch in flight, nak what was buffered. */
  stop(): Promise<void>;
}

interface Held {
  msg: JsMsg;
  /** When it arrived or was last kept alive with working(). */
  at: number;
}

/**
 * Pulls messages into a buffer (the server caps it at the durable's max_ack_pending) while the
 * previous batch is being applied, then hands the handler up to batchSize at a time. Pulling
 * and applying overlap, so the database never waits for the network round trip of a fetch.
 * When consume() ends on its own (durable or stream deleted), the loop subscribes again.
 */
export async function startBatchLoop(o: BatchLoopOptions): Promise<BatchLoop> {
  const buffer: Held[] = [];
  let inFlight: { held: Held[]; since: number } | null = null;
  let wake: (() => void) | null = null;
  let stopping = false;
  let retrying = false;
  let resubscribing = false;
  const abort = new AbortController();
  const emit = (e: LoopEvent) => o.onEvent?.(e);
  const retryOptions = {
    retries: Infinity,
    factor: 2,
    minTimeout: o.retry.minMs,
    maxTimeout: o.retry.maxMs,
    randomize: true,
    signal: abort.signal,
  };

  const subscribe = async (): Promise<ConsumerMessages> => {
    const consumer = await o.js.consumers.get(o.stream, o.durable);
    const messages = await consumer.consume({
      max_messages: o.batchSize * 2,
      // End the subscription when the durable or the stream is gone, instead of polling for
      // it forever: the supervisor below re-creates it and says so (readiness, logs).
      abort_on_missing_resource: true,
      callback: (m) => {
        buffer.push({ msg: m, at: Date.now() });
        if (buffer.length >= o.batchSize && wake) wake();
      },
    });
    void reportStatus(messages, emit);
    return messages;
  };
  let messages = await subscribe();

  const supervise = async () => {
    while (!stopping) {
      const ended = await messages.closed();
      if (stopping) return;
      resubscribing = true;
      emit({ type: 'consume-ended', err: ended ?? null });
      try {
        messages = await pRetry(
          async () => {
            await o.reacquire?.();
            return subscribe();
          },
          {
            ...retryOptions,
            // A connection being drained or closed is the process shutting down.
            shouldRetry: ({ error }) => !isConnectionGone(error),
            onFailedAttempt: ({ error, attemptNumber }) => {
              if (!isConnectionGone(error))
                emit({ type: 'resubscribe-failed', err: error, attempt: attemptNumber });
            },
          },
        );
      } catch (err) {
        if (stopping || isConnectionGone(err)) return;
        throw err;
      }
      resubscribing = false;
      emit({ type: 'resubscribed' });
    }
  };
  const supervisor = supervise();

  const keepAlive = setInterval(
    () => {
      const now = Date.now();
      const due = now - o.ackWaitMs / 3;
      const held = inFlight ? [...inFlight.held, ...buffer] : buffer;
      for (const h of held) {
        if (h.at > due) continue;
        h.at = now;
        try {
          h.msg.working();
        } catch {
          // The connection is closed: the server will redeliver after AckWait anyway.
        }
      }
    },
    Math.max(100, Math.floor(o.ackWaitMs / 6)),
  );
  keepAlive.unref();

  const waitForWork = async () => {
    if (buffer.length >= o.batchSize) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, buffer.length > 0 ? o.lingerMs : 200);
    });
    wake = null;
  };

  const handleUntilSettled = async (held: Held[]) => {
    const batch = held.map((h) => h.msg);
    let attempts = 1;
    let settled = false;
    try {
      await pRetry(
        async () => {
          await o.handle(batch);
          settled = true;
        },
        {
          ...retryOptions,
          onFailedAttempt: ({ error, attemptNumber }) => {
            retrying = true;
            attempts = attemptNumber + 1;
            emit({ type: 'batch-failed', err: error, size: batch.length, attempt: attemptNumber });
          },
        },
      );
    } catch (err) {
      // p-retry reports an abort even after a last attempt that succeeded: settled is settled.
      if (settled) return;
      if (!stopping) throw err;
      // Shutting down mid-retry: hand the batch back now rather than after AckWait.
      for (const m of batch) m.nak();
      return;
    }
    if (retrying) emit({ type: 'batch-recovered', size: batch.length, attempts });
    retrying = false;
  };

  const processing = (async () => {
    while (!stopping) {
      await waitForWork();
      if (stopping || buffer.length === 0) continue;
      const held = buffer.splice(0, o.batchSize);
      inFlight = { held, since: Date.now() };
      try {
        await handleUntilSettled(held);
      } finally {
        inFlight = null;
      }
    }
  })();
  // Buffered but never started: hand them back now rather than after AckWait.
  const handBack = () => {
    for (const h of buffer.splice(0)) h.msg.nak();
  };
  const done = Promise.all([processing, supervisor]).then(
    () => clearInterval(keepAlive),
    (err: unknown) => {
      clearInterval(keepAlive);
      throw err;
    },
  );

  return {
    done,
    state() {
      if (stopping) return 'stopped';
      if (resubscribing) return 'resubscribing';
      if (retrying) return 'retrying';
      if (inFlight && Date.now() - inFlight.since > o.stallAfterMs) return 'stalled';
      return 'running';
    },
    async stop() {
      stopping = true;
      wake?.();
      abort.abort();
      await messages.close().catch(() => undefined);
      await done.catch(() => undefined);
      handBack();
    },
  };
}

const isConnectionGone = (err: unknown) =>
  err instanceof Error && /^(DrainingConnectionError|ClosedConnectionError)$/.test(err.name);

/** Passes the consumer's notable notifications on (missed heartbeats, deleted durable, …). */
async function reportStatus(messages: ConsumerMessages, emit: (e: LoopEvent) => void) {
  const notable = new Set([
    'heartbeats_missed',
    'consumer_not_found',
    'stream_not_found',
    'consumer_deleted',
    'no_responders',
  ]);
  for await (const s of messages.status()) {
    if (notable.has(s.type)) emit({ type: 'status', status: s.type });
  }
}

/** Settles a batch's acks in one burst: one socket write instead of one per message. */
export function ackAll(msgs: Iterable<JsMsg>): void {
  for (const m of msgs) m.ack();
}
