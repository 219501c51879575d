/**
 * The bench's ClickHouse-side phases: the bare insert ceiling, cube freshness after a drain,
 * one full rebuild of every cube day, and the bytes of facts vs cubes.
 */
import {
  CUBE_NAMES,
  exec,
  insertFacts,
  rebuildCubeDay,
  rows,
  type CdrFactRow,
  type ClickHouseClient,
  type DlrFactRow,
  type Topology,
} from '@anlyt/clickhouse';
import { cdrFact, dlrFact } from '../src/adapters/fact-rows.js';
import type { Corpus } from './corpus.js';
import { cpuByCommand, sample, scrape, serverCpuSince } from './probes.js';

const q = (t: Topology, table: string) => `${t.database}.${table}`;
const count = async (ch: ClickHouseClient, sql: string) =>
  Number((await rows<{ n: string }>(ch, sql))[0]!.n);

/**
 * The same rows the ingest should store (the generator's `valid` messages, streamSeq = their
 * position in their stream), decoded and mapped by the ingest's own dlrFact/cdrFact and
 * inserted with insertFacts in `batch`-row inserts — DLR and CDR concurrently, as the ingest's
 * two loops are — with no NATS, no copies lookup and no dirty-day marks.
 */
export async function bareInsert(
  ch: ClickHouseClient,
  t: Topology,
  byKind: { dlr: Corpus; cdr: Corpus },
  batch: number,
) {
  const cpu0 = process.cpuUsage();
  const servers0 = cpuByCommand();
  const t0 = performance.now();
  let mapMs = 0;
  let inserted = 0;
  const run = async (kind: 'dlr' | 'cdr') => {
    let buf: (DlrFactRow | CdrFactRow)[] = [];
    let chunkStart = performance.now();
    const flush = async () => {
      mapMs += performance.now() - chunkStart;
      await insertFacts(ch, t, kind, buf);
      inserted += buf.length;
      buf = [];
      chunkStart = performance.now();
    };
    const corpus = byKind[kind];
    for (let i = 0; i < corpus.length; i++) {
      const data = corpus.data(i);
      const r = kind === 'dlr' ? dlrFact(data) : cdrFact(data, 'USD');
      if (r.ok && corpus.isValid(i)) buf.push({ ...r.fact.row, streamSeq: String(i + 1) });
      if (buf.length === batch) await flush();
    }
    if (buf.length > 0) await flush();
  };
  await Promise.all([run('dlr'), run('cdr')]);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    rows: inserted,
    seconds,
    mapSeconds: mapMs / 1000,
    cpu: { own: (cpu.user + cpu.system) / 1e6, servers: serverCpuSince(servers0) },
  };
}

/** count() FINAL of each facts table: what the cubes must add up to. */
export async function finalCounts(ch: ClickHouseClient, t: Topology) {
  return {
    dlr: await count(ch, `SELECT count() AS n FROM ${q(t, 'facts_dlr')} FINAL`),
    cdr: await count(ch, `SELECT count() AS n FROM ${q(t, 'facts_cdr')} FINAL`),
  };
}

async function cubesComplete(
  ch: ClickHouseClient,
  t: Topology,
  want: { dlr: number; cdr: number },
) {
  const [r] = await rows<{ d: string; c: string; k: string }>(
    ch,
    `SELECT (SELECT sum(dlrs) FROM ${q(t, 'cube_dlr_hourly')} FINAL) AS d,
            (SELECT sum(cdrs) FROM ${q(t, 'cube_cdr_daily')} FINAL) AS c,
            (SELECT sum(checked) FROM ${q(t, 'cube_compliance_hourly')} FINAL) AS k`,
  );
  return Number(r!.d) === want.dlr && Number(r!.c) === want.cdr && Number(r!.k) === want.cdr;
}

/**
 * From `since` (the end of the drain): when the cubes first held every fact, and when the
 * ingest's anlyt_ingest_cube_lag_seconds also read 0 (it is set at the start of each pass).
 */
export async function cubeFreshness(
  ch: ClickHouseClient,
  t: Topology,
  port: number,
  want: { dlr: number; cdr: number },
  since: number,
  timeoutMs: number,
) {
  let complete: number | null = null;
  while (performance.now() - since < timeoutMs) {
    if (complete === null && (await cubesComplete(ch, t, want)))
      complete = (performance.now() - since) / 1000;
    if (complete !== null && sample(await scrape(port), 'anlyt_ingest_cube_lag_seconds') === 0)
      return { completeS: complete, lagZeroS: (performance.now() - since) / 1000 };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`cubes not fresh ${timeoutMs / 1000} s after the drain (complete: ${complete})`);
}

/**
 * One rebuild of every cube day the facts hold, with build versions above the ingest's (its
 * clock in ms, 2 apart, as its adapter does).
 */
export async function fullRebuild(ch: ClickHouseClient, t: Topology) {
  let version = Date.now();
  const t0 = performance.now();
  let days = 0;
  for (const source of ['dlr', 'cdr'] as const) {
    const found = await rows<{ d: string }>(
      ch,
      `SELECT DISTINCT toString(toDate(hour)) AS d FROM ${q(t, `facts_${source}`)} ORDER BY d`,
    );
    for (const { d } of found) {
      await rebuildCubeDay(ch, t, source, Date.parse(`${d}T00:00:00Z`), (version += 2));
      days++;
    }
  }
  return { seconds: (performance.now() - t0) / 1000, days };
}

export interface Bytes {
  facts: number;
  cubes: number;
  factRows: number;
  cubeRows: number;
  parts: number;
  /** e.g. `cube_dlr_hourly 3.1 MB` for each cube. */
  perCube: string;
}

/** Active parts of facts_* and of the three cubes. */
async function partsBytes(ch: ClickHouseClient, t: Topology): Promise<Bytes> {
  const found = await rows<{ table: string; b: string; r: string; p: string }>(
    ch,
    `SELECT table, sum(bytes_on_disk) AS b, sum(rows) AS r, count() AS p FROM system.parts
     WHERE database = '${t.database}' AND active GROUP BY table`,
  );
  const out: Bytes = { facts: 0, cubes: 0, factRows: 0, cubeRows: 0, parts: 0, perCube: '' };
  const cubes: string[] = [];
  for (const f of found) {
    const kind = f.table.startsWith('facts_') ? 'fact' : CUBE_NAMES.includes(f.table) ? 'cube' : '';
    if (kind === '') continue;
    out[kind === 'fact' ? 'facts' : 'cubes'] += Number(f.b);
    out[kind === 'fact' ? 'factRows' : 'cubeRows'] += Number(f.r);
    out.parts += Number(f.p);
    if (kind === 'cube') cubes.push(`${f.table} ${(Number(f.b) / 2 ** 20).toFixed(1)} MB`);
  }
  out.perCube = cubes.sort().join(', ');
  return out;
}

/** Bytes before and after OPTIMIZE TABLE … FINAL of every table of the database. */
export async function bytesFactsVsCubes(ch: ClickHouseClient, t: Topology) {
  const before = await partsBytes(ch, t);
  const tables = await rows<{ name: string }>(
    ch,
    `SELECT name FROM system.tables WHERE database = '${t.database}' AND engine LIKE '%MergeTree'`,
  );
  const t0 = performance.now();
  for (const { name } of tables) await exec(ch, `OPTIMIZE TABLE ${q(t, name)} FINAL`);
  const optimizeS = (performance.now() - t0) / 1000;
  return { before, after: await partsBytes(ch, t), optimizeS };
}
