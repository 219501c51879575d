import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';

const NOW = Date.parse('2026-11-28T00:30:00.000Z');

describe('parseCli', () => {
  it('defaults to yesterday, UTC', () => {
    expect(parseCli([], NOW)).toEqual({ days: ['2026-11-27'] });
    expect(parseCli([], Date.parse('2026-11-28T23:59:59.999Z'))).toEqual({ days: ['2026-11-27'] });
    expect(parseCli([], Date.parse('2026-03-01T00:00:00.000Z'))).toEqual({ days: ['2026-02-28'] });
  });

  it('takes one day or an inclusive range', () => {
    expect(parseCli(['--date', '2026-11-27'], NOW)).toEqual({ days: ['2026-11-27'] });
    expect(parseCli(['--from', '2026-11-27', '--to', '2026-11-27'], NOW)).toEqual({
      days: ['2026-11-27'],
    });
    expect(parseCli(['--from=2028-02-28', '--to=2028-03-01'], NOW)).toEqual({
      days: ['2028-02-28', '2028-02-29', '2028-03-01'], // a leap day
    });
  });

  it('allows a year, not more', () => {
    const year = parseCli(['--from', '2028-01-01', '--to', '2028-12-31'], NOW);
    expect('days' in year && year.days.length).toBe(366);
    expect(parseCli(['--from', '2025-01-01', '--to', '2026-11-27'], NOW)).toHaveProperty('error');
  });

  it.each([
    [['--date', '2026-02-29']],
    [['--date', '2026-13-01']],
    [['--date', '2026-1-1']],
    [['--date']],
    [['--from', '2026-11-01']],
    [['--to', '2026-11-01']],
    [['--from', '2026-11-02', '--to', '2026-11-01']],
    [['--date', '2026-11-01', '--from', '2026-11-01', '--to', '2026-11-02']],
    [['--days', '3']],
    [['yesterday']],
  ])('rejects %j', (args) => {
    expect(parseCli(args, NOW)).toHaveProperty('error');
  });

  it('has --help', () => {
    expect(parseCli(['--help'], NOW)).toEqual({ help: true });
  });
});
