// The TypeBox schemas must give the same verdict as the contract's JSON Schemas on the
// examples, on hand-picked mutations (with the verdict the contract implies) and on random
// mutations. The decoders' validity follows the same verdict.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBilled, decodeCdr, decodeDlr } from '../src/index.js';
import { cases } from './contract-cases.js';
import {
  DELETE,
  examples,
  mutate,
  propertyNames,
  requiredFields,
  verdicts,
} from './contract-support.js';
import type { Kind } from './contract-support.js';

const kinds: Kind[] = ['billed', 'dlr', 'cdr'];

function expectVerdict(kind: Kind, payload: unknown, valid: boolean): void {
  expect(verdicts(kind, payload)).toEqual({ ajv: valid, value: valid, compiled: valid });
}

describe.each(kinds)('%s schema matches the contract', (kind) => {
  it('accepts the contract example', () => {
    expectVerdict(kind, examples[kind], true);
  });

  it.each(requiredFields(kind))('rejects the example without required %s', (field) => {
    expectVerdict(kind, mutate(examples[kind], field, DELETE), false);
  });

  it('requires what the contract requires', () => {
    // Guards the loop above: the contract's required list is what §2 says it is.
    const common = ['eventId', 'eventType', 'occurredAt', 'messageId', 'accountId'];
    expect(requiredFields(kind)).toEqual(expect.arrayContaining([...common, 'operatorId']));
    expect(requiredFields(kind)).not.toContain('msisdn');
    if (kind !== 'dlr') expect(requiredFields(kind)).toContain('amount');
  });

  it.each(cases[kind].map(([f, v, ok]) => [f, JSON.stringify(v) ?? 'deleted', ok, v] as const))(
    '%s = %s → valid: %s',
    (field, _label, valid, value) => {
      expectVerdict(kind, mutate(examples[kind], field, value), valid);
    },
  );

  it.each([[[]], [null], ['a string'], [42], [[examples[kind]]]])(
    'rejects the non-object %j',
    (payload) => {
      expectVerdict(kind, payload, false);
    },
  );
});

// Values valid in some field (so that a fair share of mutants stay valid), values likely
// to sit near a constraint's edge, and arbitrary JSON.
const validSomewhere = fc.constantFrom<unknown>(
  ...Object.values(examples.billed),
  ...Object.values(examples.dlr),
  ...Object.values(examples.cdr),
  'REFUNDED',
  'THROTTLED',
  'SMS-ALERT16CHARS',
  'OTP',
  'MO',
  'EXPIRED',
  255,
  604_800_000,
  '0.000001',
  '+12345678',
  '2026-12-31T23:59:60Z',
  '2026-11-28T12:15:02+03:00',
  '\u{1F600}'.repeat(128),
);

const edgeValue = fc.oneof(
  validSomewhere,
  fc.jsonValue(),
  fc.string({ unit: 'binary', maxLength: 140 }),
  fc.integer({ min: -2, max: 604_800_002 }),
  fc.constantFrom(0, 1, 255, 256, -1, 1.5, '', null, 'MT', 'OTP', 'DELIVERED', 'BILLED'),
  fc.stringMatching(/^(0|[1-9][0-9]{0,14})(\.[0-9]{0,7})?$/),
  fc.stringMatching(/^\+?[0-9]{0,17}$/),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  // cdr's closed compliance object: mostly well-formed (so that many mutants stay valid),
  // or any mix of right and wrong members and values.
  fc.record({
    verdict: fc.constantFrom('ALLOWED', 'BLOCKED', 'DENIED'),
    rule: fc.constantFrom<unknown>(null, 'DND', 'OPT_OUT', 'QUIET_HOURS', 'dnd'),
  }),
  fc.dictionary(
    fc.constantFrom('verdict', 'rule', 'x'),
    fc.constantFrom<unknown>('ALLOWED', 'BLOCKED', 'DND', 'QUIET_HOURS', null, 'dnd', 0),
  ),
);

function decode(kind: Kind, bytes: Uint8Array, currency: string) {
  if (kind === 'billed') return decodeBilled(bytes, currency);
  return kind === 'dlr' ? decodeDlr(bytes) : decodeCdr(bytes, currency);
}

function mutation(kind: Kind) {
  const field = fc.oneof(fc.constantFrom(...propertyNames(kind)), fc.constantFrom('extra', 'x'));
  return fc.tuple(field, fc.oneof(edgeValue, fc.constant<unknown>(DELETE)));
}

describe.each(kinds)('%s schema: random mutations', (kind) => {
  it('gives the same verdict as the JSON Schema, and decodes exactly when valid', () => {
    fc.assert(
      fc.property(fc.array(mutation(kind), { minLength: 1, maxLength: 3 }), (changes) => {
        let payload: Record<string, unknown> = examples[kind];
        for (const [field, value] of changes) {
          payload = mutate(payload, field, value);
        }
        const v = verdicts(kind, payload);
        expect(v.value).toBe(v.ajv);
        expect(v.compiled).toBe(v.ajv);
        const bytes = new TextEncoder().encode(JSON.stringify(payload));
        const currency = typeof payload['currency'] === 'string' ? payload['currency'] : 'USD';
        const decoded = decode(kind, bytes, currency);
        expect(decoded.ok).toBe(v.ajv);
      }),
      { numRuns: 3000 },
    );
  });
});
