/**
 * An anlyt-consumer running in-process against its own database and its own streams on the
 * machine's real PostgreSQL and NATS. Nothing is mocked.
 */
import { Writable } from 'node:stream';
import { createLogger, createRegistry, type Registry } from '@anlyt/observability';
import {
  createTestDatabase,
  createTestNats,
  encode,
  waitForDrained,
  type TestDatabase,
  type TestNats,
} from '@anlyt/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { startConsumerService, type ConsumerService } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export interface DeadLetterRecord {
  reason: string;
  data: string;
  bytes: number;
  headers: Record<string, string>;
}

export interface Harness {
  db: TestDatabase;
  nats: TestNats;
  registry: Registry;
  service: ConsumerService;
  /** Everything the service logged, one JSON line per entry. */
  logs: string[];
  publishBilled(event: unknown, opts?: { msgId?: boolean }): Promise<void>;
  publishDlr(event: unknown, opts?: { msgId?: boolean }): Promise<void>;
  /** Resolves once both durables have no pending and no unacked messages. */
  drained(): Promise<void>;
  deadLetters(source: 'billing' | 'dlr'): Promise<DeadLetterRecord[]>;
  /** GET on the service's HTTP endpoints (/readyz, /metrics). */
  get(path: string): Promise<{ status: number; body: string }>;
  metric(name: string, labels: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Runs after the streams and the database exist and before the service starts (publish, pre-create a durable). */
  beforeStart?: (nats: TestNats, db: TestDatabase) => Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  opts: HarnessOptions = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const nats = await createTestNats();
  await opts.beforeStart?.(nats, db);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const cfg = loadConfig({
    ...nats.env,
    DATABASE_URL: db.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    BATCH_LINGER_MS: '5',
    RETRY_DELAY_MS: '200',
    RETRY_MAX_DELAY_MS: '1000',
    ...env,
  });
  const log = createLogger({ service: 'anlyt-consumer', level: 'info', destination });
  const registry = createRegistry('anlyt-consumer', { defaultMetrics: false });
  const service = await startConsumerService(cfg, log, registry);
  await service.started;

  const publish = async (subject: string, event: unknown, msgId: boolean) => {
    const h = natsHeaders();
    const id = (event as { eventId?: unknown })?.eventId;
    if (msgId && typeof id === 'string') h.set('Nats-Msg-Id', id);
    await nats.js.publish(subject, encode(event), { headers: h });
  };

  return {
    db,
    nats,
    registry,
    service,
    logs,
    publishBilled: (e, o) => publish(nats.topo.billingSubject, e, o?.msgId ?? false),
    publishDlr: (e, o) => publish(nats.topo.dlrSubject, e, o?.msgId ?? false),
    drained: () =>
      waitForDrained(nats.jsm, [
        [nats.topo.billingStream, cfg.BILLING_DURABLE],
        [nats.topo.dlrStream, cfg.DLR_DURABLE],
      ]),
    async get(path) {
      const r = await fetch(`${service.address}${path}`);
      return { status: r.status, body: await r.text() };
    },
    async deadLetters(source) {
      const info = await nats.jsm.streams.info(nats.topo.dlqStream);
      const out: DeadLetterRecord[] = [];
      for (
        let seq = info.state.first_seq;
        seq <= info.state.last_seq && info.state.messages > 0;
        seq++
      ) {
        const m = await nats.jsm.streams.getMessage(nats.topo.dlqStream, { seq });
        if (m && m.subject === `${nats.topo.dlqPrefix}.${source}`) {
          out.push({
            reason: m.header.get('Anlyt-Reason'),
            data: new TextDecoder().decode(m.data),
            bytes: m.data.byteLength,
            headers: Object.fromEntries([...m.header].map(([k, v]) => [k, v[0] ?? ''])),
          });
        }
      }
      return out;
    },
    async metric(name, labels) {
      const m = await registry.getSingleMetric(name)?.get();
      const v = m?.values.find((x) =>
        Object.entries(labels).every(([k, val]) => x.labels[k] === val),
      );
      return v?.value ?? 0;
    },
    async close() {
      await service.stop();
      await nats.cleanup();
      await db.drop();
    },
  };
}
