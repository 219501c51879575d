// The escaping functions against the real server: hostile strings must come back unchanged
// as one literal, never as anything else (a second statement, a comment, a cut literal).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CLICKHOUSE_URL } from '@anlyt/testing';
import {
  createClickHouse,
  rows,
  sqlIdentifier,
  sqlString,
  sqlUInt,
  UnsafeSqlValueError,
} from '../src/index.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
afterAll(() => ch.close());

/** Characters that have meant trouble in SQL literals somewhere. */
const NASTY = [
  "'",
  '\\',
  '"',
  '`',
  '\0',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  ';',
  '--',
  '/*',
  '*/',
  '{',
  '}',
  '$',
  '%',
  '?',
  '\u2028',
  '\u00a0',
  '😀',
  'é',
  '\u0301',
  '\x1a',
  '\x7f',
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary' }), fc.string()), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('sqlString against ClickHouse', () => {
  it('reads every hostile string back as itself (200 cases per run, 20 strings per query)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 1, maxLength: 20 }), async (values) => {
        const select = values.map((v, i) => `${sqlString(v)} AS v${i}`).join(', ');
        const [row] = await rows<Record<string, string>>(ch, `SELECT ${select}`);
        expect(values.map((_, i) => row![`v${i}`])).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a classic injection inside the literal', async () => {
    const evil = "x'); DROP TABLE system.one; --";
    const [row] = await rows<{ v: string; n: string }>(
      ch,
      `SELECT ${sqlString(evil)} AS v, count() AS n FROM system.one`,
    );
    expect(row).toEqual({ v: evil, n: '1' });
  });

  it('refuses a lone surrogate (it has no UTF-8 form)', () => {
    expect(() => sqlString('a\uD800b')).toThrow(UnsafeSqlValueError);
  });
});

describe('identifiers and integers', () => {
  it.each(['anlyt', 'facts_dlr', '_t1'])('accepts %s', (n) => expect(sqlIdentifier(n)).toBe(n));
  it.each(['', '1abc', 'a-b', 'a b', 'a;drop', 'a`', 'x'.repeat(64), 'db.table'])(
    'refuses identifier %j',
    (n) => expect(() => sqlIdentifier(n)).toThrow(UnsafeSqlValueError),
  );
  it.each([-1, 1.5, Number.NaN, 2 ** 53, -1n])('refuses integer %s', (n) =>
    expect(() => sqlUInt(n)).toThrow(UnsafeSqlValueError),
  );
  it('writes big unsigned integers as digits', () =>
    expect(sqlUInt(2n ** 64n - 1n)).toBe('18446744073709551615'));
});
