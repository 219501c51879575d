// The operator.quality.v1 feed end to end: simulated traffic written to ClickHouse as
// anlyt-ingest writes it, the publisher's tick, and the stream read back as routing-engine
// reads it. Every field is checked against figures computed here from the traffic's facts
// (an oracle independent of the cubes and of the publisher's SQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTrafficConfig, FactsOracle, generateTraffic } from '@anlyt/traffic';
import type { CdrFact, DlrFact } from '@anlyt/traffic';
import { clickhouseQualityStore } from '../src/adapters/clickhouse-quality-store.js';
import { natsQualityBus } from '../src/adapters/nats-quality-bus.js';
import { PublishQualityUseCase } from '../src/use-cases/publish-quality.use-case.js';
import {
  createQualityStream,
  qualitySchemaValidator,
  startCubeWorld,
  type CubeWorld,
  type QualityStream,
} from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The publish minute: 14:37 UTC; its window is [13:00, 14:37). */
const H = Date.UTC(2026, 10, 27, 14);
const T = H + 37 * MIN;
const WINDOW_START = H - HOUR;
const MIN_SAMPLE = 50;
const FINAL = new Set(['DELIVERED', 'FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE']);

let world: CubeWorld;
const oracle = new FactsOracle();
let dlrs: DlrFact[];
let cdrs: CdrFact[];

beforeAll(async () => {
  world = await startCubeWorld();
  const cfg = defaultTrafficConfig({
    seed: 17,
    startMs: H - 3 * HOUR,
    spanMs: 3 * HOUR + 37 * MIN,
    messages: 40_000,
    operators: 5,
    accounts: 40,
    cdrs: true,
  });
  for (const m of generateTraffic(cfg)) oracle.observe(m);
  // What had arrived by the publish minute: facts that occurred before it (a DLR of a message
  // sent at 14:36 may occur after 14:37; it is not there yet).
  dlrs = [...oracle.dlrFacts().values()].filter((f) => f.occurredAtMs < T);
  cdrs = [...oracle.cdrFacts().values()].filter((f) => f.occurredAtMs < T);
  // An MNO whose only traffic is older than the window: it must get no event.
  const old = dlrs.find((f) => f.occurredAtMs < WINDOW_START)!;
  dlrs.push({ ...old, eventId: '00000000-0000-4000-8000-00000000beef', mno: 'op_gone' });
  // An MNO with a handful of DLRs in the window: below the minimum sample, its rates are null.
  const recent = dlrs.filter((f) => f.occurredAtMs >= H && FINAL.has(f.status)).slice(0, 12);
  recent.forEach((f, i) => {
    const eventId = `00000000-0000-4000-8000-${(0xa000 + i).toString(16).padStart(12, '0')}`;
    dlrs.push({ ...f, eventId, mno: 'op_small', direction: 'MT' });
  });
  await world.load(dlrs, cdrs);
}, 120_000);

afterAll(async () => {
  await world.drop();
});

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The oracle's view of [WINDOW_START, T) per (mno, direction). */
function expected() {
  const inWindow = (ms: number) => ms >= WINDOW_START && ms < T;
  const by = new Map<
    string,
    { delivered: number; final: number; latencies: number[]; cdrs: number; esme: number }
  >();
  const at = (mno: string, direction: string) => {
    const k = `${mno}|${direction}`;
    if (!by.has(k)) by.set(k, { delivered: 0, final: 0, latencies: [], cdrs: 0, esme: 0 });
    return by.get(k)!;
  };
  for (const f of dlrs.filter((d) => inWindow(d.occurredAtMs))) {
    const g = at(f.mno, f.direction);
    g.latencies.push(f.latencyMs);
    if (FINAL.has(f.status)) g.final++;
    if (f.status === 'DELIVERED') g.delivered++;
  }
  for (const f of cdrs.filter((c) => inWindow(c.occurredAtMs))) {
    const g = at(f.mno, f.direction);
    g.cdrs++;
    if (f.esmeErrorCode !== null) g.esme++;
  }
  return by;
}

function useCase(world: CubeWorld, s: QualityStream, o: { maxLagMs?: number } = {}) {
  return new PublishQualityUseCase(
    clickhouseQualityStore(world.ch, world.t, 'main'),
    natsQualityBus(s.js, s.subject),
    { minSample: MIN_SAMPLE, maxLagMs: o.maxLagMs ?? 120_000, now: () => T + 10_000 },
  );
}

describe('operator.quality.v1 publisher', () => {
  it('publishes one event per (mno, direction) with traffic, every field as the oracle says', async () => {
    const s = await createQualityStream();
    try {
      const r = await useCase(world, s).run(T + 10_000);
      const want = expected();
      expect(r).toMatchObject({ outcome: 'published', published: want.size, duplicates: 0 });
      const got = await s.messages();
      expect(got).toHaveLength(want.size);
      const valid = qualitySchemaValidator();
      for (const { body, msgId } of got) {
        expect(valid(body), JSON.stringify(valid.errors)).toBe(true);
        expect(msgId).toBe(body['eventId']);
        expect(body).toMatchObject({
          eventType: 'operator.quality.v1',
          windowStart: '2026-11-27T13:00:00.000Z',
          windowEnd: '2026-11-27T14:37:00.000Z',
          occurredAt: '2026-11-27T14:37:10.000Z',
        });
        const w = want.get(`${body['mno']}|${body['direction']}`);
        expect(w, `${body['mno']} ${body['direction']}`).toBeDefined();
        expect(body['sampleSize']).toBe(w!.final);
        expect(body['deliveryRate']).toBe(
          w!.final >= MIN_SAMPLE ? round4(w!.delivered / w!.final) : null,
        );
        expect(body['esmeErrorRate']).toBe(
          w!.cdrs >= MIN_SAMPLE ? round4(w!.esme / w!.cdrs) : null,
        );
        const n = w!.latencies.length;
        if (n < MIN_SAMPLE) expect(body['dlrLatencyP95']).toBeNull();
        else {
          // The t-digest's answer, by rank: between the 93rd and 97th percentile of the exact.
          const p95 = body['dlrLatencyP95'] as number;
          const below = w!.latencies.filter((l) => l < p95 - 0.5).length / n;
          const atOrBelow = w!.latencies.filter((l) => l <= p95 + 0.5).length / n;
          expect(below, `${body['mno']} rank`).toBeLessThanOrEqual(0.97);
          expect(atOrBelow, `${body['mno']} rank`).toBeGreaterThanOrEqual(0.93);
        }
      }
      // The simulated traffic is big enough that most groups carry real rates.
      expect(got.filter((m) => m.body['deliveryRate'] !== null).length).toBeGreaterThanOrEqual(5);
      expect(
        got.some((m) => m.body['esmeErrorRate'] !== null && m.body['esmeErrorRate'] !== 0),
      ).toBe(true);
      expect(got.map((m) => m.body['mno'])).not.toContain('op_gone');
      expect(got.find((m) => m.body['mno'] === 'op_small')?.body).toMatchObject({
        sampleSize: 12,
        deliveryRate: null,
        dlrLatencyP95: null,
        esmeErrorRate: null,
      });
    } finally {
      await s.cleanup();
    }
  });

  it('two publishers and a re-run of the same minute store one event per (mno, direction, windowEnd)', async () => {
    const s = await createQualityStream();
    const other = await createQualityStream(); // a second connection, publishing to s's subject
    try {
      const [a, b] = await Promise.all([
        useCase(world, s).run(T + 10_000),
        new PublishQualityUseCase(
          clickhouseQualityStore(world.ch, world.t, 'main'),
          natsQualityBus(other.js, s.subject),
          { minSample: MIN_SAMPLE, maxLagMs: 120_000 },
        ).run(T + 42_000), // the same minute, later in it
      ]);
      const n = expected().size;
      if (a.outcome !== 'published' || b.outcome !== 'published') throw new Error('not published');
      expect(a.published + b.published).toBe(n);
      expect(a.duplicates + b.duplicates).toBe(n);
      const again = await useCase(world, s).run(T + 55_000);
      expect(again).toMatchObject({ published: 0, duplicates: n });
      const got = await s.messages();
      const keys = got.map((m) => `${m.body['mno']}|${m.body['direction']}|${m.body['windowEnd']}`);
      expect(new Set(keys).size).toBe(n);
      expect(got).toHaveLength(n);
      // The next minute is a new window: new ids, stored.
      const next = await useCase(world, s).run(T + MIN + 10_000);
      expect(next).toMatchObject({ published: n, duplicates: 0 });
    } finally {
      await other.cleanup();
      await s.cleanup();
    }
  });

  it('skips a window the cubes have not caught up with: nothing is published', async () => {
    const s = await createQualityStream();
    try {
      // A day later: the newest fact in the cubes is 24 h older than that window's end.
      const r = await useCase(world, s).run(T + 24 * HOUR);
      expect(r.outcome).toBe('stale');
      expect(await s.messages()).toEqual([]);
    } finally {
      await s.cleanup();
    }
  });

  it('rejects, publishing nothing, when ClickHouse does not answer', async () => {
    const s = await createQualityStream();
    const { createClickHouse } = await import('@anlyt/clickhouse');
    const away = createClickHouse({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2000 });
    try {
      const down = new PublishQualityUseCase(
        clickhouseQualityStore(away, world.t, 'main'),
        natsQualityBus(s.js, s.subject),
        { minSample: MIN_SAMPLE, maxLagMs: 120_000 },
      );
      await expect(down.run(T + 10_000)).rejects.toThrow();
      expect(await s.messages()).toEqual([]);
    } finally {
      await away.close();
      await s.cleanup();
    }
  });
});
