// FactsOracle's facts: first valid event per eventId, named as the ClickHouse epic names
// them, money exact, never an msisdn (fixtures and their hand-worked values: facts-fixtures.ts).
import { describe, expect, it } from 'vitest';
import { type CdrFact, FactsOracle } from '../src/index.js';
import { H10, MSISDN, c1, c2, c3, id, ms, oracle, without } from './facts-fixtures.js';
import { handMessage } from './helpers.js';

describe('FactsOracle facts', () => {
  it('keeps the first valid event per eventId, of DLRs and CDRs only', () => {
    expect([...oracle.dlrFacts().keys()]).toEqual([id(1), id(2), id(3), id(4), id(5)]);
    expect([...oracle.cdrFacts().keys()]).toEqual([id(11), id(12), id(13), id(14), id(15), id(16)]);
    expect(oracle.repeatsIgnored).toBe(2);
    expect(oracle.dlrFacts().get(id(1))!.latencyMs).toBe(2631);
    expect(oracle.dlrFacts().get(id(2))!.status).toBe('FAILED');
    expect(oracle.cdrFacts().get(id(13))!.amountMicros).toBe(1n);
  });

  it('names the DLR fact’s fields as ClickHouse does; an absent errorCode is null', () => {
    expect(oracle.dlrFacts().get(id(3))).toEqual({
      eventId: id(3),
      tenantId: 'acc_1',
      mno: 'mno-a',
      messageId: 'm-3',
      occurredAtMs: ms('2026-11-28T09:20:00.000Z'),
      submittedAtMs: ms('2026-11-28T09:19:59.000Z'),
      status: 'DELIVERED',
      errorCode: null,
      latencyMs: 1000,
      direction: 'MT',
      lane: 'TRANSACTIONAL',
      destinationPrefix: '+2547',
    });
  });

  it('reads the CDR fact’s money as bigint micro-units and its compliance block', () => {
    expect(oracle.cdrFacts().get(id(14))).toEqual<CdrFact>({
      eventId: id(14),
      tenantId: 'acc_1',
      mno: 'mno-a',
      messageId: 'm-14',
      occurredAtMs: ms('2026-11-28T09:40:00.000Z'),
      direction: 'MT',
      lane: 'TRANSACTIONAL',
      destinationPrefix: '+2547',
      senderId: 'ACMEBANK',
      segments: 1,
      amountMicros: 0n,
      currency: 'USD',
      submitStatus: 'REJECTED',
      esmeErrorCode: null,
      verdict: 'BLOCKED',
      rule: 'DND',
    });
    expect(oracle.cdrFacts().get(id(16))!.amountMicros).toBe(12_345_678_901_234_999_999n);
  });

  it('never holds an msisdn', () => {
    const all = [...oracle.dlrFacts().values(), ...oracle.cdrFacts().values()];
    const json = JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(json).not.toContain(MSISDN.slice(1));
    for (const f of all) expect(f).not.toHaveProperty('msisdn');
  });

  it('reports the largest occurredAt per kind', () => {
    expect(oracle.maxOccurredAtMs('dlr')).toBe(H10);
    expect(oracle.maxOccurredAtMs('cdr')).toBe(ms('2026-11-28T12:00:00.000Z'));
    expect(new FactsOracle().maxOccurredAtMs('cdr')).toBeNull();
  });
});

describe('FactsOracle on a mislabelled message', () => {
  it('throws rather than guessing', () => {
    const o = new FactsOracle();
    expect(() => o.observe(handMessage('cdr', { ...c1, submitStatus: 'SENT' }))).toThrow(
      /submitStatus/,
    );
    expect(() => o.observe(handMessage('cdr', { ...c2, eventId: undefined }))).toThrow(
      /no eventId/,
    );
    expect(() => o.observe(handMessage('cdr', without(c3, 'esmeErrorCode')))).toThrow(
      /esmeErrorCode/,
    );
  });
});
