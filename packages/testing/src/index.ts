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
