// US-ANLYT-19 AC1: the anonymous labels (src/insights/labels.ts), pure.
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelOrder, mnoLabel } from '../src/insights/labels.js';

/** Labels written out the long way: A…Z, then every two-letter and three-letter word in order. */
function spelledOut(count: number): string[] {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  const two = a.flatMap((x) => a.map((y) => x + y));
  const three = a.flatMap((x) => two.map((y) => x + y));
  return [...a, ...two, ...three].slice(0, count).map((l) => `MNO-${l}`);
}

describe('mnoLabel', () => {
  it('counts A … Z, AA … ZZ, AAA … like spreadsheet columns', () => {
    const n = 26 + 26 * 26 + 100;
    expect(Array.from({ length: n }, (_, i) => mnoLabel(i))).toEqual(spelledOut(n));
    expect([mnoLabel(0), mnoLabel(25), mnoLabel(26), mnoLabel(701), mnoLabel(702)]).toEqual([
      'MNO-A',
      'MNO-Z',
      'MNO-AA',
      'MNO-ZZ',
      'MNO-AAA',
    ]);
  });

  it('is one-to-one', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), (i, j) => (mnoLabel(i) === mnoLabel(j)) === (i === j)),
    );
  });

  it('refuses what is not a position', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => mnoLabel(bad)).toThrow(RangeError);
  });
});

describe('labelOrder', () => {
  const key = Buffer.from('a key of the unit tests, long enough');
  const ids = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), {
    minLength: 1,
    maxLength: 12,
  });

  it('orders by HMAC-SHA256(key, [tenant, mno]), whatever order the MNOs come in', () => {
    fc.assert(
      fc.property(ids, fc.string(), (mnos, tenant) => {
        const hmac = (m: string) =>
          createHmac('sha256', key)
            .update(JSON.stringify([tenant, m]))
            .digest('hex');
        const model = [...mnos].sort((x, y) => (hmac(x) < hmac(y) ? -1 : 1));
        expect(labelOrder(key, tenant, mnos)).toEqual(model);
        expect(labelOrder(key, tenant, [...mnos].reverse())).toEqual(model);
      }),
    );
  });

  it('is not the order of the ids, and differs between tenants and keys', () => {
    const mnos = ['mno-gh-01', 'mno-ke-01', 'mno-ng-01', 'mno-tz-01', 'mno-za-01'];
    const orders = new Set<string>();
    for (let t = 0; t < 50; t++) orders.add(labelOrder(key, `acc_${t}`, mnos).join());
    // 50 tenants over 120 permutations: a key that leaked the ids' order would give 1.
    expect(orders.size).toBeGreaterThan(20);
    const other = new Set<string>();
    for (let t = 0; t < 50; t++) other.add(labelOrder(randomBytes(32), 'acc_1', mnos).join());
    expect(other.size).toBeGreaterThan(20);
  });
});
