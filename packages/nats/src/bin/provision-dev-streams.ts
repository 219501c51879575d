/**
 * `node packages/nats/dist/bin/provision-dev-streams.js` — creates the contract's streams on
 * a LOCAL NATS (NATS_URL) for development. Production streams belong to their upstream owners.
 */
import { connectNats } from '../connect.js';
import { ensureStream } from '../provision.js';
import { jetstreamManager } from '@nats-io/jetstream';

const DEV_STREAMS = [
  { name: 'BILLING_EVENTS', subjects: ['billing.events.>'] },
  { name: 'SMS_DLR', subjects: ['sms.dlr.inbound'] },
  { name: 'CDR', subjects: ['cdr.generated.v1'] },
  { name: 'OPERATOR_QUALITY', subjects: ['operator.quality.v1'], maxAgeMs: 24 * 3600 * 1000 },
  { name: 'ANLYT_DLQ', subjects: ['anlyt.dlq.>'] },
];

const nc = await connectNats(process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', 'anlyt-provision');
const jsm = await jetstreamManager(nc);
for (const s of DEV_STREAMS) await ensureStream(jsm, s);
await nc.drain();
console.log(`streams ready: ${DEV_STREAMS.map((s) => s.name).join(', ')}`);
