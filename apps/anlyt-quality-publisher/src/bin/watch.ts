/**
 * `node apps/anlyt-quality-publisher/dist/bin/watch.js [minutes]` — prints the feed as
 * routing-engine receives it: every operator.quality.v1 event of the last `minutes` (default
 * 3), then each new one as it arrives, one line each. Reads NATS_URL and QUALITY_STREAM.
 * Ctrl-C stops it.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import { connectNats, jetstream } from '@anlyt/nats';

const minutes = Number(process.argv[2] ?? 3);
const nc = await connectNats(
  process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
  'anlyt-quality-watch',
);
const stream = process.env['QUALITY_STREAM'] ?? 'OPERATOR_QUALITY';
const consumer = await jetstream(nc).consumers.get(stream, {
  deliver_policy: DeliverPolicy.StartTime,
  opt_start_time: new Date(Date.now() - minutes * 60_000).toISOString(),
});
process.once('SIGINT', () => void nc.close());
const pct = (x: unknown) => (typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : 'null');
console.log('windowEnd                 mno              dir  delivery  p95ms   esmeErr  sample');
for await (const m of await consumer.consume()) {
  const e = m.json<Record<string, unknown>>();
  console.log(
    [
      String(e['windowEnd']).padEnd(25),
      String(e['mno']).padEnd(16),
      String(e['direction']).padEnd(4),
      pct(e['deliveryRate']).padStart(8),
      String(e['dlrLatencyP95']).padStart(7),
      pct(e['esmeErrorRate']).padStart(8),
      String(e['sampleSize']).padStart(7),
    ].join(' '),
  );
}
