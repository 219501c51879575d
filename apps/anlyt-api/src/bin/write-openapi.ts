/**
 * `pnpm --filter @anlyt/api openapi:write` — writes the OpenAPI document as a deployment with
 * default settings serves it at /openapi.json (servers: DEFAULT_PUBLIC_URL) to
 * docs/openapi.json, or to the path given; the script then formats it with prettier. A
 * conformance test (test/conformance/openapi-document.spec.ts) fails when the served document
 * and the file differ. Needs no database: nothing is queried.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@anlyt/observability';
import { createSql } from '@anlyt/pg';
import { buildApp } from '../app.js';
import { DEFAULT_PUBLIC_URL } from '../config.js';
import { tokenVerifier } from '../plugins/auth.js';

const target =
  process.argv[2] ?? fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));

// postgres.js connects on the first query, and building the app makes none.
const sql = createSql('postgres://127.0.0.1:5432/unused', { max: 1 });
const app = await buildApp({
  sql,
  verify: tokenVerifier({ secret: 'never-used-no-request-is-served' }),
  registry: createRegistry('anlyt-api', { defaultMetrics: false }),
  marginSeconds: 0,
  answerCacheBytes: 0,
  publicUrl: DEFAULT_PUBLIC_URL,
});
await app.ready();
await writeFile(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await sql.end();
console.log(`wrote ${target}`);
