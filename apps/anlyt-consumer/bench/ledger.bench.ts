/**
 * pnpm bench:ledger — the ledger's batch cost (recordInLedger: the statement every applied batch
 * runs) as it grows to national size (US-ANLYT-08: ~150M ids = 7 days + margin at 10M messages
 * a day), and what its retention costs. Runs on a PostgreSQL server of its own (initdb on a
 * free port, fsync on like a real one), so that it can restart it with another configuration:
 *   - `default`: PostgreSQL's stock memory settings (shared_buffers 128MB, as on this machine's
 *     shared server);
 *   - `sized`: the settings docs/retention.md asks of production (shared_buffers large enough
 *     for the ledger's index, lz4 wal_compression, a checkpoint distance that does not re-log
 *     every touched index page as a full-page image every few seconds).
 * At each size of BENCH_SIZES (0, 50M, 150M), ids are generated straight into the table with
 * first_seen_at spread over 9 days (indexes built after the load, the uuid key at fillfactor 70:
 * what random inserts leave a B-tree at), then under each configuration BENCH_BATCHES (40)
 * batches of 2 000 new random ids, each in its own transaction, after BENCH_WARM (5) warm-up
 * batches: median and P95. The restart is a checkpoint, after which the first write to each
 * index page logs a full-page image: a few warm-up batches measure that worst case, ~1 500 the
 * sustained rate (most leaf pages already logged since the checkpoint). At the largest size it also deletes the oldest BENCH_DELETE (1M) rows
 * as the retention job does (chunks of 50 000 by first_seen_at) and reports rows/s.
 * Needs ~40 GB free under $TMPDIR at 150M.
 */
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createSql, deleteExpiredLedgerRows, recordInLedger, type Sql } from '@anlyt/pg';
import { startPostgresServer } from '@anlyt/testing';

const env = (k: string, d: string) => process.env[k] ?? d;
const SIZES = env('BENCH_SIZES', '0,50000000,150000000').split(',').map(Number);
const BATCHES = Number(env('BENCH_BATCHES', '40'));
const WARM = Number(env('BENCH_WARM', '5'));
const DELETE = Number(env('BENCH_DELETE', '1000000'));
const BATCH = 2000;
const CHUNK = 10_000_000;
const SPAN_S = 9 * 86_400;
const CONFIGS = {
  default: { shared_buffers: '128MB', wal_compression: 'off', max_wal_size: '1GB' },
  // lz4, not `on` (pglz): pglz-compressing the full-page images of 2 000 random leaf pages cost
  // ~170 ms a batch at 50M ids (docs/benchmarks.md).
  sized: { shared_buffers: '8GB', wal_compression: 'lz4', max_wal_size: '16GB' },
} as const;
type ConfigName = keyof typeof CONFIGS;

const server = await startPostgresServer({
  settings: {
    fsync: 'on',
    maintenance_work_mem: '2GB',
    checkpoint_timeout: '15min',
    max_parallel_maintenance_workers: '2',
  },
});
const db = await server.createDatabase('anlyt_bench_ledger');
let sql: Sql = createSql(db.url, { max: 2, applicationName: 'bench-ledger' });

async function useConfig(name: ConfigName) {
  for (const [k, v] of Object.entries(CONFIGS[name]))
    await sql.unsafe(`alter system set ${k} = '${v}'`);
  await sql.end({ timeout: 5 });
  await server.stop('fast');
  await server.start();
  sql = createSql(db.url, { max: 2, applicationName: 'bench-ledger' });
  await sql`create extension if not exists pg_prewarm`;
  // What a long-running server would hold: as much of the key index as fits.
  await sql`select pg_prewarm('anlyt.processed_events_pkey')`;
}

const [pgv] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
console.log(
  `PostgreSQL ${pgv!.v}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `sizes ${SIZES.join(', ')}; ${BATCHES} batches of ${BATCH}; data in ${server.dataDir}`,
);

let loaded = 0;
async function growTo(n: number, last: number) {
  if (n <= loaded) return;
  const t0 = performance.now();
  await sql`alter table anlyt.processed_events drop constraint processed_events_pkey`;
  await sql`drop index anlyt.processed_events_first_seen_at`;
  while (loaded < n) {
    const count = Math.min(CHUNK, n - loaded);
    // first_seen_at grows with i over 9 days ending now, as a ledger under retention holds.
    await sql`
      insert into anlyt.processed_events (event_id, payload_hash, source, first_seen_at, stream_seq)
      select gen_random_uuid(), decode(md5(i::text), 'hex'), 'billing',
             now() - make_interval(secs => ${SPAN_S} * (1 - i::float8 / ${last})), i
      from generate_series(${loaded + 1}::bigint, ${loaded + count}::bigint) i`;
    loaded += count;
    process.stdout.write(`  loaded ${loaded.toLocaleString('en')}\r`);
  }
  const t1 = performance.now();
  await sql`create unique index processed_events_pkey on anlyt.processed_events (event_id) with (fillfactor = 70)`;
  await sql`alter table anlyt.processed_events add constraint processed_events_pkey primary key using index processed_events_pkey`;
  await sql`create index processed_events_first_seen_at on anlyt.processed_events (first_seen_at)`;
  await sql`vacuum analyze anlyt.processed_events`;
  console.log(
    `loaded to ${n.toLocaleString('en')}: rows ${((t1 - t0) / 1000).toFixed(0)} s, ` +
      `indexes + vacuum ${((performance.now() - t1) / 1000).toFixed(0)} s`,
  );
}

const entries = () =>
  Array.from({ length: BATCH }, (_, i) => ({
    eventId: randomUUID(),
    payloadHash: new Uint8Array(16).fill(i % 256),
    seq: i,
  }));

async function measure(): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < WARM + BATCHES; i++) {
    const t = performance.now();
    await sql.begin((tx) => recordInLedger(tx, 'billing', entries()));
    if (i >= WARM) ms.push(performance.now() - t);
  }
  return ms;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const sizes = async () => {
  const [r] = await sql<{ heap: string; key: string; seen: string }[]>`
    select pg_size_pretty(pg_table_size('anlyt.processed_events')) as heap,
           pg_size_pretty(pg_relation_size('anlyt.processed_events_pkey')) as key,
           pg_size_pretty(pg_relation_size('anlyt.processed_events_first_seen_at')) as seen`;
  return r!;
};

const rows: string[] = [];
const medians = new Map<string, number>();
try {
  const last = Math.max(...SIZES);
  for (const n of SIZES) {
    await growTo(n, last);
    const s = await sizes();
    for (const c of Object.keys(CONFIGS) as ConfigName[]) {
      await useConfig(c);
      const ms = await measure();
      medians.set(`${n}/${c}`, pct(ms, 0.5));
      const at0 = medians.get(`0/${c}`);
      const vs0 = at0 === undefined ? '—' : `×${(pct(ms, 0.5) / at0).toFixed(2)}`;
      const line = `| ${n.toLocaleString('en')} | ${c} | ${WARM} | ${pct(ms, 0.5).toFixed(1)} | ${pct(ms, 0.95).toFixed(1)} | ${vs0} | ${s.heap} + ${s.key} + ${s.seen} |`;
      rows.push(line);
      console.log(line);
    }
  }
  if (DELETE > 0) {
    const t = performance.now();
    const cutoff = await sql<{ c: string }[]>`
      select first_seen_at::text as c from anlyt.processed_events
      order by first_seen_at offset ${DELETE} limit 1`;
    let deleted = 0;
    for (;;) {
      const n = await deleteExpiredLedgerRows(sql, cutoff[0]!.c, 50_000);
      deleted += n;
      if (n === 0) break;
    }
    const s = (performance.now() - t) / 1000;
    const tv = performance.now();
    await sql`vacuum anlyt.processed_events`;
    console.log(
      `retention: deleted ${deleted.toLocaleString('en')} rows in ${s.toFixed(1)} s ` +
        `(${Math.round(deleted / s).toLocaleString('en')} rows/s); vacuum after it ` +
        `${((performance.now() - tv) / 1000).toFixed(0)} s`,
    );
  }
  console.log(
    '\n| ids in the ledger | configuration | batches before (since the restart: a checkpoint) | median ms / batch of 2000 | P95 | median vs 0 ids | heap + key index + first_seen_at index |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  await sql.end({ timeout: 5 });
  await server.destroy();
}
