// FactsOracle over generated traffic: noise moves no fact, every CDR is counted once per
// rollup, and its DLR numbers agree with the other, independently written TrafficOracle.
import { describe, expect, it } from 'vitest';
import { FactsOracle, TrafficOracle, defaultTrafficConfig, generateTraffic } from '../src/index.js';

describe('FactsOracle on generated traffic', () => {
  const cfg = defaultTrafficConfig({
    seed: 21,
    messages: 5000,
    spanMs: 6 * 3_600_000,
    cdrs: true,
    duplicateRate: 0.05,
    conflictRate: 0.05,
    invalidRate: 0.05,
  });
  const everything = new FactsOracle();
  const validOnly = new FactsOracle();
  const traffic = new TrafficOracle();
  for (const m of generateTraffic(cfg)) {
    everything.observe(m);
    traffic.observe(m);
    if (m.class === 'valid') validOnly.observe(m);
  }

  it('is unmoved by duplicates, conflicts and invalid payloads', () => {
    expect(everything.dlrFacts()).toEqual(validOnly.dlrFacts());
    expect(everything.cdrFacts()).toEqual(validOnly.cdrFacts());
    expect(everything.cdrFacts().size).toBe(traffic.counts().cdr.valid);
  });

  it('counts every CDR once in each rollup', () => {
    const n = everything.cdrFacts().size;
    const daily = [...everything.cdrDaily().values()];
    expect(daily.reduce((a, r) => a + r.cdrs, 0)).toBe(n);
    const compliance = [...everything.complianceHourly().values()];
    expect(compliance.reduce((a, r) => a + r.checked, 0)).toBe(n);
  });

  it('agrees with TrafficOracle on DLR counts and latency sums per hour', () => {
    const perHour = new Map<number, { dlrs: number; sum: bigint }>();
    for (const r of everything.dlrHourly().values()) {
      const h = perHour.get(r.hourMs) ?? { dlrs: 0, sum: 0n };
      h.dlrs += r.dlrs;
      h.sum += r.latencySumMs;
      perHour.set(r.hourMs, h);
    }
    expect(perHour.size).toBeGreaterThan(5);
    for (const [hourMs, h] of perHour) {
      const b = traffic.bucket('PLATFORM', '*', hourMs)!;
      expect([h.dlrs, h.sum]).toEqual([b.latencyCount, BigInt(b.latencySumMs)]);
    }
  });
});
