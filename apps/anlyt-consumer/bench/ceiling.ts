/**
 * The benchmark's ceiling: a bare consumer on the same streams, with the same batch loop and
 * the same batched acks as anlyt-consumer, that only parses each message and acks it. Whatever
 * anlyt-consumer does beyond this (validation, hashing, ledger, folding, SQL) is the cost the
 * benchmark's ratio measures. Env: NATS_URL, BILLING_/DLR_STREAM and _SUBJECT, BATCH_SIZE.
 */
import {
  ackAll,
  connectNats,
  ensureDurable,
  jetstream,
  jetstreamManager,
  startBatchLoop,
} from '@anlyt/nats';

const env = process.env;
const batchSize = Number(env['BATCH_SIZE'] ?? 2000);
const nc = await connectNats(env['NATS_URL'] ?? 'nats://127.0.0.1:4222', 'bench-ceiling');
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
let parsed = 0;
const decoder = new TextDecoder();
for (const [stream, subject] of [
  [env['BILLING_STREAM']!, env['BILLING_SUBJECT']!],
  [env['DLR_STREAM']!, env['DLR_SUBJECT']!],
]) {
  const durable = `bench-ceiling-${stream}`;
  await ensureDurable(jsm, {
    stream: stream!,
    durable,
    filterSubject: subject!,
    maxAckPending: batchSize * 4,
    ackWaitMs: 60_000,
  });
  await startBatchLoop({
    js,
    stream: stream!,
    durable,
    batchSize,
    lingerMs: 20,
    ackWaitMs: 60_000,
    stallAfterMs: 120_000,
    retry: { minMs: 1000, maxMs: 1000 },
    onEvent: (e) => console.error(e),
    async handle(batch) {
      for (const m of batch) {
        try {
          JSON.parse(decoder.decode(m.data));
          parsed++;
        } catch {
          // The stream holds ~1% broken payloads on purpose; the ceiling just acks them too.
        }
      }
      ackAll(batch);
    },
  });
}
process.on('SIGTERM', () => {
  console.error(`ceiling parsed ${parsed}`);
  void nc.drain().then(() => process.exit(0));
});
