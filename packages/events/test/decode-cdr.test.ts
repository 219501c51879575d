// decodeCdr: the example decodes, msisdn and unknown fields never come out, every rule of
// the contract rejects with a reason that names the path but quotes no value, the
// settlement currency is enforced, and the payload hash tells a re-delivery from a conflict.
import { describe, expect, it } from 'vitest';
import { decodeCdr } from '../src/index.js';
import type { CdrEvent, DecodeResult } from '../src/index.js';
import { DELETE, examples, mutate, requiredFields } from './contract-support.js';

const MSISDN_DIGITS = '254712345678';
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const cdr = (patch: Record<string, unknown> = {}, currency = 'USD') =>
  decodeCdr(bytes({ ...examples.cdr, ...patch }), currency);

function ok<T>(result: DecodeResult<T>): { event: T; payloadHash: Uint8Array } {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result;
}

function reasonOf<T>(result: DecodeResult<T>): string {
  if (result.ok) throw new Error('expected a rejection');
  expect(result.reason).not.toContain(MSISDN_DIGITS);
  return result.reason;
}

describe('decodeCdr on the contract example', () => {
  it('decodes to exactly the known fields', () => {
    const { event, payloadHash } = ok(cdr());
    expect(event).toEqual<CdrEvent>({
      eventId: '7d1f9a2b-3c4e-4f5a-8b6c-1d2e3f4a5b6c',
      eventType: 'cdr.generated.v1',
      occurredAt: '2026-11-28T09:15:02.390Z',
      occurredAtMs: Date.UTC(2026, 10, 28, 9, 15, 2, 390),
      messageId: 'msg_01JDQ8Z7K3',
      accountId: 'acc_4821',
      operatorId: 'mno-ke-01',
      direction: 'MT',
      lane: 'TRANSACTIONAL',
      destinationPrefix: '+2547',
      senderId: 'ACMEBANK',
      segments: 1,
      amount: '0.012500',
      currency: 'USD',
      submitStatus: 'ACCEPTED',
      esmeErrorCode: null,
      compliance: { verdict: 'ALLOWED', rule: null },
    });
    expect(payloadHash).toHaveLength(16);
  });

  it('never lets msisdn or unknown fields through, not even via compliance', () => {
    const { event } = ok(cdr({ note: 'x', nested: { msisdn: `+${MSISDN_DIGITS}` } }));
    expect(event).not.toHaveProperty('msisdn');
    expect(event).not.toHaveProperty('note');
    expect(event).not.toHaveProperty('nested');
    expect(JSON.stringify(event)).not.toContain(MSISDN_DIGITS);
  });

  it('decodes a blocked, rejected CDR with its rule and SMPP code', () => {
    const { event } = ok(
      cdr({
        submitStatus: 'REJECTED',
        esmeErrorCode: '0x0000000B',
        compliance: { rule: 'OPT_OUT', verdict: 'BLOCKED' },
      }),
    );
    expect(event.submitStatus).toBe('REJECTED');
    expect(event.esmeErrorCode).toBe('0x0000000B');
    expect(event.compliance).toEqual({ verdict: 'BLOCKED', rule: 'OPT_OUT' });
  });
});

describe('decodeCdr rejections', () => {
  it.each(requiredFields('cdr'))('without required %s → a reason naming it', (field) => {
    const reason = reasonOf(decodeCdr(bytes(mutate(examples.cdr, field, DELETE)), 'USD'));
    expect(reason).toContain(`/${field}: `);
  });

  it.each(['verdict', 'rule'])('without compliance.%s → a reason naming it', (member) => {
    const compliance = { verdict: 'ALLOWED', rule: null } as Record<string, unknown>;
    delete compliance[member];
    expect(reasonOf(cdr({ compliance }))).toContain(`/compliance/${member}: `);
  });

  it.each([
    ['submitStatus', { submitStatus: 'SENT' }, '/submitStatus', 'SENT'],
    ['verdict', { compliance: { verdict: 'DENIED', rule: null } }, '/compliance/verdict', 'DENIED'],
    ['rule', { compliance: { verdict: 'BLOCKED', rule: 'SPAM' } }, '/compliance/rule', 'SPAM'],
    ['direction', { direction: 'SIDEWAYS' }, '/direction', 'SIDEWAYS'],
    ['lane', { lane: 'BULK' }, '/lane', 'BULK'],
    ['eventType', { eventType: 'cdr.generated.v2' }, '/eventType', 'v2'],
  ])('bad %s → reason names the path, not the value', (_label, patch, path, value) => {
    const reason = reasonOf(cdr(patch));
    expect(reason).toContain(`${path}: `);
    expect(reason).not.toContain(value);
  });

  it('rejects an extra compliance member without echoing its name', () => {
    const secret = `+${MSISDN_DIGITS}`;
    const reason = reasonOf(cdr({ compliance: { verdict: 'ALLOWED', rule: null, [secret]: 1 } }));
    expect(reason).toBe('/compliance: Unexpected property');
  });

  it.each([
    ['segments 0', { segments: 0 }, '/segments'],
    ['segments 256', { segments: 256 }, '/segments'],
    ['senderId too long', { senderId: 'S'.repeat(17) }, '/senderId'],
    ['empty senderId', { senderId: '' }, '/senderId'],
    ['esmeErrorCode too long', { esmeErrorCode: 'e'.repeat(33) }, '/esmeErrorCode'],
    ['numeric esmeErrorCode', { esmeErrorCode: 69 }, '/esmeErrorCode'],
    ['negative amount', { amount: '-0.5' }, '/amount'],
    ['amount as a number', { amount: 0.0125 }, '/amount'],
    ['7 decimals', { amount: '0.0125001' }, '/amount'],
    ['bad msisdn', { msisdn: `+${MSISDN_DIGITS}x` }, '/msisdn'],
  ])('%s → invalid at %s', (_label, patch, path) => {
    expect(reasonOf(cdr(patch))).toContain(`${path}: `);
  });

  it('rejects a CDR in another currency, naming both', () => {
    expect(reasonOf(cdr({}, 'KES'))).toBe('currency USD is not the settlement currency KES');
    expect(reasonOf(cdr({ currency: 'EUR' }))).toBe(
      'currency EUR is not the settlement currency USD',
    );
  });

  it.each([
    ['not JSON', new TextEncoder().encode(`{"msisdn":"+${MSISDN_DIGITS}",`), /^not JSON/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /^not UTF-8/],
    ['an array', bytes([examples.cdr]), /^not a JSON object: got array/],
  ])('%s → ok:false', (_label, data, reason) => {
    expect(reasonOf(decodeCdr(data, 'USD'))).toMatch(reason);
  });
});

describe('decodeCdr payloadHash', () => {
  const base = ok(cdr()).payloadHash;

  it('is the same for a re-serialised event: key order, whitespace, msisdn, extras', () => {
    const reordered = Object.fromEntries(Object.entries(examples.cdr).reverse());
    reordered['compliance'] = { rule: null, verdict: 'ALLOWED' };
    const text = JSON.stringify(reordered, null, 2);
    expect(ok(decodeCdr(new TextEncoder().encode(text), 'USD')).payloadHash).toEqual(base);
    expect(ok(cdr({ msisdn: '+447700900123', traceNote: 'retry' })).payloadHash).toEqual(base);
  });

  it.each([
    ['submitStatus', { submitStatus: 'THROTTLED', esmeErrorCode: '0x00000058' }],
    ['amount', { amount: '0.012501' }],
    ['senderId', { senderId: 'ACMEBANK2' }],
    ['verdict', { compliance: { verdict: 'BLOCKED', rule: null } }],
    ['rule', { compliance: { verdict: 'ALLOWED', rule: 'DND' } }],
    ['segments', { segments: 2 }],
  ])('changes with %s (same eventId, other payload = conflict)', (_label, patch) => {
    expect(ok(cdr(patch)).payloadHash).not.toEqual(base);
  });
});
