import { randomBytes } from 'node:crypto';
import {
  connectNats,
  deleteStream,
  ensureStream,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from '@anlyt/nats';

export const TEST_NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Stream, subject and durable names of one test: nothing shared with any other test. */
export interface TestTopology {
  prefix: string;
  billingStream: string;
  billingSubject: string;
  dlrStream: string;
  dlrSubject: string;
  cdrStream: string;
  cdrSubject: string;
  dlqStream: string;
  dlqPrefix: string;
  billingDurable: string;
  dlrDurable: string;
}

export interface TestNats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topo: TestTopology;
  /** Environment variables that point an anlyt-consumer at this topology. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Creates a private set of streams (billing, DLR, CDR, DLQ) named after a random prefix. */
export async function createTestNats(): Promise<TestNats> {
  const id = randomBytes(4).toString('hex');
  const p = `t${id}`;
  const topo: TestTopology = {
    prefix: p,
    billingStream: `T_${id}_BILLING`,
    billingSubject: `${p}.billing.events.sms.billed.v1`,
    dlrStream: `T_${id}_DLR`,
    dlrSubject: `${p}.sms.dlr.inbound`,
    cdrStream: `T_${id}_CDR`,
    cdrSubject: `${p}.cdr.generated.v1`,
    dlqStream: `T_${id}_DLQ`,
    dlqPrefix: `${p}.anlyt.dlq`,
    billingDurable: 'anlyt-billing-consumer',
    dlrDurable: 'anlyt-dlr-consumer',
  };
  const nc = await connectNats(TEST_NATS_URL, `test-${p}`);
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { name: topo.billingStream, subjects: [`${p}.billing.events.>`] });
  await ensureStream(jsm, { name: topo.dlrStream, subjects: [topo.dlrSubject] });
  await ensureStream(jsm, { name: topo.cdrStream, subjects: [topo.cdrSubject] });
  await ensureStream(jsm, { name: topo.dlqStream, subjects: [`${topo.dlqPrefix}.>`] });
  const env = {
    NATS_URL: TEST_NATS_URL,
    BILLING_STREAM: topo.billingStream,
    BILLING_SUBJECT: topo.billingSubject,
    DLR_STREAM: topo.dlrStream,
    DLR_SUBJECT: topo.dlrSubject,
    CDR_STREAM: topo.cdrStream,
    CDR_SUBJECT: topo.cdrSubject,
    DLQ_STREAM: topo.dlqStream,
    DLQ_SUBJECT_PREFIX: topo.dlqPrefix,
  };
  return {
    nc,
    js: jetstream(nc),
    jsm,
    topo,
    env,
    async cleanup() {
      for (const s of [topo.billingStream, topo.dlrStream, topo.cdrStream, topo.dlqStream])
        await deleteStream(jsm, s);
      await nc.drain();
    },
  };
}

/**
 * Resolves once every durable has acked or terminated every message of its stream: the ack
 * floor reached the stream's last sequence and nothing is in flight. A nak-ed message waiting
 * for redelivery keeps the floor below, so this cannot resolve early.
 */
export async function waitForDrained(
  jsm: JetStreamManager,
  durables: readonly (readonly [stream: string, durable: string])[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = await Promise.all(
      durables.map(async ([s, d]) => {
        const [c, st] = await Promise.all([
          jsm.consumers.info(s, d).catch(() => null),
          jsm.streams.info(s),
        ]);
        return c !== null && c.ack_floor.stream_seq >= st.state.last_seq && c.num_ack_pending === 0;
      }),
    );
    if (done.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`durables did not drain within ${timeoutMs} ms`);
}
