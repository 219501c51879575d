// Contract events → fact rows: the §6.1 mapping, and what the tables cannot hold exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdrFact, dlrFact, hashBytes, hashColumn } from '../src/adapters/fact-rows.js';

const example = (name: string) =>
  JSON.parse(
    readFileSync(
      new URL(`../../../contracts/events/examples/${name}.json`, import.meta.url),
      'utf8',
    ),
  ) as Record<string, unknown>;
const bytes = (o: object) => new TextEncoder().encode(JSON.stringify(o));

describe('DLR facts', () => {
  const dlr = example('sms.dlr.v1');
  it('maps the contract example: tenantId, mno, status, UTC hour, epoch ms; no msisdn', () => {
    const r = dlrFact(bytes(dlr));
    if (!r.ok) throw new Error(r.reason);
    const row = r.fact.row;
    expect(row.tenantId).toBe(dlr['accountId']);
    expect(row.mno).toBe(dlr['operatorId']);
    expect(row.status).toBe(dlr['deliveryStatus']);
    expect(row.occurredAtMs).toBe(Date.parse(dlr['occurredAt'] as string));
    expect(row.hour).toBe(
      `${(dlr['occurredAt'] as string).slice(0, 10)} ${(dlr['occurredAt'] as string).slice(11, 13)}:00:00`,
    );
    expect(r.fact.key.hourMs % 3_600_000).toBe(0);
    expect(r.fact.dayMs % 86_400_000).toBe(0);
    expect(JSON.stringify(row)).not.toContain(String(dlr['msisdn']));
    expect(Object.keys(row)).not.toContain('msisdn');
  });
  it.each([
    ['1969-12-31T23:59:59.000Z', 'occurredAt'],
    ['2106-02-08T00:00:00.000Z', 'occurredAt'],
  ])('refuses occurredAt %s, outside DateTime', (at, field) => {
    const r = dlrFact(bytes({ ...dlr, occurredAt: at }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(field);
  });
  it('keeps the decoder reason for an invalid payload', () => {
    const r = dlrFact(bytes({ ...dlr, deliveryStatus: 'SENT' }));
    expect(r.ok).toBe(false);
  });
});

describe('CDR facts', () => {
  const cdr = example('cdr.generated.v1');
  it('maps money to Int64 micro-units exactly and flattens the compliance block', () => {
    const r = cdrFact(bytes({ ...cdr, amount: '9223372036854.775807' }), 'USD');
    if (!r.ok) throw new Error(r.reason);
    expect(r.fact.row.amountMicros).toBe('9223372036854775807');
    expect(r.fact.row.verdict).toBe('ALLOWED');
    expect(r.fact.row.rule).toBeNull();
    expect(Object.keys(r.fact.row)).not.toContain('msisdn');
  });
  it('refuses an amount beyond Int64 micro-units rather than storing it wrong', () => {
    const r = cdrFact(bytes({ ...cdr, amount: '9223372036854.775808' }), 'USD');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('Int64') });
  });
  it('refuses another currency than the settlement one', () => {
    expect(cdrFact(bytes(cdr), 'EUR').ok).toBe(false);
  });
});

describe('payload hash column', () => {
  it('round-trips 8 bytes through the UInt64 decimal, including the top bit', () => {
    const h = new Uint8Array([0xff, 1, 2, 3, 4, 5, 6, 0x80, 9, 9]);
    const col = hashColumn(h);
    expect(BigInt(col)).toBe(0xff01020304050680n);
    expect([...hashBytes(col)]).toEqual([...h.subarray(0, 8)]);
  });
});
