import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayStartMs, hourStartMs, secondStartMs } from '../src/index.js';
import { oracleDay, oracleHour, oracleSecond } from './oracle.js';

const at = (iso: string) => Date.parse(iso);

describe('UTC floors', () => {
  it.each([
    ['2026-11-28T10:59:59.999Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T11:00:00.000Z', '2026-11-28T11:00:00.000Z'],
    ['2026-11-28T11:00:00.001Z', '2026-11-28T11:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:00:00.000Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
    ['1969-12-31T23:30:00.000Z', '1969-12-31T23:00:00.000Z'],
  ])('hourStartMs(%s) = %s', (t, h) => {
    expect(hourStartMs(at(t))).toBe(at(h));
  });

  it.each([
    ['2026-11-28T23:59:59.999Z', '2026-11-28T00:00:00.000Z'],
    ['2026-11-29T00:00:00.000Z', '2026-11-29T00:00:00.000Z'],
    ['2028-02-29T12:00:00.000Z', '2028-02-29T00:00:00.000Z'],
  ])('dayStartMs(%s) = %s', (t, d) => {
    expect(dayStartMs(at(t))).toBe(at(d));
  });

  it.each([
    ['2026-11-28T10:00:00.999Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T10:00:01.000Z', '2026-11-28T10:00:01.000Z'],
  ])('secondStartMs(%s) = %s', (t, s) => {
    expect(secondStartMs(at(t))).toBe(at(s));
  });

  it('agree with Date-based oracles for any time 1960..2200', () => {
    const ms = fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2200, 0, 1) });
    fc.assert(
      fc.property(ms, (t) => {
        expect(secondStartMs(t)).toBe(oracleSecond(t));
        expect(hourStartMs(t)).toBe(oracleHour(t));
        expect(dayStartMs(t)).toBe(oracleDay(t));
      }),
    );
  });
});
