import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouseDatabase, TEST_CLICKHOUSE_URL } from '@anlyt/testing';
import {
  createClickHouse,
  MIGRATIONS,
  parseVersion,
  rows,
  runClickHouseMigrations,
  tieringStatements,
  type Migration,
} from '../src/index.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let db: Awaited<ReturnType<typeof createTestClickHouseDatabase>>;
beforeAll(async () => {
  db = await createTestClickHouseDatabase('anlyt_mig');
});
afterAll(async () => {
  await db.drop();
  await ch.close();
});

describe('ClickHouse migrations on a single node', () => {
  it('creates the facts, cubes and bookkeeping, records them, and is idempotent', async () => {
    const skipped: string[] = [];
    const topology = { database: db.name, cluster: null };
    const first = await runClickHouseMigrations(ch, {
      topology,
      onSkip: (_m, r) => skipped.push(r),
    });
    expect(first.applied).toEqual([1, 2, 3, 5, 6, 7]);
    // 18.16 (the Debian server here) has no storage policies: the tiering migration waits.
    expect(first.skipped.map((s) => s.id)).toEqual([4]);
    expect(skipped[0]).toMatch(/needs ClickHouse ≥ 21\.8 .*server is 18\./);
    const second = await runClickHouseMigrations(ch, { topology });
    expect(second.applied).toEqual([]);
    const tables = await rows<{ name: string }>(
      ch,
      `SELECT name FROM system.tables WHERE database = '${db.name}' ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      'cube_cdr_daily',
      'cube_cdr_mno_hourly',
      'cube_compliance_hourly',
      'cube_dirty',
      'cube_dlr_daily',
      'cube_dlr_hourly',
      'cube_dlr_latency_daily',
      'cube_watermark',
      'facts_cdr',
      'facts_dlr',
      'ingest_watermark',
      'query_results',
      'schema_migrations',
    ]);
    const engines = await rows<{ name: string; engine: string; sorting_key?: string }>(
      ch,
      `SELECT name, engine FROM system.tables WHERE database = '${db.name}' AND name LIKE 'facts_%' ORDER BY name`,
    );
    expect(engines.map((e) => e.engine)).toEqual(['ReplacingMergeTree', 'ReplacingMergeTree']);
  });

  it('never stores an msisdn column', async () => {
    const cols = await rows<{ name: string }>(
      ch,
      `SELECT name FROM system.columns WHERE database = '${db.name}'`,
    );
    expect(cols.map((c) => c.name.toLowerCase())).not.toContain('msisdn');
  });

  it('records a version-gated migration once the server is new enough', async () => {
    const gated: Migration = {
      id: 90,
      name: 'gated',
      statements: () => ['SELECT 1'],
      requires: { major: 18, minor: 1, why: 'test' },
    };
    const r = await runClickHouseMigrations(ch, {
      topology: { database: db.name, cluster: null },
      migrations: [gated],
    });
    expect(r.applied).toEqual([90]);
  });
});

describe('one DDL source for a single node and a cluster', () => {
  const facts = MIGRATIONS.find((m) => m.id === 1)!;
  it('renders ON CLUSTER and Replicated engines with the shard/replica macros', () => {
    const [dlr] = facts.statements({ database: 'anlyt', cluster: 'anlyt_cluster' });
    expect(dlr).toContain('CREATE TABLE IF NOT EXISTS anlyt.facts_dlr ON CLUSTER anlyt_cluster (');
    expect(dlr).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/anlyt/facts_dlr', '{replica}', ver)",
    );
  });
  it('renders plain engines without ON CLUSTER on a single node', () => {
    const [dlr] = facts.statements({ database: 'anlyt', cluster: null });
    expect(dlr).not.toContain('ON CLUSTER');
    expect(dlr).toContain('ENGINE = ReplacingMergeTree(ver)');
  });
});

describe('tiering for a current server', () => {
  it('moves facts to warm after 90 days and to cold (S3) after a year, cluster-wide', () => {
    const s = tieringStatements({ database: 'anlyt', cluster: 'prod' }, ['facts_dlr']);
    expect(s).toEqual([
      "ALTER TABLE anlyt.facts_dlr ON CLUSTER prod MODIFY SETTING storage_policy = 'anlyt_tiered'",
      "ALTER TABLE anlyt.facts_dlr ON CLUSTER prod MODIFY TTL hour + INTERVAL 90 DAY TO VOLUME 'warm', hour + INTERVAL 365 DAY TO VOLUME 'cold'",
    ]);
  });
  it('is applied by a 24.8 server and skipped by 18.16', () => {
    const gate = MIGRATIONS.find((m) => m.id === 4)!.requires!;
    const ok = (v: string) => {
      const p = parseVersion(v);
      return p.major > gate.major || (p.major === gate.major && p.minor >= gate.minor);
    };
    expect(ok('24.8.4.13')).toBe(true);
    expect(ok('18.16.1')).toBe(false);
  });
});
