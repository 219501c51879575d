import { describe, expect, it } from 'vitest';
import { type TrafficMessage, defaultTrafficConfig, generateTraffic } from '../src/index.js';
import { parse, text } from './helpers.js';

const HOUR = 3_600_000;
const cfg = defaultTrafficConfig({
  seed: 7,
  messages: 20_000,
  duplicateRate: 0.02,
  conflictRate: 0.01,
  lateRate: 0.02,
});
const messages = [...generateTraffic(cfg)];
const valid = messages.filter((m) => m.class === 'valid');
const billed = valid.filter((m) => m.kind === 'billed').map(parse);
const dlrs = valid.filter((m) => m.kind === 'dlr').map(parse);

describe('generateTraffic', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const small = (seed: number): TrafficMessage[] => [
      ...generateTraffic({ ...cfg, seed, messages: 3000 }),
    ];
    const a = small(11);
    const b = small(11);
    expect(b.length).toBe(a.length);
    expect(b.map((m) => [m.subject, m.class, m.eventId, text(m)])).toEqual(
      a.map((m) => [m.subject, m.class, m.eventId, text(m)]),
    );
    expect(text(small(12)[0]!)).not.toBe(text(a[0]!));
  });

  it('emits exactly `messages` BILLED events inside the span, and refunds after their billing', () => {
    const first = billed.filter((e) => e['status'] === 'BILLED');
    expect(first.length).toBe(cfg.messages);
    for (const e of first) {
      const t = Date.parse(e['occurredAt'] as string);
      expect(t).toBeGreaterThanOrEqual(cfg.startMs);
      expect(t).toBeLessThan(cfg.startMs + cfg.spanMs);
    }
    const billedAt = new Map(
      first.map((e) => [e['messageId'], Date.parse(e['occurredAt'] as string)]),
    );
    const refunds = billed.filter((e) => e['status'] === 'REFUNDED');
    expect(refunds.length / cfg.messages).toBeCloseTo(cfg.refundRate, 2);
    for (const r of refunds)
      expect(Date.parse(r['occurredAt'] as string)).toBeGreaterThan(billedAt.get(r['messageId'])!);
  });

  it('gives DLRs occurredAt = submittedAt + latencyMs, submittedAt = the billing time', () => {
    const billedAt = new Map(
      billed.filter((e) => e['status'] === 'BILLED').map((e) => [e['messageId'], e['occurredAt']]),
    );
    expect(dlrs.length / cfg.messages).toBeCloseTo(cfg.dlrRate, 2);
    for (const d of dlrs) {
      expect(d['submittedAt']).toBe(billedAt.get(d['messageId']));
      expect(Date.parse(d['occurredAt'] as string) - Date.parse(d['submittedAt'] as string)).toBe(
        d['latencyMs'],
      );
      expect(d['errorCode'] === null).toBe(d['deliveryStatus'] === 'DELIVERED');
    }
    const statuses = new Set(dlrs.map((d) => d['deliveryStatus']));
    expect([...statuses].sort()).toEqual([
      'DELIVERED',
      'EXPIRED',
      'FAILED',
      'REJECTED',
      'UNDELIVERABLE',
      'UNKNOWN',
    ]);
    expect(dlrs.some((d) => d['latencyMs'] === 0)).toBe(true);
    expect(dlrs.some((d) => (d['latencyMs'] as number) > 60_000)).toBe(true);
  });

  it('puts duplicates and conflicts after their original, byte-identical resp. different', () => {
    const seen = new Map<string, string>();
    let duplicates = 0;
    let conflicts = 0;
    for (const m of messages) {
      if (m.class === 'valid') seen.set(m.eventId!, text(m));
      if (m.class === 'duplicate') {
        duplicates++;
        expect(seen.get(m.eventId!)).toBe(text(m));
      }
      if (m.class === 'conflict') {
        conflicts++;
        expect(seen.has(m.eventId!)).toBe(true);
        expect(seen.get(m.eventId!)).not.toBe(text(m));
      }
    }
    expect(duplicates).toBeGreaterThan(200);
    expect(conflicts).toBeGreaterThan(100);
    expect(new Set(valid.map((m) => m.eventId)).size).toBe(valid.length);
  });

  it('emits late events out of order, hours earlier than the traffic around them', () => {
    let maxSoFar = -Infinity;
    let late = 0;
    for (const e of billed) {
      const t = Date.parse(e['occurredAt'] as string);
      if (t < maxSoFar - HOUR) late++;
      maxSoFar = Math.max(maxSoFar, t);
    }
    expect(late).toBeGreaterThan(cfg.messages * cfg.lateRate * 0.5);
  });

  it('models operators of different quality and skewed accounts', () => {
    const byOp = new Map<string, { n: number; delivered: number }>();
    for (const d of dlrs) {
      const s = byOp.get(d['operatorId'] as string) ?? { n: 0, delivered: 0 };
      s.n++;
      if (d['deliveryStatus'] === 'DELIVERED') s.delivered++;
      byOp.set(d['operatorId'] as string, s);
    }
    expect(byOp.size).toBe(cfg.operators);
    const rates = [...byOp.values()].map((s) => s.delivered / s.n);
    expect(Math.max(...rates)).toBeGreaterThan(0.95);
    expect(Math.min(...rates)).toBeLessThan(0.85);

    const perAccount = new Map<string, number>();
    for (const e of billed)
      perAccount.set(e['accountId'] as string, (perAccount.get(e['accountId'] as string) ?? 0) + 1);
    const sorted = [...perAccount.values()].sort((a, b) => b - a);
    const top1pct = sorted.slice(0, Math.ceil(cfg.accounts / 100)).reduce((a, b) => a + b, 0);
    expect(top1pct / billed.length).toBeGreaterThan(0.2); // Zipf: the top 1% of accounts carry >20%
  });

  it('follows the diurnal curve: the 13:00 UTC hour is busier than the 01:00 hour', () => {
    const hourOf = (e: Record<string, unknown>): number =>
      new Date(e['occurredAt'] as string).getUTCHours();
    const peak = billed.filter((e) => hourOf(e) === 13).length;
    const trough = billed.filter((e) => hourOf(e) === 1).length;
    expect(peak).toBeGreaterThan(trough * 2.5);
  });

  it('produces edge-case amounts and segment counts', () => {
    const amounts = new Set(billed.map((e) => e['amount']));
    expect([...amounts].some((a) => /^\d+\.\d{6}$/.test(a as string))).toBe(true);
    expect([...amounts].some((a) => /^\d+\.\d{1,5}$/.test(a as string))).toBe(true);
    expect(amounts.has('0.000001')).toBe(true);
    expect([...amounts].some((a) => a === '0' || a === '0.000000')).toBe(true);
    expect(new Set(billed.map((e) => e['segments']))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('rejects a bad config with every problem listed', () => {
    expect(() => generateTraffic({ ...cfg, messages: -1, currency: 'usd' }).next()).toThrow(
      /messages=-1, currency=usd/,
    );
  });
});
