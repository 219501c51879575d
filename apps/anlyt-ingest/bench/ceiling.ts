/**
 * The NATS consume ceiling: a bare pull consumer on the bench's DLR and CDR streams with the
 * same batch loop, batch size and durable limits as anlyt-ingest, that only acks each batch
 * (one burst of acks per batch). Whatever anlyt-ingest does beyond this — decoding, the
 * copies lookup, the facts insert, the dirty-day marks — is what the bench's ratio measures.
 * Env: NATS_URL, DLR_STREAM/_SUBJECT, CDR_STREAM/_SUBJECT, BATCH_SIZE, BATCH_LINGER_MS.
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
const batchSize = Number(env['BATCH_SIZE'] ?? 10_000);
const nc = await connectNats(env['NATS_URL'] ?? 'nats://127.0.0.1:4222', 'bench-ingest-ceiling');
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
let bytes = 0;
for (const [stream, subject, durable] of [
  [env['DLR_STREAM']!, env['DLR_SUBJECT']!, 'bench-ceiling-dlr'],
  [env['CDR_STREAM']!, env['CDR_SUBJECT']!, 'bench-ceiling-cdr'],
] as const) {
  await ensureDurable(jsm, {
    stream,
    durable,
    filterSubject: subject,
    maxAckPending: batchSize * 4,
    ackWaitMs: 60_000,
  });
  await startBatchLoop({
    js,
    stream,
    durable,
    batchSize,
    lingerMs: Number(env['BATCH_LINGER_MS'] ?? 1000),
    ackWaitMs: 60_000,
    stallAfterMs: 120_000,
    retry: { minMs: 1000, maxMs: 1000 },
    onEvent: (e) => console.error(e),
    async handle(batch) {
      for (const m of batch) bytes += m.data.byteLength;
      ackAll(batch);
    },
  });
}
process.on('SIGTERM', () => {
  console.error(`ceiling acked ${(bytes / 2 ** 20).toFixed(0)} MiB of payloads`);
  void nc.drain().then(() => process.exit(0));
});
