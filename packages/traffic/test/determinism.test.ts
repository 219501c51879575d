// CDRs are opt-in and drawn from a random stream of their own, so (1) with cdrs off every
// output is byte for byte what it was before CDRs existed, and (2) turning them on adds CDR
// messages without changing a single byte, label or position of the others.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RealtimeTraffic,
  type TrafficConfig,
  type TrafficMessage,
  defaultTrafficConfig,
  generateTraffic,
} from '../src/index.js';

/** Count and SHA-256 over every message's kind, subject, class, eventId and bytes, in order. */
function digest(messages: Iterable<TrafficMessage>): string {
  const h = createHash('sha256');
  let n = 0;
  for (const m of messages) {
    h.update(`${m.kind}|${m.subject}|${m.class}|${m.eventId}|`);
    h.update(m.data);
    h.update('\n');
    n++;
  }
  return `${n} ${h.digest('hex')}`;
}

const NOISY = {
  seed: 42,
  messages: 6000,
  invalidRate: 0.2,
  duplicateRate: 0.05,
  conflictRate: 0.05,
  lateRate: 0.05,
};

function realtime(cfg: Partial<TrafficConfig>): TrafficMessage[] {
  const traffic = new RealtimeTraffic(defaultTrafficConfig({ seed: 5, lateRate: 0.02, ...cfg }), {
    ratePerSec: 50,
    queueCap: 10_000,
  });
  const start = Date.UTC(2026, 10, 28, 13);
  const out: TrafficMessage[] = [];
  for (let now = start + 100; now <= start + 60_000; now += 100) traffic.tick(now, 100, out);
  return out;
}

const withoutCdrs = (messages: TrafficMessage[]) => messages.filter((m) => m.kind !== 'cdr');

describe('with cdrs off (the default), the output is what it was before CDRs', () => {
  // Digests of the generator as of commit 67aa605, the last one without CDRs. If the
  // generator is changed on purpose, these change with it; otherwise a mismatch means that
  // some CDR code drew from the billed/DLR random stream.
  it.each([
    ['defaults', {}, '40494 4cca5850a31374085ae1cfedaf49734f306636994603110752648fea9110cc91'],
    ['noisy', NOISY, '15498 a81f405bbd8babc8753b61af39af0e6b6b07d1b0f78012c60c7955056566d43d'],
  ])('generateTraffic, %s', (_label, cfg, expected) => {
    const messages = generateTraffic(defaultTrafficConfig({ messages: 20_000, ...cfg }));
    expect(digest(messages)).toBe(expected);
  });

  it('RealtimeTraffic', () => {
    expect(digest(realtime({}))).toBe(
      '9325 672799e6789017428850b4fbad133807126f507acd80b75ec3779241f0360aef',
    );
  });
});

describe('turning cdrs on adds CDRs and changes nothing else', () => {
  it.each([
    ['defaults', { messages: 20_000 }],
    ['noisy', NOISY],
    ['all blocked, seed 0', { messages: 3000, seed: 0, blockedRate: 1 }],
  ])('generateTraffic, %s', (_label, cfg) => {
    const off = [...generateTraffic(defaultTrafficConfig(cfg))];
    const on = [...generateTraffic(defaultTrafficConfig({ ...cfg, cdrs: true }))];
    expect(on.length).toBeGreaterThan(off.length);
    expect(digest(withoutCdrs(on))).toBe(digest(off));
  });

  it('RealtimeTraffic', () => {
    const on = realtime({ cdrs: true });
    expect(on.some((m) => m.kind === 'cdr')).toBe(true);
    expect(digest(withoutCdrs(on))).toBe(digest(realtime({})));
  });

  it('is itself deterministic, and the CDRs differ between seeds', () => {
    const cdrs = (seed: number) =>
      digest(
        [...generateTraffic(defaultTrafficConfig({ seed, messages: 2000, cdrs: true }))].filter(
          (m) => m.kind === 'cdr',
        ),
      );
    expect(cdrs(3)).toBe(cdrs(3));
    expect(cdrs(4)).not.toBe(cdrs(3));
  });
});
