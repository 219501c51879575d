/**
 * The API over a real listening socket (not inject()): what a kubelet probe, Prometheus and
 * the admin dashboard actually do.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { billedEvent } from '@anlyt/testing';
import { startApiHarness, token, type ApiHarness } from './harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
  await h.ingest([billedEvent({ occurredAt: '2026-01-01T10:00:00.000Z', amount: '0.25' })], []);
});
afterAll(async () => {
  await h.close();
});

it('serves /healthz, /openapi.json, /metrics and an authenticated /summary over TCP', async () => {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = h.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const doc = await fetch(`${base}/openapi.json`);
  expect(doc.status).toBe(200);
  const openapi = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths)).toEqual(
    expect.arrayContaining([
      '/v1/internal/analytics/summary',
      '/v1/internal/analytics/throughput',
      '/v1/internal/analytics/delivery-breakdown',
    ]),
  );

  const unauthenticated = await fetch(`${base}/v1/internal/analytics/summary`);
  expect(unauthenticated.status).toBe(401);
  expect(unauthenticated.headers.get('content-type')).toMatch(/^application\/problem\+json/);

  const summary = await fetch(
    `${base}/v1/internal/analytics/summary?from=2026-01-01&to=2026-01-01`,
    {
      headers: { authorization: `Bearer ${await token('admin')}` },
    },
  );
  expect(summary.status).toBe(200);
  expect(summary.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await summary.json()).toMatchObject({
    totalMessages: 1,
    totalCost: '0.250000',
    dataAsOf: { billing: '2026-01-01T10:00:00.000Z', dlr: null },
  });

  // Scraped after the calls above, so it counts them by route template.
  const metrics = await fetch(`${base}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await metrics.text();
  expect(text).toMatch(
    /anlyt_api_requests_total\{route="\/v1\/internal\/analytics\/summary",status="200"[^}]*\} 1\n/,
  );
  expect(text).toMatch(
    /anlyt_api_requests_total\{route="\/v1\/internal\/analytics\/summary",status="401"[^}]*\} 1\n/,
  );
});
