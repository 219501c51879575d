import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { partitionStart } from '../src/use-cases/apply-retention.use-case.js';

const base = { DATABASE_URL: 'postgres://x/y' };

describe('anlyt-rollup retention config', () => {
  it('has the documented defaults (docs/retention.md)', () => {
    expect(loadConfig(base)).toMatchObject({
      LEDGER_RETENTION_DAYS: 10,
      TPS_SECONDS_RETENTION_DAYS: 14,
      HOURLY_RETENTION_DAYS: 100,
      DAILY_RETENTION_DAYS: 400,
      RUN_LOG_RETENTION_DAYS: 90,
      RECONCILIATION_LOG_RETENTION_DAYS: 400,
    });
  });

  it('refuses a ledger shorter than the streams, hours shorter than the API window, days shorter than hours', () => {
    expect(() => loadConfig({ ...base, LEDGER_RETENTION_DAYS: '7' })).toThrow(
      /LEDGER_RETENTION_DAYS/,
    );
    expect(() => loadConfig({ ...base, HOURLY_RETENTION_DAYS: '90' })).toThrow(
      /HOURLY_RETENTION_DAYS/,
    );
    expect(() =>
      loadConfig({ ...base, HOURLY_RETENTION_DAYS: '200', DAILY_RETENTION_DAYS: '150' }),
    ).toThrow(/DAILY_RETENTION_DAYS \(150\) must be ≥ HOURLY_RETENTION_DAYS \(200\)/);
    expect(
      loadConfig({ ...base, HOURLY_RETENTION_DAYS: '200', DAILY_RETENTION_DAYS: '200' })
        .DAILY_RETENTION_DAYS,
    ).toBe(200);
  });
});

describe('partitionStart', () => {
  it('is the UTC start of the day or month holding the instant', () => {
    const at = Date.parse('2027-03-01T00:00:00.000Z');
    expect(new Date(partitionStart('month', at)).toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(new Date(partitionStart('month', at - 1)).toISOString()).toBe(
      '2027-02-01T00:00:00.000Z',
    );
    expect(new Date(partitionStart('day', at - 1)).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(
      new Date(partitionStart('month', Date.parse('2028-02-29T23:59:59.999Z'))).toISOString(),
    ).toBe('2028-02-01T00:00:00.000Z');
  });
});
