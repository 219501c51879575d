export { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase } from './postgres.js';
export {
  createTestNats,
  waitForDrained,
  TEST_NATS_URL,
  type TestNats,
  type TestTopology,
} from './nats.js';
export { billedEvent, dlrEvent, encode } from './builders.js';
export { compareWithOracle } from './compare.js';
export {
  spawnService,
  freePort,
  waitForPort,
  type ServiceProcess,
  type ExitStatus,
} from './process.js';
export { startPostgresServer, type PostgresServer } from './servers/postgres-server.js';
export { startNatsServer, type NatsServer } from './servers/nats-server.js';
export { familiesWithoutSeries, promtoolCheckMetrics, type PromtoolResult } from './promtool.js';
export { eventually } from './eventually.js';
export {
  clickhouseQuery,
  createTestClickHouseDatabase,
  TEST_CLICKHOUSE_URL,
  type TestClickHouseDatabase,
} from './clickhouse.js';
export {
  startClickHouseServer,
  type ClickHouseServer,
  type ClickHouseServerOptions,
  type ClickHouseReplicaAddress,
} from './servers/clickhouse-server.js';
export { startZooKeeper, type ZooKeeperServer } from './servers/zookeeper.js';
export { startClickHouseCluster, type ClickHouseCluster } from './servers/clickhouse-cluster.js';
export { compareFactsWithOracle } from './clickhouse-compare.js';
export { dlrFactRow, cdrFactRow } from './clickhouse-facts.js';
export { createTestCerts, type TestCerts, type KeyPair } from './certs.js';
export { startTestS3, type TestS3 } from './s3.js';
