// The decoders: examples decode, msisdn and unknown fields never come out, invalid payloads
// come back with a reason that quotes no field value, and the payload hash tells a
// re-delivery (same hash) from a conflicting event with the same eventId (different hash).
import { describe, expect, it } from 'vitest';
import { decodeBilled, decodeDlr } from '../src/index.js';
import type { BilledEvent, DecodeResult, DlrEvent } from '../src/index.js';
import { examples } from './contract-support.js';

const MSISDN_DIGITS = '254712345678';
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const billed = (patch: Record<string, unknown> = {}) =>
  decodeBilled(bytes({ ...examples.billed, ...patch }), 'USD');
const dlr = (patch: Record<string, unknown> = {}) =>
  decodeDlr(bytes({ ...examples.dlr, ...patch }));

function ok<T>(result: DecodeResult<T>): { event: T; payloadHash: Uint8Array } {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result;
}

function reasonOf<T>(result: DecodeResult<T>): string {
  if (result.ok) throw new Error('expected a rejection');
  expect(result.reason).not.toContain(MSISDN_DIGITS);
  return result.reason;
}

describe('decodeBilled / decodeDlr on the contract examples', () => {
  it('decodes the billed example to exactly the known fields', () => {
    const { event, payloadHash } = ok(billed());
    expect(event).toEqual<BilledEvent>({
      eventId: '3f6c1e0a-8b9d-4c3e-9a51-2d7b6f0e4a11',
      eventType: 'sms.billed.v1',
      occurredAt: '2026-11-28T09:15:02.481Z',
      occurredAtMs: Date.UTC(2026, 10, 28, 9, 15, 2, 481),
      messageId: 'msg_01JDQ8Z7K3',
      accountId: 'acc_4821',
      operatorId: 'mno-ke-01',
      status: 'BILLED',
      segments: 1,
      amount: '0.012500',
      currency: 'USD',
      direction: 'MT',
      lane: 'TRANSACTIONAL',
      destinationPrefix: '+2547',
    });
    expect(payloadHash).toBeInstanceOf(Uint8Array);
    expect(payloadHash).toHaveLength(16);
  });

  it('decodes the DLR example to exactly the known fields', () => {
    const { event } = ok(dlr());
    expect(event).toEqual<DlrEvent>({
      eventId: 'b2e4c7d1-5a3f-4e8b-8c2d-9f1a6e3b7c40',
      eventType: 'sms.dlr.v1',
      occurredAt: '2026-11-28T09:15:05.112Z',
      occurredAtMs: Date.UTC(2026, 10, 28, 9, 15, 5, 112),
      messageId: 'msg_01JDQ8Z7K3',
      accountId: 'acc_4821',
      operatorId: 'mno-ke-01',
      deliveryStatus: 'DELIVERED',
      errorCode: null,
      latencyMs: 2631,
      submittedAt: '2026-11-28T09:15:02.481Z',
      direction: 'MT',
      lane: 'TRANSACTIONAL',
      destinationPrefix: '+2547',
    });
  });

  it.each([
    ['billed', () => billed({ note: 'x', nested: { a: 1 } })],
    ['dlr', () => dlr({ note: 'x', nested: { a: 1 } })],
  ])('%s: drops msisdn and unknown fields', (_kind, decode) => {
    const { event } = ok<object>(decode());
    expect(event).not.toHaveProperty('msisdn');
    expect(event).not.toHaveProperty('note');
    expect(event).not.toHaveProperty('nested');
    expect(JSON.stringify(event)).not.toContain(MSISDN_DIGITS);
  });

  it('maps an absent errorCode to null, hashing like an explicit null', () => {
    const absent = ok(dlr({ errorCode: undefined })); // JSON.stringify drops it
    expect(absent.event.errorCode).toBeNull();
    expect(absent.payloadHash).toEqual(ok(dlr()).payloadHash);
  });

  it('accepts an offset occurredAt and puts it on the UTC time line', () => {
    const { event } = ok(billed({ occurredAt: '2026-11-28T12:15:02.481+03:00' }));
    expect(event.occurredAtMs).toBe(Date.UTC(2026, 10, 28, 9, 15, 2, 481));
  });
});

describe('rejections', () => {
  it.each([
    ['not JSON', new TextEncoder().encode(`{"msisdn":"+${MSISDN_DIGITS}",`), /^not JSON/],
    ['empty', new Uint8Array(), /^not JSON/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /^not UTF-8/],
    ['an array', bytes([examples.billed]), /^not a JSON object: got array/],
    ['null', bytes(null), /^not a JSON object: got null/],
    ['a string', bytes(`+${MSISDN_DIGITS}`), /^not a JSON object: got string/],
  ])('%s → ok:false', (_label, data, reason) => {
    expect(reasonOf(decodeBilled(data, 'USD'))).toMatch(reason);
    expect(reasonOf(decodeDlr(data))).toMatch(reason);
  });

  it('rejects an event in another currency, naming both', () => {
    const result = decodeBilled(bytes(examples.billed), 'KES');
    expect(reasonOf(result)).toBe('currency USD is not the settlement currency KES');
  });

  it.each([
    ['missing amount', { amount: undefined }, '/amount', ['0.012500']],
    ['bad amount', { amount: '01.5' }, '/amount', ['01.5']],
    ['bad enum', { lane: 'BULK-PROMO' }, '/lane', ['BULK-PROMO']],
    ['bad msisdn', { msisdn: `+${MSISDN_DIGITS}x` }, '/msisdn', []],
    ['bad accountId', { accountId: 'acc secret' }, '/accountId', ['acc secret']],
    ['bad date', { occurredAt: '2026-02-30T09:15:02.481Z' }, '/occurredAt', ['2026-02-30']],
  ])('%s → reason names the path, not the value', (_label, patch, path, values) => {
    const reason = reasonOf(billed(patch));
    expect(reason).toContain(`${path}: `);
    for (const value of values) expect(reason).not.toContain(value);
  });

  it('DLR schema violations name the paths, at most three', () => {
    const reason = reasonOf(
      dlr({ latencyMs: -1, deliveryStatus: 'LOST', errorCode: 7, submittedAt: 'x', lane: 'Z' }),
    );
    expect(reason.split('; ')).toHaveLength(3);
    expect(reason).toMatch(/^\/[a-zA-Z]+: /);
    expect(reason).not.toContain('LOST');
  });
});

describe('payloadHash', () => {
  const reordered = (value: Record<string, unknown>) =>
    new TextEncoder().encode(
      JSON.stringify(Object.fromEntries(Object.entries(value).reverse()), null, 2),
    );

  it('is the same for the same payload with keys reordered and whitespace added', () => {
    expect(ok(decodeBilled(reordered(examples.billed), 'USD')).payloadHash).toEqual(
      ok(billed()).payloadHash,
    );
    expect(ok(decodeDlr(reordered(examples.dlr))).payloadHash).toEqual(ok(dlr()).payloadHash);
  });

  it('ignores msisdn and unknown extra fields', () => {
    const base = ok(billed()).payloadHash;
    expect(ok(billed({ msisdn: '+447700900123' })).payloadHash).toEqual(base);
    expect(ok(billed({ msisdn: undefined })).payloadHash).toEqual(base);
    expect(ok(billed({ traceNote: 'retry' })).payloadHash).toEqual(base);
  });

  it('changes with any contract field (same eventId, different payload = conflict)', () => {
    const base = ok(billed()).payloadHash;
    expect(ok(billed({ amount: '0.012501' })).payloadHash).not.toEqual(base);
    expect(ok(billed({ status: 'REFUNDED' })).payloadHash).not.toEqual(base);
    expect(ok(billed({ occurredAt: '2026-11-28T09:15:02.482Z' })).payloadHash).not.toEqual(base);
    const dlrBase = ok(dlr()).payloadHash;
    expect(ok(dlr({ errorCode: '0x00000045' })).payloadHash).not.toEqual(dlrBase);
    expect(ok(dlr({ latencyMs: 2632 })).payloadHash).not.toEqual(dlrBase);
  });
});
