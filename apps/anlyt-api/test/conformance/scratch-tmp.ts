import { createRegistry } from '@anlyt/observability';
import { createClickHouse } from '@anlyt/clickhouse';
import { createTestDatabase, freePort } from '@anlyt/testing';
import { buildApp } from '../../src/app.js';
import { tokenVerifier } from '../../src/plugins/auth.js';
import { token, SECRET } from '../harness.js';
import { clickhouseQueryStore } from '../../src/query/clickhouse-query-store.js';
import { RunQueryUseCase } from '../../src/query/run-query.use-case.js';

const pg = await createTestDatabase();
const port = await freePort();
const ch = createClickHouse({ url: `http://127.0.0.1:${port}` });
const app = await buildApp({
  sql: pg.sql, verify: tokenVerifier({ secret: SECRET }), registry: createRegistry('anlyt-api', { defaultMetrics: false }),
  marginSeconds: 900, answerCacheBytes: 0,
  runQuery: new RunQueryUseCase({ store: clickhouseQueryStore(ch, { database: 'nowhere', cluster: null }, { cubeBuilder: 'main', maxExecutionTimeS: 5 }), database: 'nowhere', cursorKey: Buffer.from('k'.repeat(32)), maxResultRows: 10, cursorTtlMs: 86400000 }),
});
const admin = await token('admin');
const body = { dataset: 'dlr', measures: ['dlrs'] };
for (const [ct, payload] of [['application/json', JSON.stringify(body)], ['application/xml', '<a/>'], ['application/json', JSON.stringify({ ...body, cursor: 'x'.repeat(2 * 2 ** 20) })]] as const) {
  const r = await app.inject({ method: 'POST', url: '/v1/anlyt/query', headers: { authorization: `Bearer ${admin}`, 'content-type': ct }, payload });
  console.log(r.statusCode, r.headers['content-type'], r.body.slice(0, 300));
}
const r = await app.inject({ method: 'POST', url: '/v1/anlyt/query', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
console.log(r.statusCode, r.body);
await app.close(); await ch.close(); await pg.drop();
