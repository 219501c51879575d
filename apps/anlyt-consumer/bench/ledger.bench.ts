/**
 * pnpm bench:ledger — the ledger's batch cost (recordInLedger, the statement every applied
 * batch runs) as the ledger grows to national size (US-ANLYT-08: ~150M ids for a 7-day replay
 * at 10M messages a day), partitioned by day (migration 0013), next to the same batches on the
 * unpartitioned layout it replaced (one uuid primary key over every id), measured in the same
 * run at the same sizes:
 *   1. a fresh database (migrated); ids generated straight into the table, spread over
 *      `BENCH_DAYS` (9) daily partitions as the retention keeps them (today's partition gets its
 *      share too: new batches land there), and the same number into `ledger_flat`, a copy of
 *      the pre-0013 table;
 *   2. at each size of `BENCH_SIZES` (0, 50M, 150M): `BENCH_BATCHES` (40) batches of 2 000 new
 *      random ids, each in its own transaction (commit included), against each layout
 *      alternately, after `BENCH_WARM` (5) warm-up batches; median and P95 per layout, and the
 *      ratio partitioned / flat.
 * Also prints the table and index sizes at each step. BENCH_KEEP_DB=1 keeps the database.
 */
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createSql, recordInLedger, type Sql, type TxSql } from '@anlyt/pg';
import { createTestDatabase } from '@anlyt/testing';

const env = (k: string, d: string) => process.env[k] ?? d;
const SIZES = env('BENCH_SIZES', '0,50000000,150000000').split(',').map(Number);
const DAYS = Number(env('BENCH_DAYS', '9'));
const BATCHES = Number(env('BENCH_BATCHES', '40'));
const WARM = Number(env('BENCH_WARM', '5'));
const BATCH = 2000;
const CHUNK = 5_000_000;
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const db = await createTestDatabase('anlyt_bench_ledger');
// A connection of its own for the load (long statements), one for the measured batches.
const load = createSql(db.url, { max: 1, applicationName: 'bench-ledger-load' });
const sql: Sql = db.sql;
const [pgv] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
console.log(
  `PostgreSQL ${pgv!.v}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `sizes ${SIZES.join(', ')}, ${DAYS} daily partitions, ${BATCHES} batches of ${BATCH}`,
);

// Partitions: today and the days after it (a database migrated today has every earlier day in
// the legacy partition), so the load spreads over DAYS partitions including today's.
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const days = Array.from({ length: DAYS }, (_, i) => isoDay(today + i * DAY_MS));
await sql`select anlyt.ensure_ledger_partitions(${days[0]!}::date, ${days[DAYS - 1]!}::date)`;
await sql`
  create table anlyt.ledger_flat (
    event_id uuid primary key, payload_hash bytea not null, source text not null,
    first_seen_at timestamptz not null default now(), stream_seq bigint)`;

let loaded = 0;
async function growTo(n: number) {
  const t0 = performance.now();
  while (loaded < n) {
    const count = Math.min(CHUNK, n - loaded);
    // Round-robin over the days, so every partition grows alike.
    const day = days[Math.floor(loaded / CHUNK) % DAYS]!;
    await load`
      insert into anlyt.processed_events (event_id, seen_day, payload_hash, source, stream_seq)
      select gen_random_uuid(), ${day}::date, decode(md5(i::text), 'hex'), 'billing', i
      from generate_series(${loaded + 1}::bigint, ${loaded + count}::bigint) i`;
    await load`
      insert into anlyt.ledger_flat (event_id, payload_hash, source, stream_seq)
      select gen_random_uuid(), decode(md5(i::text), 'hex'), 'billing', i
      from generate_series(${loaded + 1}::bigint, ${loaded + count}::bigint) i`;
    loaded += count;
    process.stdout.write(`  loaded ${loaded.toLocaleString('en')}\r`);
  }
  await load`vacuum analyze anlyt.processed_events`;
  await load`vacuum analyze anlyt.ledger_flat`;
  if (n > 0)
    console.log(
      `loaded to ${n.toLocaleString('en')} in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
}

const entries = () =>
  Array.from({ length: BATCH }, (_, i) => ({
    eventId: randomUUID(),
    payloadHash: new Uint8Array(16).fill(i % 256),
    seq: i,
  }));

/** The pre-0013 statements: insert, then read back and lock the repeats (none here). */
async function flatBatch(tx: TxSql) {
  const e = entries();
  await tx`
    insert into anlyt.ledger_flat (event_id, payload_hash, source, stream_seq)
    select event_id, decode(h, 'hex'), 'billing', seq
    from unnest(${e.map((x) => x.eventId)}::uuid[], ${e.map((x) => Buffer.from(x.payloadHash).toString('hex'))}::text[],
                ${e.map((x) => x.seq)}::bigint[]) as t(event_id, h, seq)
    on conflict (event_id) do nothing
    returning event_id::text`;
}

async function measure(): Promise<{ part: number[]; flat: number[] }> {
  const part: number[] = [];
  const flat: number[] = [];
  for (let i = 0; i < WARM + BATCHES; i++) {
    let t = performance.now();
    await sql.begin((tx) => recordInLedger(tx, 'billing', entries()));
    if (i >= WARM) part.push(performance.now() - t);
    t = performance.now();
    await sql.begin((tx) => flatBatch(tx));
    if (i >= WARM) flat.push(performance.now() - t);
  }
  return { part, flat };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const sizes = async () => {
  const [r] = await sql<{ part: string; partIdx: string; flat: string; flatIdx: string }[]>`
    select pg_size_pretty(sum(pg_table_size(c.oid))) as part,
           pg_size_pretty(sum(pg_indexes_size(c.oid))) as "partIdx",
           pg_size_pretty(pg_table_size('anlyt.ledger_flat')) as flat,
           pg_size_pretty(pg_indexes_size('anlyt.ledger_flat')) as "flatIdx"
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'anlyt.processed_events'::regclass`;
  return r!;
};

const rows: string[] = [];
try {
  for (const n of SIZES) {
    await growTo(n);
    const { part, flat } = await measure();
    const s = await sizes();
    const line = `| ${n.toLocaleString('en')} | ${pct(part, 0.5).toFixed(1)} | ${pct(part, 0.95).toFixed(1)} | ${pct(flat, 0.5).toFixed(1)} | ${pct(flat, 0.95).toFixed(1)} | ${(pct(part, 0.5) / pct(flat, 0.5)).toFixed(2)} | ${s.part} + ${s.partIdx} | ${s.flat} + ${s.flatIdx} |`;
    rows.push(line);
    console.log(line);
  }
  console.log(
    '\n| ids in the ledger | partitioned median ms | P95 | flat median ms | P95 | ratio | partitioned table + index | flat table + index |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  await load.end({ timeout: 5 });
  if (process.env['BENCH_KEEP_DB'] === '1') console.log(`kept database ${db.url}`);
  else await db.drop();
}
