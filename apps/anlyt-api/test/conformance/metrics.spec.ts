/**
 * anlyt-api's /metrics as Prometheus' own linter sees it (US-ANLYT-10): the built service as
 * a process (default metrics included, as deployed), after answers of several statuses and a
 * reused answer, piped to `promtool check metrics`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  eventually,
  familiesWithoutSeries,
  freePort,
  promtoolCheckMetrics,
  spawnService,
  type TestDatabase,
} from '@anlyt/testing';
import { SignJWT } from 'jose';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SECRET = 'conformance-secret-not-for-production';
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('anlyt-api /metrics', () => {
  it('passes promtool check metrics with every family populated', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const port = await freePort();
    const p = spawnService(MAIN, {
      DATABASE_URL: db.url,
      ANLYT_AUTH_JWT_SECRET: SECRET,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await eventually('the listener', () =>
        fetch(`${base}/healthz`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      );
      const admin = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('admin-dashboard')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET));
      const summary = `${base}/v1/internal/analytics/summary?from=2026-11-01&to=2026-11-02`;
      for (const [url, auth, status] of [
        [summary, admin, 200],
        [summary, admin, 200], // the same closed window again: a reused answer
        [summary, undefined, 401],
        [`${base}/v1/internal/analytics/summary?from=yesterday`, admin, 400],
      ] as const) {
        const r = await fetch(url, auth ? { headers: { authorization: `Bearer ${auth}` } } : {});
        expect(r.status, url).toBe(status);
      }
      const text = await (await fetch(`${base}/metrics`)).text();
      const families = [
        'anlyt_api_requests_total',
        'anlyt_api_request_duration_seconds_bucket',
        'anlyt_api_answer_cache_requests_total',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ];
      expect(familiesWithoutSeries(text, families)).toEqual([]);
      expect(promtoolCheckMetrics(text)).toEqual({ status: 0, problems: [] });
      expect((await p.kill('SIGTERM')).code).toBe(0);
    } finally {
      if (p.alive()) await p.kill('SIGKILL');
    }
  });
});
