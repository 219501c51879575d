// US-ANLYT-19: the insights' window (src/insights/window.ts), pure.
import { describe, expect, it } from 'vitest';
import { insightsWindow } from '../src/insights/window.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 15, 14, 25, 544);
const iso = (ms: number) => new Date(ms).toISOString();
const ok = (from?: string, to?: string, now = NOW) => {
  const r = insightsWindow(from, to, now);
  if (!r.ok) throw new Error(r.detail);
  return r.window;
};

describe('insightsWindow', () => {
  it('defaults to today and the 6 days before, today until now', () => {
    expect(ok()).toEqual({
      fromMs: Date.UTC(2026, 10, 22),
      toMs: Date.UTC(2026, 10, 29),
      requestedFrom: '2026-11-22T00:00:00.000Z',
      requestedTo: iso(NOW),
    });
  });

  it('widens to whole UTC days and echoes the requested bounds', () => {
    expect(ok('2026-11-20T10:30:00+02:00', '2026-11-21T00:00:01Z')).toEqual({
      fromMs: Date.UTC(2026, 10, 20),
      toMs: Date.UTC(2026, 10, 22),
      requestedFrom: '2026-11-20T08:30:00.000Z',
      requestedTo: '2026-11-21T00:00:01.000Z',
    });
    // Exact midnights stay; a date-only `to` is the end of its day.
    expect(ok('2026-11-20', '2026-11-20')).toMatchObject({
      fromMs: Date.UTC(2026, 10, 20),
      toMs: Date.UTC(2026, 10, 21),
    });
    // Only `from`: until now, widened to the end of today.
    expect(ok('2026-11-27T23:59:59Z')).toMatchObject({
      fromMs: Date.UTC(2026, 10, 27),
      toMs: Date.UTC(2026, 10, 29),
    });
  });

  it('allows 90 days on the requested bounds, not 91', () => {
    const from = Date.UTC(2026, 7, 30, 12);
    expect(ok(iso(from), iso(from + 90 * DAY))).toMatchObject({ toMs: Date.UTC(2026, 10, 29) });
    expect(insightsWindow(iso(from), iso(from + 90 * DAY + 1), NOW)).toEqual({
      ok: false,
      detail: 'window is 91 days; the maximum is 90',
    });
  });

  it('refuses what every route refuses', () => {
    for (const [from, to] of [
      [undefined, '2026-11-20'],
      ['2026-11-21', '2026-11-20'],
      ['2026-02-30', undefined],
      ['', undefined],
      ['0000-01-01', '0000-01-02'],
    ] as const)
      expect(insightsWindow(from, to, NOW).ok, `${from} ${to}`).toBe(false);
  });

  it('stops at the last instant an RFC 3339 year-9999 bound can name', () => {
    expect(ok('9999-12-31', '9999-12-31T23:00:00Z')).toMatchObject({
      fromMs: Date.UTC(9999, 11, 31),
      toMs: Date.UTC(9999, 11, 31, 23),
    });
  });
});
