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
