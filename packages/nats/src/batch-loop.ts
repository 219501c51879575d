import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';

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
   * Handles one batch and settles every message in it (ack after commit, nak, or term).
   * A throw naks the whole batch with `retryDelayMs`: nothing is lost, JetStream redelivers.
   */
  handle: (batch: JsMsg[]) => Promise<void>;
  retryDelayMs: number;
  onError: (err: unknown, batch: JsMsg[]) => void;
}

export interface BatchLoop {
  /** Resolves when the loop has stopped (after stop(), or on a fatal error). */
  done: Promise<void>;
  /** Stop pulling, finish the batch in flight, nak what was buffered but not started. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Pulls messages into a buffer (the server caps it at the durable's max_ack_pending) while the
 * previous batch is being applied, then hands the handler up to batchSize at a time. Pulling
 * and applying overlap, so the database never waits for the network round trip of a fetch.
 */
export async function startBatchLoop(o: BatchLoopOptions): Promise<BatchLoop> {
  const consumer = await o.js.consumers.get(o.stream, o.durable);
  const buffer: JsMsg[] = [];
  let wake: (() => void) | null = null;
  let stopping = false;
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: o.batchSize * 2,
    callback: (m) => {
      buffer.push(m);
      if (buffer.length >= o.batchSize && wake) wake();
    },
  });

  const waitForWork = async () => {
    if (buffer.length >= o.batchSize) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, buffer.length > 0 ? o.lingerMs : 200);
    });
    wake = null;
  };

  const done = (async () => {
    while (!stopping) {
      await waitForWork();
      if (stopping || buffer.length === 0) continue;
      const batch = buffer.splice(0, o.batchSize);
      try {
        await o.handle(batch);
      } catch (err) {
        o.onError(err, batch);
        for (const m of batch) m.nak(o.retryDelayMs);
        await sleep(Math.min(o.retryDelayMs, 1000));
      }
    }
    // Buffered but never started: hand them back now rather than after ack_wait.
    for (const m of buffer.splice(0)) m.nak();
  })();

  return {
    done,
    async stop() {
      stopping = true;
      wake?.();
      await messages.close().catch(() => undefined);
      await done;
    },
  };
}

/** Settles a batch's acks in one burst: one socket write instead of one per message. */
export function ackAll(msgs: Iterable<JsMsg>): void {
  for (const m of msgs) m.ack();
}
