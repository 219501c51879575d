// Two anlyt-quality-publisher services (the composition main.ts runs) firing every second
// against the same cubes and stream: the stream holds one event per (mno, direction,
// windowEnd), whichever replica was first. One whose ClickHouse is away: it keeps running,
// counts failed ticks and publishes nothing. And the built process SIGKILLed mid-run and
// started again: the minute it re-publishes is stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createLogger, createRegistry, type Registry } from '@anlyt/observability';
import { spawnService } from '@anlyt/testing';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import { startPublisherService } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import {
  createQualityStream,
  qualitySchemaValidator,
  startCubeWorld,
  type CubeWorld,
  type QualityStream,
} from './harness.js';

const HOUR = 3_600_000;
let world: CubeWorld;
let mnoDirections: Set<string>;

beforeAll(async () => {
  world = await startCubeWorld();
  const now = Date.now();
  const oracle = new FactsOracle();
  const cfg = defaultTrafficConfig({
    seed: 5,
    startMs: now - 2 * HOUR,
    spanMs: 2 * HOUR - 60_000,
    messages: 8_000,
    operators: 3,
    accounts: 20,
    cdrs: true,
  });
  for (const m of generateTraffic(cfg)) oracle.observe(m);
  const dlrs = [...oracle.dlrFacts().values()].filter((f) => f.occurredAtMs < now);
  const cdrs = [...oracle.cdrFacts().values()].filter((f) => f.occurredAtMs < now);
  const inWindow = (ms: number) => ms >= now - (now % HOUR) - HOUR;
  mnoDirections = new Set(
    [...dlrs, ...cdrs]
      .filter((f) => inWindow(f.occurredAtMs))
      .map((f) => `${f.mno}|${f.direction}`),
  );
  await world.load(dlrs, cdrs);
}, 120_000);

afterAll(async () => {
  await world.drop();
});

function serviceConfig(s: QualityStream, over: Record<string, string> = {}) {
  return loadConfig({
    CLICKHOUSE_DATABASE: world.database,
    QUALITY_STREAM: s.stream,
    QUALITY_SUBJECT: s.subject,
    QUALITY_CRON: '* * * * * *',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    ...over,
  });
}

async function counter(registry: Registry, name: string, labels: string): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = createLogger({ service: 'test', level: 'silent' });

describe('anlyt-quality-publisher services', () => {
  it('two replicas firing every second store each (mno, direction, windowEnd) once', async () => {
    const s = await createQualityStream();
    const registries = [
      createRegistry('a', { defaultMetrics: false }),
      createRegistry('b', { defaultMetrics: false }),
    ];
    const services = await Promise.all(
      registries.map((r) => startPublisherService(serviceConfig(s), log, r)),
    );
    try {
      await Promise.all(services.map((x) => x.started));
      await sleep(3_500);
    } finally {
      await Promise.all(services.map((x) => x.stop()));
    }
    try {
      const got = await s.messages();
      const keys = got.map((m) => `${m.body['mno']}|${m.body['direction']}|${m.body['windowEnd']}`);
      expect(new Set(keys).size).toBe(got.length);
      const windows = new Set(got.map((m) => m.body['windowEnd']));
      // Ran 3.5 s: one minute, or two when it crossed a minute boundary.
      expect(windows.size).toBeGreaterThanOrEqual(1);
      expect(windows.size).toBeLessThanOrEqual(2);
      for (const w of windows) {
        const inW = got.filter((m) => m.body['windowEnd'] === w);
        expect(new Set(inW.map((m) => `${m.body['mno']}|${m.body['direction']}`))).toEqual(
          mnoDirections,
        );
      }
      const valid = qualitySchemaValidator();
      for (const m of got) expect(valid(m.body), JSON.stringify(valid.errors)).toBe(true);
      let published = 0;
      let duplicates = 0;
      for (const r of registries) {
        published += await counter(r, 'anlyt_quality_events_total', 'result="published"');
        duplicates += await counter(r, 'anlyt_quality_events_total', 'result="duplicate"');
      }
      expect(published).toBe(got.length);
      // ~7 ticks in all, each re-publishing the minute's events: JetStream refused the copies.
      expect(duplicates).toBeGreaterThanOrEqual(got.length);
    } finally {
      await s.cleanup();
    }
  });

  it('keeps running and publishes nothing while ClickHouse is away', async () => {
    const s = await createQualityStream();
    const registry = createRegistry('c', { defaultMetrics: false });
    const service = await startPublisherService(
      serviceConfig(s, {
        CLICKHOUSE_URL: 'http://127.0.0.1:1',
        CLICKHOUSE_REQUEST_TIMEOUT_MS: '500',
      }),
      log,
      registry,
    );
    try {
      await service.started;
      await sleep(2_500);
      const ready = await fetch(`${service.address}/readyz`);
      expect(ready.status).toBe(503);
      expect(
        await counter(registry, 'anlyt_quality_ticks_total', 'outcome="error"'),
      ).toBeGreaterThanOrEqual(1);
      expect(await s.messages()).toEqual([]);
    } finally {
      await service.stop();
      await s.cleanup();
    }
  });

  it('a publisher SIGKILLed mid-minute and started again stores nothing twice', async () => {
    const s = await createQualityStream();
    const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const env = {
      CLICKHOUSE_DATABASE: world.database,
      QUALITY_STREAM: s.stream,
      QUALITY_SUBJECT: s.subject,
      QUALITY_CRON: '* * * * * *',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
    };
    try {
      const first = spawnService(mainJs, env, { name: 'publisher-1' });
      await first.waitForLine(/window done/, 30_000);
      await sleep(300); // somewhere inside a later tick, or between two
      expect(await first.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
      const again = spawnService(mainJs, env, { name: 'publisher-2' });
      await again.waitForLine(/window done/, 30_000);
      await sleep(1_200);
      await again.kill('SIGTERM');
      const got = await s.messages();
      const keys = got.map((m) => `${m.body['mno']}|${m.body['direction']}|${m.body['windowEnd']}`);
      expect(got.length).toBeGreaterThanOrEqual(mnoDirections.size);
      expect(new Set(keys).size).toBe(got.length);
      const lines = again.lines().filter((l) => l.includes('window done'));
      expect(lines.some((l) => /"duplicates":[1-9]/.test(l))).toBe(true); // re-sent, refused
    } finally {
      await s.cleanup();
    }
  });
});
