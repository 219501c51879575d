import { describe, expect, it } from 'vitest';
import { parseWindow, planWindow, type WindowResult } from '../src/index.js';
import { DAY, HOUR } from './arbitraries.js';

const at = (iso: string) => Date.parse(iso);
/** 2026-11-28T10:17:05.123Z, a Saturday morning. */
const NOW = at('2026-11-28T10:17:05.123Z');

function ok(r: WindowResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.detail}`);
  return r.window;
}
function detail(r: WindowResult): string {
  if (r.ok) throw new Error(`expected INVALID_WINDOW, got ${JSON.stringify(r.window)}`);
  expect(r.code).toBe('INVALID_WINDOW');
  return r.detail;
}

describe('parseWindow: the contract examples', () => {
  it('a date-only to includes the whole day (to=2026-11-30 includes all of 30 Nov)', () => {
    const w = ok(parseWindow('2026-11-01', '2026-11-30', NOW));
    expect(w).toEqual({
      fromMs: at('2026-11-01T00:00:00Z'),
      toMs: at('2026-12-01T00:00:00Z'),
      requestedFrom: '2026-11-01T00:00:00.000Z',
      requestedTo: '2026-12-01T00:00:00.000Z',
    });
    expect(at('2026-11-30T23:59:59.999Z')).toBeLessThan(w.toMs);
    expect(planWindow(w).days).toHaveLength(30);
  });

  it('from=D&to=D is the whole of day D', () => {
    expect(planWindow(ok(parseWindow('2026-11-30', '2026-11-30', NOW)))).toEqual({
      days: ['2026-11-30'],
      hourRanges: [],
    });
  });

  it('defaults to today: UTC midnight to now, widened to the hour', () => {
    expect(ok(parseWindow(undefined, undefined, NOW))).toEqual({
      fromMs: at('2026-11-28T00:00:00Z'),
      toMs: at('2026-11-28T11:00:00Z'),
      requestedFrom: '2026-11-28T00:00:00.000Z',
      requestedTo: '2026-11-28T10:17:05.123Z',
    });
  });

  it('defaults to an empty (but valid) window at exactly midnight', () => {
    const w = ok(parseWindow(undefined, undefined, at('2026-11-28T00:00:00Z')));
    expect(w.fromMs).toBe(w.toMs);
    expect(planWindow(w)).toEqual({ days: [], hourRanges: [] });
  });

  it('keeps an exact hour boundary when defaulting', () => {
    expect(ok(parseWindow(undefined, undefined, at('2026-11-28T10:00:00Z'))).toMs).toBe(
      at('2026-11-28T10:00:00Z'),
    );
  });

  it('takes to = now when only from is given', () => {
    const w = ok(parseWindow('2026-11-20', undefined, NOW));
    expect(w.requestedTo).toBe('2026-11-28T10:17:05.123Z');
    expect(w.toMs).toBe(at('2026-11-28T11:00:00Z'));
    expect(detail(parseWindow('2026-11-29', undefined, NOW))).toBe(
      'from (2026-11-29T00:00:00.000Z) must be before now (2026-11-28T10:17:05.123Z)',
    );
  });

  it('requires from when to is given', () => {
    expect(detail(parseWindow(undefined, '2026-11-30', NOW))).toBe(
      'from is required when to is given',
    );
  });

  it('rejects a window longer than 90 days, rounding the days up in the message', () => {
    expect(detail(parseWindow('2026-01-01', '2026-04-30', NOW))).toBe(
      'window is 120 days; the maximum is 90',
    );
  });
});

describe('parseWindow: the 90-day limit is on the requested bounds', () => {
  it('accepts exactly 90 days (1 Jan to the end of 31 Mar 2026)', () => {
    ok(parseWindow('2026-01-01', '2026-03-31', NOW));
  });

  it('rejects 90 days and 1 ms as 91 days', () => {
    expect(detail(parseWindow('2026-01-01', '2026-04-01T00:00:00.001Z', NOW))).toBe(
      'window is 91 days; the maximum is 90',
    );
    expect(detail(parseWindow('2026-01-01', '2026-04-01', NOW))).toBe(
      'window is 91 days; the maximum is 90',
    );
  });

  it('lets the hour widening take an exact 90 days just past 90', () => {
    const w = ok(parseWindow('2026-01-01T00:30:00Z', '2026-04-01T00:30:00Z', NOW));
    expect(w.toMs - w.fromMs).toBe(90 * DAY + HOUR);
  });
});

describe('parseWindow: dates and timestamps', () => {
  it.each([
    ['2028-02-29', true],
    ['2000-02-29', true],
    ['2026-02-28', true],
    ['2026-02-30', false],
    ['2027-02-29', false],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-11-00', false],
  ])('the date %s is valid: %s', (d, valid) => {
    const r = parseWindow(d, d, NOW);
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.detail).toMatch(/^from is not an RFC 3339 date-time or a YYYY-MM-DD date/);
  });

  it('reads the leap day 2028-02-29 as one whole day', () => {
    expect(planWindow(ok(parseWindow('2028-02-29', '2028-02-29', NOW))).days).toEqual([
      '2028-02-29',
    ]);
  });

  it('applies offsets and echoes the bounds in UTC', () => {
    expect(ok(parseWindow('2026-11-28T10:30:00+03:00', '2026-11-28T23:30:00-05:00', NOW))).toEqual({
      fromMs: at('2026-11-28T07:00:00Z'),
      toMs: at('2026-11-29T05:00:00Z'),
      requestedFrom: '2026-11-28T07:30:00.000Z',
      requestedTo: '2026-11-29T04:30:00.000Z',
    });
  });

  it.each(['2026-11-28T10:30:00+0300', '2026-11-28T10:30:00+03', '2026-11-28t10:30:00.000+03:00'])(
    'accepts the RFC 3339 variants parseDateTime accepts: %s',
    (from) => {
      expect(ok(parseWindow(from, '2026-11-29', NOW)).requestedFrom).toBe(
        '2026-11-28T07:30:00.000Z',
      );
    },
  );

  it('widens to whole hours: from floored, to ceiled, exact boundaries kept', () => {
    const w = ok(parseWindow('2026-11-28T10:15:00Z', '2026-11-28T12:00:00Z', NOW));
    expect([w.fromMs, w.toMs]).toEqual([at('2026-11-28T10:00:00Z'), at('2026-11-28T12:00:00Z')]);
    const v = ok(parseWindow('2026-11-28T10:00:00Z', '2026-11-28T12:00:00.001Z', NOW));
    expect([v.fromMs, v.toMs]).toEqual([at('2026-11-28T10:00:00Z'), at('2026-11-28T13:00:00Z')]);
  });

  it.each([
    ['', 'from is not an RFC 3339 date-time or a YYYY-MM-DD date: ""'],
    ['yesterday', 'from is not an RFC 3339 date-time or a YYYY-MM-DD date: "yesterday"'],
    [
      '2026-11-28T10:30:00',
      'from is not an RFC 3339 date-time or a YYYY-MM-DD date: "2026-11-28T10:30:00"',
    ],
    [
      '2026-11-28T25:00:00Z',
      'from is not an RFC 3339 date-time or a YYYY-MM-DD date: "2026-11-28T25:00:00Z"',
    ],
    ['1764288000000', 'from is not an RFC 3339 date-time or a YYYY-MM-DD date: "1764288000000"'],
    ['2026-1-5', 'from is not an RFC 3339 date-time or a YYYY-MM-DD date: "2026-1-5"'],
  ])('rejects from=%j', (from, expected) => {
    expect(detail(parseWindow(from, undefined, NOW))).toBe(expected);
  });

  it('names the parameter that failed', () => {
    expect(detail(parseWindow('2026-11-01', '30 Nov', NOW))).toBe(
      'to is not an RFC 3339 date-time or a YYYY-MM-DD date: "30 Nov"',
    );
  });

  it('echoes at most 40 characters of the input', () => {
    const d = detail(parseWindow('x'.repeat(10_000), undefined, NOW));
    expect(d).toContain(`"${'x'.repeat(40)}"…`);
    expect(d).not.toContain('x'.repeat(41));
  });

  it('rejects from >= to', () => {
    expect(detail(parseWindow('2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z', NOW))).toBe(
      'from (2026-11-28T10:00:00.000Z) must be before to (2026-11-28T10:00:00.000Z)',
    );
    expect(detail(parseWindow('2026-11-30', '2026-11-29T23:00:00Z', NOW))).toMatch(
      /must be before to/,
    );
  });
});

describe('parseWindow: bounds PostgreSQL and RFC 3339 can both hold (1970-01-01 to 9999-12-31T23:00Z)', () => {
  const OUTSIDE = /^(from|to) is outside 1970-01-01T00:00:00Z to 9999-12-31T23:00:00Z/;

  it.each([
    ['0000-01-01', '0000-01-02'], // year 0000: PostgreSQL has none (SQLSTATE 22008)
    ['0001-01-01', '0001-01-02'],
    ['1969-12-31', '1969-12-31'],
    ['1969-12-31T23:59:59.999Z', '1970-01-01T01:00:00Z'],
    ['1970-01-01T00:30:00+01:00', '1970-01-01T02:00:00Z'], // 1969-12-31T23:30Z
    ['0000-01-01T00:30:00+01:00', '1970-01-01'], // year −1 in UTC
  ])('refuses from=%s (to=%s) as INVALID_WINDOW', (from, to) => {
    expect(detail(parseWindow(from, to, NOW))).toMatch(OUTSIDE);
    expect(detail(parseWindow(from, to, NOW))).toMatch(/^from /);
  });

  it.each([
    ['9999-12-31', ' (a date-only to ends at the next midnight)'], // = 10000-01-01T00:00Z
    ['9999-12-31T23:00:00.001Z', ''],
    ['9999-12-31T23:30:00Z', ''], // its hour would widen into year 10000
    ['9999-12-31T23:30:00-01:00', ''], // 10000-01-01T00:30Z
  ])('refuses to=%s', (to, note) => {
    expect(detail(parseWindow('9999-12-31T22:00:00Z', to, NOW))).toBe(
      `to is outside 1970-01-01T00:00:00Z to 9999-12-31T23:00:00Z${note}: ${JSON.stringify(to)}`,
    );
  });

  it('accepts the first and the last bounds, and their widened windows stay inside', () => {
    const first = ok(parseWindow('1970-01-01', '1970-01-01T00:00:00.001Z', NOW));
    expect([first.fromMs, first.toMs]).toEqual([0, HOUR]);
    const last = ok(parseWindow('9999-12-31T22:00:00.001Z', '9999-12-31T23:00:00Z', NOW));
    expect(new Date(last.fromMs).toISOString()).toBe('9999-12-31T22:00:00.000Z');
    expect(new Date(last.toMs).toISOString()).toBe('9999-12-31T23:00:00.000Z');
    expect(planWindow(ok(parseWindow('9999-12-30', '9999-12-30', NOW)))).toEqual({
      days: ['9999-12-30'],
      hourRanges: [],
    });
    ok(parseWindow('9999-12-31T20:00:00Z', '9999-12-31T22:00:00-01:00', NOW)); // to = 23:00Z
  });

  it.each(['10000-01-01', '+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '99999-01-01'])(
    'refuses %s as not a date at all (years have 4 digits)',
    (from) => {
      expect(detail(parseWindow(from, undefined, NOW))).toMatch(
        /^from is not an RFC 3339 date-time or a YYYY-MM-DD date/,
      );
    },
  );
});
