// The stored-copies lookup answers a batch of 10 000 keys (the ingest's largest batch),
// more than one statement may carry: it found a stalled ingest once, as a syntax error
// retried forever. Expected copies are computed here from the rows the test inserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouseDatabase, TEST_CLICKHOUSE_URL } from '@anlyt/testing';
import {
  createClickHouse,
  findStoredCopies,
  insertFacts,
  LOOKUP_CHUNK,
  runClickHouseMigrations,
  type DlrFactRow,
  type FactKey,
  type Topology,
} from '../src/index.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let db: Awaited<ReturnType<typeof createTestClickHouseDatabase>>;
let t: Topology;
const DAY = Date.UTC(2026, 10, 30);
const HOUR = 3_600_000;

beforeAll(async () => {
  db = await createTestClickHouseDatabase('anlyt_lookup');
  t = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
});
afterAll(async () => {
  await db.drop();
  await ch.close();
});

const uuid = (i: number) =>
  `${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const hourText = (ms: number) =>
  new Date(ms).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';
const tenantOf = (i: number) => `acc_${i % 7}`;
const hourOf = (i: number) => DAY + (i % 11) * HOUR;

function row(i: number, seq: number): DlrFactRow {
  return {
    eventId: uuid(i),
    tenantId: tenantOf(i),
    hour: hourText(hourOf(i)),
    occurredAtMs: hourOf(i) + 1000,
    messageId: `m${i}`,
    mno: 'mno-a',
    status: 'DELIVERED',
    errorCode: null,
    latencyMs: 1000,
    submittedAtMs: hourOf(i),
    direction: 'MT',
    lane: 'OTP',
    destinationPrefix: '+2547',
    streamSeq: String(seq),
    payloadHash: String(1_000_000 + i),
  };
}

describe('findStoredCopies', () => {
  it('answers 10 000 keys at once: stored copies only, each copy once, at its own tenant and hour', async () => {
    // Events 0..11999 stored; 0..299 stored twice (a redelivered insert), kept unmerged.
    await ch.command({ query: `SYSTEM STOP MERGES ${db.name}.facts_dlr` });
    const stored = Array.from({ length: 12_000 }, (_, i) => row(i, i + 1));
    await insertFacts(ch, t, 'dlr', stored);
    await insertFacts(ch, t, 'dlr', stored.slice(0, 300));

    // Asked: 6 000 stored events, 3 000 never stored, 1 000 stored ones under another
    // tenant or hour (a copy must share the sorting key, so these are not copies).
    const keys: FactKey[] = [];
    for (let i = 0; i < 6000; i++)
      keys.push({ eventId: uuid(i), tenantId: tenantOf(i), hourMs: hourOf(i) });
    for (let i = 50_000; i < 53_000; i++)
      keys.push({ eventId: uuid(i), tenantId: tenantOf(i), hourMs: hourOf(i) });
    for (let i = 6000; i < 6500; i++)
      keys.push({ eventId: uuid(i), tenantId: tenantOf(i + 1), hourMs: hourOf(i) });
    for (let i = 6500; i < 7000; i++)
      keys.push({ eventId: uuid(i), tenantId: tenantOf(i), hourMs: hourOf(i) + 24 * HOUR });
    expect(keys.length).toBe(10_000);
    expect(keys.length).toBeGreaterThan(3 * LOOKUP_CHUNK);

    const found = await findStoredCopies(ch, t, 'dlr', keys);
    const got = found
      .map((c) => `${c.eventId}|${c.tenantId}|${c.hourMs}|${c.streamSeq}|${c.payloadHash}`)
      .sort();
    const want: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const copy = `${uuid(i)}|${tenantOf(i)}|${hourOf(i)}|${i + 1}|${1_000_000 + i}`;
      want.push(copy);
      if (i < 300) want.push(copy);
    }
    expect(got).toEqual(want.sort());
  });

  it('answers no keys with no copies', async () => {
    expect(await findStoredCopies(ch, t, 'dlr', [])).toEqual([]);
  });
});
