import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TrafficOracle,
  defaultTrafficConfig,
  formatMicros,
  generateTraffic,
  nearestRank,
  parseMicros,
} from '../src/index.js';
import { handMessage } from './helpers.js';

const H = Date.UTC(2026, 10, 28, 9); // 09:00 UTC
const H1 = H + 3_600_000;

const common = {
  direction: 'MT',
  lane: 'TRANSACTIONAL',
  destinationPrefix: '+2547',
  msisdn: '+254712345678',
};
const billed = (
  id: string,
  at: string,
  status: string,
  amount: string,
  segments: number,
  accountId: string,
  operatorId: string,
) => ({
  ...common,
  eventId: id,
  eventType: 'sms.billed.v1',
  occurredAt: at,
  messageId: `m-${id.slice(0, 4)}`,
  accountId,
  operatorId,
  status,
  segments,
  amount,
  currency: 'USD',
});
const dlr = (
  id: string,
  at: string,
  status: string,
  errorCode: string | null,
  latencyMs: number,
  accountId: string,
  operatorId: string,
) => ({
  ...common,
  eventId: id,
  eventType: 'sms.dlr.v1',
  occurredAt: at,
  messageId: 'm-x',
  accountId,
  operatorId,
  deliveryStatus: status,
  errorCode,
  latencyMs,
  submittedAt: at,
});
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const b1 = billed(id(1), '2026-11-28T09:15:02.481Z', 'BILLED', '0.1', 1, 'acc_1', 'mno-a');
const b2 = billed(id(2), '2026-11-28T09:15:02.900Z', 'BILLED', '0.2', 2, 'acc_2', 'mno-a');
const r1 = billed(id(3), '2026-11-28T09:40:00.000Z', 'REFUNDED', '0.100000', 1, 'acc_1', 'mno-a');
const b3 = billed(id(4), '2026-11-28T10:00:00.000Z', 'BILLED', '0.000001', 1, 'acc_1', 'mno-b');
const d1 = dlr(id(5), '2026-11-28T09:15:05.112Z', 'DELIVERED', null, 2631, 'acc_1', 'mno-a');
const d2 = dlr(id(6), '2026-11-28T09:59:59.999Z', 'FAILED', '0x00000045', 0, 'acc_2', 'mno-a');
const d3 = dlr(
  id(7),
  '2026-11-28T10:01:00.000Z',
  'UNKNOWN',
  '0x000000FF',
  120000,
  'acc_1',
  'mno-b',
);

const hand = [
  handMessage('billed', b1),
  handMessage('billed', b2),
  handMessage('dlr', d1),
  handMessage('billed', b1, 'duplicate'),
  handMessage('billed', { ...b2, amount: '5' }, 'conflict'),
  handMessage('billed', { ...b1, eventId: id(99), currency: 'EUR' }, 'invalid'),
  handMessage('billed', r1),
  handMessage('dlr', d2),
  handMessage('dlr', { ...d1, deliveryStatus: 'FAILED' }), // labelled valid, but a repeated eventId
  handMessage('billed', b3),
  handMessage('dlr', d3),
];

describe('TrafficOracle on hand-written events', () => {
  const oracle = new TrafficOracle();
  for (const m of hand) oracle.observe(m);
  const zero = { DELIVERED: 0, FAILED: 0, EXPIRED: 0, REJECTED: 0, UNDELIVERABLE: 0, UNKNOWN: 0 };

  it('computes the platform hour: BILLED 0.1 + BILLED 0.2 − REFUNDED 0.1 = 0.200000 and 1 message', () => {
    expect(oracle.bucket('PLATFORM', '*', H)).toEqual({
      scope: 'PLATFORM',
      scopeId: '*',
      hourMs: H,
      billed: 2,
      refunded: 1,
      totalMessages: 1,
      totalCostMicros: 200000n,
      segments: 2,
      dlr: { ...zero, DELIVERED: 1, FAILED: 1 },
      latencyCount: 2,
      latencySumMs: 2631,
      latencies: [2631, 0],
      peakTps: 2, // b1 and b2 share the second 09:15:02
    });
    expect(formatMicros(oracle.bucket('PLATFORM', '*', H)!.totalCostMicros)).toBe('0.200000');
    expect(oracle.bucket('PLATFORM', '*', H1)).toMatchObject({
      billed: 1,
      refunded: 0,
      totalMessages: 1,
      totalCostMicros: 1n,
      segments: 1,
      dlr: { ...zero, UNKNOWN: 1 },
      latencies: [120000],
      peakTps: 1,
    });
  });

  it('computes operator and account buckets', () => {
    expect(oracle.bucket('OPERATOR', 'mno-a', H)).toMatchObject({
      billed: 2,
      refunded: 1,
      totalCostMicros: 200000n,
      peakTps: 2,
    });
    expect(oracle.bucket('OPERATOR', 'mno-b', H)).toBeUndefined();
    expect(oracle.bucket('ACCOUNT', 'acc_1', H)).toMatchObject({
      billed: 1,
      refunded: 1,
      totalMessages: 0,
      totalCostMicros: 0n,
      segments: 0,
      dlr: { ...zero, DELIVERED: 1 },
      latencies: [2631],
      peakTps: 0,
    });
    expect(oracle.bucket('ACCOUNT', 'acc_2', H)).toMatchObject({
      billed: 1,
      totalCostMicros: 200000n,
      segments: 2,
      dlr: { ...zero, FAILED: 1 },
      latencies: [0],
    });
    expect(oracle.bucket('ACCOUNT', 'acc_1', H1)).toMatchObject({
      billed: 1,
      totalCostMicros: 1n,
      dlr: { ...zero, UNKNOWN: 1 },
    });
    expect(oracle.hourly().size).toBe(7); // PLATFORM ×2, OPERATOR ×2, ACCOUNT ×3
  });

  it('sums windows and days, counts active accounts', () => {
    const w = oracle.window('PLATFORM', '*', H, H1 + 3_600_000);
    expect(w).toMatchObject({
      billed: 3,
      refunded: 1,
      totalMessages: 2,
      totalCostMicros: 200001n,
      latencies: [0, 2631, 120000],
      peakTps: 2,
    });
    expect(formatMicros(w.totalCostMicros)).toBe('0.200001');
    expect(nearestRank(w.latencies, 0.95)).toBe(120000);
    expect(oracle.daily()).toEqual(
      new Map([[Date.UTC(2026, 10, 28), { messages: 2, costMicros: 200001n }]]),
    );
    expect(oracle.activeAccounts(H, H1 + 3_600_000)).toBe(2);
    expect(oracle.activeAccounts(H1, H1 + 3_600_000)).toBe(1);
  });

  it('counts error codes per operator-hour, max occurredAt and classes', () => {
    expect(oracle.errorCodes()).toEqual(
      new Map([
        [`mno-a|${H}`, new Map([['0x00000045', 1]])],
        [`mno-b|${H1}`, new Map([['0x000000FF', 1]])],
      ]),
    );
    expect(oracle.maxOccurredAtMs('billed')).toBe(Date.parse('2026-11-28T10:00:00.000Z'));
    expect(oracle.maxOccurredAtMs('dlr')).toBe(Date.parse('2026-11-28T10:01:00.000Z'));
    expect(oracle.counts()).toEqual({
      billed: { valid: 4, duplicate: 1, conflict: 1, invalid: 1 },
      dlr: { valid: 4, duplicate: 0, conflict: 0, invalid: 0 },
      cdr: { valid: 0, duplicate: 0, conflict: 0, invalid: 0 },
    });
    expect(oracle.maxOccurredAtMs('cdr')).toBeNull();
    expect(oracle.repeatsIgnored).toBe(1);
  });
});

describe('TrafficOracle and CDRs', () => {
  it('counts CDRs and their event time, but no aggregate changes with them', () => {
    const cfg = defaultTrafficConfig({ seed: 13, messages: 3000, spanMs: 3 * 3_600_000 });
    const off = new TrafficOracle();
    const on = new TrafficOracle();
    for (const m of generateTraffic(cfg)) off.observe(m);
    for (const m of generateTraffic({ ...cfg, cdrs: true })) on.observe(m);
    expect([...on.hourly()]).toEqual([...off.hourly()]);
    expect(on.errorCodes()).toEqual(off.errorCodes());
    expect(on.counts().billed).toEqual(off.counts().billed);
    expect(on.counts().cdr.valid).toBeGreaterThan(3000);
    expect(off.counts().cdr.valid).toBe(0);
    expect(on.maxOccurredAtMs('cdr')).toBeLessThanOrEqual(on.maxOccurredAtMs('billed')!);
    expect(on.maxOccurredAtMs('cdr')).toBeGreaterThan(cfg.startMs + cfg.spanMs - 3_600_000);
  });
});

describe('money', () => {
  it('parses contract decimals exactly and formats with 6 decimals', () => {
    expect(parseMicros('0.012500')).toBe(12500n);
    expect(parseMicros('0.1')).toBe(100000n);
    expect(parseMicros('12345678901234.999999')).toBe(12345678901234999999n);
    for (const bad of ['-1', '1.1234567', '01', '1.', '.5', '1e3', ''])
      expect(() => parseMicros(bad)).toThrow(RangeError);
    expect(formatMicros(-5n)).toBe('-0.000005');
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        (m) => parseMicros(formatMicros(m)) === m,
      ),
    );
  });
});

describe('TrafficOracle on generated traffic', () => {
  /** Everything but the latency lists, which are compared as multisets by the counts. */
  const snapshot = (o: TrafficOracle) => ({
    hourly: [...o.hourly()].sort(([a], [b]) => a.localeCompare(b)),
    codes: o.errorCodes(),
    max: [o.maxOccurredAtMs('billed'), o.maxOccurredAtMs('dlr')],
  });

  it('ignores duplicates, conflicts and invalid messages, and scopes add up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (seed, messages, noise) => {
          const cfg = defaultTrafficConfig({
            seed,
            messages,
            spanMs: 3 * 3_600_000,
            duplicateRate: noise,
            conflictRate: noise,
            invalidRate: noise,
            lateRate: noise,
          });
          const all = [...generateTraffic(cfg)];
          const everything = new TrafficOracle();
          const validOnly = new TrafficOracle();
          for (const m of all) {
            everything.observe(m);
            if (m.class === 'valid') validOnly.observe(m);
          }
          expect(snapshot(everything)).toEqual(snapshot(validOnly));
          const platform = everything.window('PLATFORM', '*', -Infinity, Infinity);
          expect(platform.billed).toBe(messages);
          const sum = (scope: 'OPERATOR' | 'ACCOUNT') => {
            let cost = 0n;
            let n = 0;
            for (const b of everything.hourly().values()) {
              if (b.scope !== scope) continue;
              cost += b.totalCostMicros;
              n += b.totalMessages;
            }
            return [cost, n];
          };
          expect(sum('OPERATOR')).toEqual([platform.totalCostMicros, platform.totalMessages]);
          expect(sum('ACCOUNT')).toEqual([platform.totalCostMicros, platform.totalMessages]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
