/**
 * A local replicated ClickHouse cluster: one private ZooKeeper and N private clickhouse-servers
 * forming one shard of N replicas, so `ON CLUSTER` DDL, ReplicatedMergeTree and a replica that
 * crashes and catches up can be tested on one machine. Macros: shard=01, replica=r1..rN.
 */
import { distinctFreePorts } from './clickhouse-process.js';
import { startClickHouseServer, type ClickHouseServer } from './clickhouse-server.js';
import { startZooKeeper, type ZooKeeperServer } from './zookeeper.js';

export interface ClickHouseCluster {
  zookeeper: ZooKeeperServer;
  /** nodes[i] has macro replica=r{i+1}. */
  nodes: ClickHouseServer[];
  clusterName: string;
  /** Kills every server and removes their directories. */
  destroy(): Promise<void>;
}

export async function startClickHouseCluster(
  opts: { replicas?: number; clusterName?: string } = {},
): Promise<ClickHouseCluster> {
  const n = opts.replicas ?? 3;
  const clusterName = opts.clusterName ?? 'anlyt';
  if (!Number.isInteger(n) || n < 1) throw new Error(`replicas must be a positive integer: ${n}`);
  const zookeeper = await startZooKeeper();
  const nodes: ClickHouseServer[] = [];
  const destroy = async () => {
    await Promise.all(nodes.map((s) => s.destroy()));
    await zookeeper.destroy();
  };
  try {
    // Every node's <remote_servers> names every replica, so all ports are chosen up front.
    const p = await distinctFreePorts(3 * n);
    const ports = Array.from({ length: n }, (_, i) => ({
      http: p[3 * i]!,
      tcp: p[3 * i + 1]!,
      interserver: p[3 * i + 2]!,
    }));
    const replicas = ports.map((q) => ({ host: '127.0.0.1', tcpPort: q.tcp, httpPort: q.http }));
    const started = await Promise.allSettled(
      ports.map((q, i) =>
        startClickHouseServer({
          ports: q,
          zookeeper: { host: '127.0.0.1', port: zookeeper.port },
          cluster: { name: clusterName, replicas },
          macros: { shard: '01', replica: `r${i + 1}`, cluster: clusterName },
        }),
      ),
    );
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } catch (e) {
    await destroy();
    throw e;
  }
  return { zookeeper, nodes, clusterName, destroy };
}
