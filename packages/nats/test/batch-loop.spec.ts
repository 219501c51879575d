/**
 * The batch loop every consumer of the repo shares, against the machine's real JetStream (own
 * stream per test): a failing batch is retried in place without being redelivered, a slow one
 * is kept alive past AckWait, a bug ends the loop visibly, and stop() hands messages back.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ackAll,
  connectNats,
  deleteStream,
  ensureDurable,
  ensureStream,
  jetstream,
  jetstreamManager,
  startBatchLoop,
  type BatchLoop,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from '../src/index.js';

const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ACK_WAIT_MS = 1000;
let nc: NatsConnection;
let jsm: JetStreamManager;
let stream: string;
let subject: string;
let loop: BatchLoop | undefined;

beforeEach(async () => {
  const id = randomBytes(4).toString('hex');
  stream = `T_${id}_LOOP`;
  subject = `t${id}.loop`;
  nc = await connectNats(NATS_URL, `test-loop-${id}`);
  jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { name: stream, subjects: [subject] });
  await ensureDurable(jsm, {
    stream,
    durable: 'loop',
    filterSubject: subject,
    maxAckPending: 100,
    ackWaitMs: ACK_WAIT_MS,
  });
});
afterEach(async () => {
  await loop?.stop();
  loop = undefined;
  await deleteStream(jsm, stream);
  await nc.drain();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(handle: (b: JsMsg[]) => Promise<void>) {
  return startBatchLoop({
    js: jetstream(nc),
    stream,
    durable: 'loop',
    batchSize: 10,
    lingerMs: 5,
    ackWaitMs: ACK_WAIT_MS,
    stallAfterMs: 60_000,
    retry: { minMs: 50, maxMs: 200 },
    handle,
  });
}

async function publish(n: number) {
  const js = jetstream(nc);
  for (let i = 0; i < n; i++) await js.publish(subject, new TextEncoder().encode(String(i)));
}

describe('startBatchLoop', () => {
  it('retries a failing batch in place: same messages, never redelivered, state retrying', async () => {
    const seen: number[][] = [];
    let failures = 3;
    const states: string[] = [];
    loop = await start(async (batch) => {
      seen.push(batch.map((m) => m.info.deliveryCount));
      states.push(loop!.state());
      if (failures-- > 0) throw new Error('database unavailable');
      ackAll(batch);
    });
    await publish(3);
    await waitFor(() => failures < 0);
    await sleep(ACK_WAIT_MS * 2); // a redelivery would show up by now
    expect(seen).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(states).toEqual(['running', 'retrying', 'retrying', 'retrying']);
    expect(loop.state()).toBe('running');
    const info = await jsm.consumers.info(stream, 'loop');
    expect(info.num_ack_pending + info.num_redelivered).toBe(0);
  });

  it('keeps a batch slower than AckWait alive with working(): it is not delivered again', async () => {
    const deliveries: number[] = [];
    loop = await start(async (batch) => {
      deliveries.push(...batch.map((m) => m.info.deliveryCount));
      await sleep(ACK_WAIT_MS * 3);
      ackAll(batch);
    });
    await publish(1);
    await waitFor(() => deliveries.length > 0);
    await sleep(ACK_WAIT_MS * 4);
    expect(deliveries).toEqual([1]);
  });

  it('ends with a rejected `done` when the handler has a bug (a TypeError)', async () => {
    loop = await start(async () => {
      (undefined as unknown as { x: number }).x = 1;
    });
    await publish(1);
    await expect(loop.done).rejects.toBeInstanceOf(TypeError);
  });

  it('stop() during a retry hands the batch back at once (no AckWait)', async () => {
    const ackWaitMs = 30_000; // a redelivery within the test can only come from a nak
    await ensureDurable(jsm, {
      stream,
      durable: 'loop',
      filterSubject: subject,
      maxAckPending: 100,
      ackWaitMs,
    });
    let calls = 0;
    loop = await start(async () => {
      calls++;
      throw new Error('still down');
    });
    await publish(2);
    await waitFor(() => calls >= 2);
    await loop.stop();
    loop = undefined;
    const c = await jetstream(nc).consumers.get(stream, 'loop');
    const m = await c.next({ expires: 2000 });
    expect(m?.info.deliveryCount).toBe(2); // nak-ed, so back long before AckWait
    m?.ack();
  });
});

async function waitFor(cond: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}
