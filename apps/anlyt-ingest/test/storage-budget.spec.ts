/**
 * US-ANLYT-13 AC4: cubes ≤ 5 % of the facts' bytes on disk (system.parts, after merges). The
 * ratio depends on density — how many facts share a cube row — not on volume: the t-digest
 * state of a row holds ~8 bytes per sample until it has ~100 of them. This set has the density
 * of a mid-size tenant (~15 000 messages per account per day, 10 accounts, 8 MNOs, one day);
 * `pnpm bench:ingest` reports the ratio on millions of facts (docs/benchmarks.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClickHouse,
  exec,
  insertFacts,
  rebuildCubeDay,
  rows,
  runClickHouseMigrations,
  type CdrFactRow,
  type DlrFactRow,
  type Topology,
} from '@anlyt/clickhouse';
import {
  createTestClickHouseDatabase,
  TEST_CLICKHOUSE_URL,
  type TestClickHouseDatabase,
} from '@anlyt/testing';
import { defaultTrafficConfig, generateTraffic } from '@anlyt/traffic';
import { cdrFact, dlrFact } from '../src/adapters/fact-rows.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let db: TestClickHouseDatabase;
let t: Topology;
beforeAll(async () => {
  db = await createTestClickHouseDatabase('anlyt_budget');
  t = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
});
afterAll(async () => {
  await db?.drop();
  await ch.close();
});

describe('storage budget', () => {
  it('keeps the cubes within 5 % of the facts on disk', async () => {
    const cfg = defaultTrafficConfig({
      seed: 5,
      messages: 150_000,
      accounts: 10,
      cdrs: true,
      lateRate: 0,
    });
    const dlrs: DlrFactRow[] = [];
    const cdrs: CdrFactRow[] = [];
    let seq = 0;
    for (const m of generateTraffic(cfg)) {
      if (m.class !== 'valid') continue;
      seq++;
      if (m.kind === 'dlr') {
        const r = dlrFact(m.data);
        if (r.ok) dlrs.push({ ...r.fact.row, streamSeq: String(seq) });
      } else if (m.kind === 'cdr') {
        const r = cdrFact(m.data, cfg.currency);
        if (r.ok) cdrs.push({ ...r.fact.row, streamSeq: String(seq) });
      }
    }
    for (let i = 0; i < dlrs.length; i += 20_000)
      await insertFacts(ch, t, 'dlr', dlrs.slice(i, i + 20_000));
    for (let i = 0; i < cdrs.length; i += 20_000)
      await insertFacts(ch, t, 'cdr', cdrs.slice(i, i + 20_000));
    const days = new Set(
      [...dlrs, ...cdrs].map((r) => Date.parse(`${r.hour.slice(0, 10)}T00:00:00Z`)),
    );
    let version = 10;
    for (const d of days) {
      await rebuildCubeDay(ch, t, 'dlr', d, (version += 2));
      await rebuildCubeDay(ch, t, 'cdr', d, (version += 2));
    }
    const tables = [
      'facts_dlr',
      'facts_cdr',
      'cube_dlr_hourly',
      'cube_dlr_daily',
      'cube_dlr_latency_daily',
      'cube_cdr_daily',
      'cube_compliance_hourly',
    ];
    for (const table of tables) await exec(ch, `OPTIMIZE TABLE ${db.name}.${table} FINAL`);
    const sizes = await rows<{ table: string; bytes: string }>(
      ch,
      `SELECT table, sum(bytes_on_disk) AS bytes FROM system.parts
       WHERE active AND database = '${db.name}' GROUP BY table`,
    );
    const bytes = (prefix: string) =>
      sizes.filter((s) => s.table.startsWith(prefix)).reduce((a, s) => a + Number(s.bytes), 0);
    const [facts, cubes] = [bytes('facts_'), bytes('cube_')];
    expect(dlrs.length + cdrs.length).toBeGreaterThan(250_000);
    expect(cubes).toBeGreaterThan(0);
    console.log(`storage budget: cubes ${((100 * cubes) / facts).toFixed(2)} % of the facts`);
    expect(cubes / facts, `cubes ${cubes} B vs facts ${facts} B`).toBeLessThanOrEqual(0.05);
  }, 180_000);
});
