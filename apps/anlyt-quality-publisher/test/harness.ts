/**
 * The publisher's world in a test: a ClickHouse database of its own with facts written as
 * anlyt-ingest writes them (facts, dirty marks, batch progress, cube rebuilds, the builder's
 * watermark), a stream of its own on the machine's NATS, and the contract's JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  createClickHouse,
  insertFacts,
  markDirtyDays,
  rebuildCubeDay,
  runClickHouseMigrations,
  serverNowS,
  writeCubeWatermark,
  writeIngestWatermark,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import {
  connectNats,
  deleteStream,
  ensureStream,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type NatsConnection,
} from '@anlyt/nats';
import {
  cdrFactRow,
  createTestClickHouseDatabase,
  dlrFactRow,
  TEST_CLICKHOUSE_URL,
  TEST_NATS_URL,
} from '@anlyt/testing';
import type { CdrFact, DlrFact } from '@anlyt/traffic';

const DAY = 86_400_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The contract's schema, compiled as routing-engine would (JSON Schema 2020-12 + formats). */
export function qualitySchemaValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const schema = readFileSync(
    resolve(repoRoot, 'contracts', 'events', 'operator.quality.v1.schema.json'),
    'utf8',
  );
  return ajv.compile(JSON.parse(schema) as object);
}

export interface CubeWorld {
  ch: ClickHouseClient;
  t: Topology;
  database: string;
  load(dlrs: Iterable<DlrFact>, cdrs: Iterable<CdrFact>): Promise<void>;
  drop(): Promise<void>;
}

export async function startCubeWorld(): Promise<CubeWorld> {
  const db = await createTestClickHouseDatabase('anlyt_qp');
  const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
  const t: Topology = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
  let seq = 0;
  let version = 1_000;
  return {
    ch,
    t,
    database: db.name,
    async load(dlrs, cdrs) {
      const batches = [
        ['dlr', [...dlrs].map((f) => dlrFactRow(f, ++seq))],
        ['cdr', [...cdrs].map((f) => cdrFactRow(f, ++seq))],
      ] as const;
      for (const [source, rows] of batches) {
        if (rows.length === 0) continue;
        await insertFacts(ch, t, source, rows);
        const days = [...new Set(rows.map((r) => r.occurredAtMs - (r.occurredAtMs % DAY)))];
        await markDirtyDays(ch, t, source, days);
        await writeIngestWatermark(ch, t, source, Math.max(...rows.map((r) => r.occurredAtMs)));
        for (const day of days) await rebuildCubeDay(ch, t, source, day, (version += 2));
      }
      await writeCubeWatermark(ch, t, 'main', await serverNowS(ch));
    },
    async drop() {
      await ch.close();
      await db.drop();
    },
  };
}

export interface QualityStream {
  nc: NatsConnection;
  js: JetStreamClient;
  stream: string;
  subject: string;
  /** Every message stored in the stream, oldest first: payload and Nats-Msg-Id. */
  messages(): Promise<{ body: Record<string, unknown>; msgId: string | undefined }[]>;
  cleanup(): Promise<void>;
}

export async function createQualityStream(): Promise<QualityStream> {
  const id = Math.random().toString(16).slice(2, 10);
  const stream = `T_${id}_QUALITY`;
  const subject = `t${id}.operator.quality.v1`;
  const nc = await connectNats(TEST_NATS_URL, `test-quality-${id}`);
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { name: stream, subjects: [subject], maxAgeMs: DAY });
  const js = jetstream(nc);
  return {
    nc,
    js,
    stream,
    subject,
    async messages() {
      // As routing-engine would read the feed: an ordered consumer on the subject, from the
      // start of the stream, each message's payload and its Nats-Msg-Id.
      const info = await jsm.streams.info(stream);
      const out: { body: Record<string, unknown>; msgId: string | undefined }[] = [];
      if (info.state.messages === 0) return out;
      const consumer = await js.consumers.get(stream); // the stream holds only this subject
      const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 5000 });
      for await (const m of batch) {
        out.push({ body: m.json<Record<string, unknown>>(), msgId: m.headers?.get('Nats-Msg-Id') });
        if (out.length === info.state.messages) break;
      }
      return out;
    },
    async cleanup() {
      await deleteStream(jsm, stream);
      await nc.drain();
    },
  };
}
