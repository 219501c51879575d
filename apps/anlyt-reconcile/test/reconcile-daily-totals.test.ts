// The use case with hand-written fakes of its ports: orchestration only (the verdicts are the
// domain's, tested there; the SQL is tested in reconciliation.spec.ts).
import { describe, expect, it } from 'vitest';
import type { BillingDayTotals, DayTotals } from '@anlyt/domain';
import {
  ReconcileDailyTotalsUseCase,
  type ReconciliationRun,
} from '../src/use-cases/reconcile-daily-totals.use-case.js';

function fakes(opts: { billingFails?: boolean } = {}) {
  const appended: ReconciliationRun[] = [];
  const reads: string[][] = [];
  const analytics = new Map<string, DayTotals>([
    ['2026-11-02', { costMicros: 1_000_000_000n, messages: 10n }],
  ]);
  const billing = new Map<string, BillingDayTotals>([
    ['2026-11-02', { costMicros: 1_000_000_000n, messages: 10n, currency: 'USD' }],
    ['2026-11-01', { costMicros: 5n, messages: 1n, currency: 'USD' }],
  ]);
  const useCase = new ReconcileDailyTotalsUseCase({
    analytics: { read: async (days) => (reads.push([...days]), analytics) },
    billing: {
      read: async () => {
        if (opts.billingFails) throw new Error('connection refused');
        return billing;
      },
    },
    log: { append: async (run) => void appended.push(run) },
    newRunId: () => 'run-1',
    threshold: '0.0001',
    settlementCurrency: 'USD',
  });
  return { useCase, appended, reads };
}

describe('ReconcileDailyTotalsUseCase', () => {
  it('reads both sides once for all days and appends the whole run once, in day order', async () => {
    const { useCase, appended, reads } = fakes();
    const run = await useCase.execute(['2026-11-02', '2026-11-01', '2026-11-03']);
    expect(reads).toEqual([['2026-11-02', '2026-11-01', '2026-11-03']]);
    expect(appended).toEqual([run]);
    expect(run).toEqual({
      runId: 'run-1',
      threshold: '0.0001',
      days: [
        {
          day: '2026-11-02',
          status: 'OK',
          analytics: { totalCost: '1000.000000', messages: '10' },
          billing: { totalCost: '1000.000000', messages: '10', currency: 'USD' },
          costDivergence: '0.000000000000',
          messageDivergence: '0.000000000000',
          currencyMismatch: false,
        },
        {
          day: '2026-11-01',
          status: 'MISSING_ANALYTICS',
          analytics: null,
          billing: { totalCost: '0.000005', messages: '1', currency: 'USD' },
          costDivergence: null,
          messageDivergence: null,
          currencyMismatch: false,
        },
        {
          day: '2026-11-03',
          status: 'MISSING_BILLING',
          analytics: null,
          billing: null,
          costDivergence: null,
          messageDivergence: null,
          currencyMismatch: false,
        },
      ],
    });
  });

  it('appends nothing when a side cannot be read', async () => {
    const { useCase, appended } = fakes({ billingFails: true });
    await expect(useCase.execute(['2026-11-02'])).rejects.toThrow('connection refused');
    expect(appended).toEqual([]);
  });

  it('refuses a malformed threshold at construction', () => {
    expect(
      () =>
        new ReconcileDailyTotalsUseCase({
          analytics: { read: async () => new Map() },
          billing: { read: async () => new Map() },
          log: { append: async () => {} },
          newRunId: () => 'x',
          threshold: '0.01%',
          settlementCurrency: 'USD',
        }),
    ).toThrow(/threshold/);
  });
});
