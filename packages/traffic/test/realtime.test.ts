import { describe, expect, it } from 'vitest';
import {
  RealtimeTraffic,
  type TrafficMessage,
  defaultTrafficConfig,
  diurnalFactor,
} from '../src/index.js';
import { parse } from './helpers.js';

const HOUR = 3_600_000;

/** Drives the simulator's traffic source with a fake clock. */
function run(rate: number, seconds: number, queueCap: number, startMs: number, lateRate = 0.02) {
  const traffic = new RealtimeTraffic(defaultTrafficConfig({ seed: 5, lateRate }), {
    ratePerSec: rate,
    queueCap,
  });
  const emitted: { at: number; m: TrafficMessage }[] = [];
  const out: TrafficMessage[] = [];
  for (let now = startMs + 100; now <= startMs + seconds * 1000; now += 100) {
    traffic.tick(now, 100, out);
    for (const m of out) emitted.push({ at: now, m });
    out.length = 0;
  }
  return { traffic, emitted };
}

describe('RealtimeTraffic', () => {
  const start = Date.UTC(2026, 10, 28, 13); // the diurnal peak
  const { traffic, emitted } = run(50, 300, 10_000, start);
  const valid = emitted
    .filter((e) => e.m.class === 'valid')
    .map((e) => ({ at: e.at, e: parse(e.m), kind: e.m.kind }));

  it('bills at the configured rate times the diurnal factor', () => {
    const billed = valid.filter((v) => v.kind === 'billed' && v.e['status'] === 'BILLED').length;
    const expected = 50 * diurnalFactor(start) * 300;
    expect(billed).toBeGreaterThan(expected * 0.9);
    expect(billed).toBeLessThan(expected * 1.1);
  });

  it('never emits an event before its occurredAt, and DLRs only once their latency elapsed', () => {
    for (const v of valid)
      expect(Date.parse(v.e['occurredAt'] as string)).toBeLessThanOrEqual(v.at);
    const onTime = valid.filter(
      (v) => v.kind === 'billed' && Date.parse(v.e['occurredAt'] as string) > v.at - HOUR,
    );
    for (const v of onTime)
      expect(v.at - Date.parse(v.e['occurredAt'] as string)).toBeLessThanOrEqual(100);
    expect(valid.filter((v) => v.kind === 'dlr').length).toBeGreaterThan(10_000);
    expect(valid.some((v) => Date.parse(v.e['occurredAt'] as string) < v.at - HOUR)).toBe(true); // late ones
    expect(traffic.dropped).toBe(0);
  });

  it('mixes in invalid messages, duplicates and conflicts', () => {
    const classes = new Set(emitted.map((e) => e.m.class));
    expect([...classes].sort()).toEqual(['conflict', 'duplicate', 'invalid', 'valid']);
  });

  it('drops follow-ups beyond the queue cap instead of growing without bound', () => {
    const capped = run(200, 20, 50, start);
    expect(capped.traffic.queued).toBeLessThanOrEqual(50);
    expect(capped.traffic.dropped).toBeGreaterThan(0);
  });
});
