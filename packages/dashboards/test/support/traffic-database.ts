/**
 * A ClickHouse database of this test's own, migrated, holding simulated traffic written the
 * way anlyt-ingest writes it (facts rows from @anlyt/testing, one INSERT per source, then each
 * touched day's cubes rebuilt from the facts as the cube builder does). A slice of the facts
 * is inserted a second time with later stream sequences — a redelivery — so every query that
 * reads the facts must read them FINAL to count an event once.
 */
import {
  createClickHouse,
  insertFacts,
  rebuildCubeDay,
  runClickHouseMigrations,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import {
  cdrFactRow,
  createTestClickHouseDatabase,
  dlrFactRow,
  TEST_CLICKHOUSE_URL,
  type TestClickHouseDatabase,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  FactsOracle,
  generateTraffic,
  type TrafficConfig,
} from '@anlyt/traffic';

const DAY = 86_400_000;
const REDELIVERED = 2_000;

export interface TrafficDatabase {
  name: string;
  facts: FactsOracle;
  cfg: TrafficConfig;
  /** Rows of a SELECT, with the column names and ClickHouse types of the result. */
  select(sql: string): Promise<{ meta: { name: string; type: string }[]; data: unknown[][] }>;
  drop(): Promise<void>;
}

export async function createTrafficDatabase(
  overrides: Partial<TrafficConfig>,
): Promise<TrafficDatabase> {
  const db = await createTestClickHouseDatabase('anlyt_dash');
  // The client, not a bare fetch: it drops idle sockets before 18.16's 3 s keep-alive
  // timeout would, so a query after a long oracle computation does not hit a closed socket.
  const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL, maxOpenConnections: 2 });
  try {
    return await load(db, ch, overrides);
  } catch (e) {
    await ch.close();
    await db.drop();
    throw e;
  }
}

async function load(
  db: TestClickHouseDatabase,
  ch: ClickHouseClient,
  overrides: Partial<TrafficConfig>,
): Promise<TrafficDatabase> {
  const t: Topology = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
  const cfg = defaultTrafficConfig({ cdrs: true, ...overrides });
  const facts = new FactsOracle();
  for (const m of generateTraffic(cfg)) facts.observe(m);

  let seq = 0;
  const dlrs = [...facts.dlrFacts().values()].map((f) => dlrFactRow(f, ++seq));
  const cdrs = [...facts.cdrFacts().values()].map((f) => cdrFactRow(f, ++seq));
  const again = <R extends { streamSeq: string }>(rows: R[]) =>
    rows.slice(0, REDELIVERED).map((r) => ({ ...r, streamSeq: String(++seq) }));
  await insertFacts(ch, t, 'dlr', [...dlrs, ...again(dlrs)]);
  await insertFacts(ch, t, 'cdr', [...cdrs, ...again(cdrs)]);

  let version = 1_000;
  const days = (rows: { occurredAtMs: number }[]) =>
    [...new Set(rows.map((r) => r.occurredAtMs - (r.occurredAtMs % DAY)))].sort((a, b) => a - b);
  for (const day of days(dlrs)) await rebuildCubeDay(ch, t, 'dlr', day, (version += 2));
  for (const day of days(cdrs)) await rebuildCubeDay(ch, t, 'cdr', day, (version += 2));

  return {
    name: db.name,
    facts,
    cfg,
    async select(sql) {
      const rs = await ch.query({ query: sql, format: 'JSONCompact' });
      const { meta, data } = await rs.json<unknown[]>();
      return { meta: meta ?? [], data };
    },
    async drop() {
      await ch.close();
      await db.drop();
    },
  };
}
