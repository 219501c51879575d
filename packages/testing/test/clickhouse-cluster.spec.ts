/**
 * The local replicated rig: one ZooKeeper + three clickhouse-servers as cluster `anlyt` (one
 * shard, three replicas). ON CLUSTER DDL reaches every node, an insert on one replica shows up
 * on all, and a SIGKILLed replica fetches what it missed once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseQuery,
  eventually,
  startClickHouseCluster,
  type ClickHouseCluster,
  type ClickHouseServer,
} from '../src/index.js';

const count = async (node: ClickHouseServer) =>
  Number((await clickhouseQuery(node.url, 'SELECT count() FROM d.t')).trim());

/** Resolves once every node counts `n` rows; the error names each node's last count. */
async function converge(nodes: ClickHouseServer[], n: number, timeoutMs = 30_000): Promise<void> {
  let last: number[] = [];
  await eventually(
    `${n} rows on every replica`,
    async () => {
      last = await Promise.all(nodes.map((s) => count(s).catch(() => -1)));
      return last.every((c) => c === n) ? true : undefined;
    },
    timeoutMs,
    200,
  ).catch((e: Error) => Promise.reject(new Error(`${e.message} (counts: ${last.join(', ')})`)));
}

describe('startClickHouseCluster', () => {
  let cluster: ClickHouseCluster;
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ replicas: 3 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  }, 30_000);

  it('knows all three replicas of one shard on every node', async () => {
    expect(cluster.clusterName).toBe('anlyt');
    expect(cluster.nodes).toHaveLength(3);
    for (const [i, node] of cluster.nodes.entries()) {
      const rows = await clickhouseQuery(
        node.url,
        "SELECT shard_num, replica_num, port FROM system.clusters WHERE cluster = 'anlyt' ORDER BY replica_num",
      );
      expect(rows.trim().split('\n')).toEqual(
        cluster.nodes.map((n, j) => `1\t${j + 1}\t${n.tcpPort}`),
      );
      const macros = await clickhouseQuery(
        node.url,
        'SELECT macro, substitution FROM system.macros ORDER BY macro',
      );
      expect(macros).toContain(`replica\tr${i + 1}\n`);
      expect(macros).toContain('shard\t01\n');
    }
  }, 15_000);

  it('replicates ON CLUSTER tables, and a SIGKILLed replica catches up after a restart', async () => {
    const [n1, n2, n3] = cluster.nodes as [ClickHouseServer, ClickHouseServer, ClickHouseServer];
    // ON CLUSTER answers with one row per host (host, port, status, error, ...) once all ran it.
    const ddl = await clickhouseQuery(n1.url, 'CREATE DATABASE d ON CLUSTER anlyt');
    const statuses = ddl
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(1, 3));
    expect(statuses.sort()).toEqual(cluster.nodes.map((n) => [String(n.tcpPort), '0']).sort());
    await clickhouseQuery(
      n1.url,
      `CREATE TABLE d.t ON CLUSTER anlyt (k UInt64)
       ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/d/t', '{replica}') ORDER BY k`,
    );

    await clickhouseQuery(n1.url, 'INSERT INTO d.t SELECT number FROM system.numbers LIMIT 1000');
    await converge(cluster.nodes, 1000);

    await n2.kill('SIGKILL');
    expect(n2.running()).toBe(false);
    await clickhouseQuery(
      n1.url,
      'INSERT INTO d.t SELECT number + 1000 FROM system.numbers LIMIT 1000',
    );
    await converge([n1, n3], 2000); // the two live replicas go on without the third

    await n2.start();
    expect(n2.running()).toBe(true);
    await converge(cluster.nodes, 2000, 60_000);
    // The same rows, not just as many: 0..1999 exactly once on each replica.
    for (const node of cluster.nodes)
      expect((await clickhouseQuery(node.url, 'SELECT sum(k), uniqExact(k) FROM d.t')).trim()).toBe(
        '1999000\t2000',
      );
  }, 120_000);
});
