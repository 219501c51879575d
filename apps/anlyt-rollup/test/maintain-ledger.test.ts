// The rollup's ledger upkeep: which days it makes and where the retention cuts, by hand.
import { describe, expect, it } from 'vitest';
import { MaintainLedgerUseCase } from '../src/use-cases/maintain-ledger.use-case.js';

describe('MaintainLedgerUseCase', () => {
  it('makes yesterday … today + ahead and drops what ends before today − retention', async () => {
    const calls: string[] = [];
    const uc = new MaintainLedgerUseCase(
      {
        ensure: async (from, to) => (calls.push(`ensure ${from} ${to}`), 2),
        dropBefore: async (cutoff) => (calls.push(`drop ${cutoff}`), ['processed_events_20261123']),
      },
      { retentionDays: 9, aheadDays: 3, now: () => Date.parse('2026-12-03T00:30:00Z') },
    );
    expect(await uc.execute()).toEqual({
      created: 2,
      dropped: ['processed_events_20261123'],
      cutoffDay: '2026-11-24',
    });
    expect(calls).toEqual(['ensure 2026-12-02 2026-12-06', 'drop 2026-11-24']);
  });
});
