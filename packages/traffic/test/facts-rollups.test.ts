// FactsOracle's rollups over the hand-written facts of facts-fixtures.ts, expected rows
// worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  type CdrDailyRow,
  type ComplianceHourlyRow,
  type DlrHourlyRow,
  cdrDailyKey,
  complianceHourlyKey,
  dlrHourlyKey,
} from '../src/index.js';
import { DAY27, DAY28, H10, H9, ms, oracle } from './facts-fixtures.js';

describe('FactsOracle rollups', () => {
  const keyed = <R>(rows: R[], keyOf: (r: R) => string) => new Map(rows.map((r) => [keyOf(r), r]));
  const dims = { tenantId: 'acc_1', mno: 'mno-a', lane: 'TRANSACTIONAL', direction: 'MT' } as const;

  it('dlrHourly: per UTC hour and dimensions, latencies summed exactly and sorted', () => {
    const rows: DlrHourlyRow[] = [
      // d1 + d3; 09:59:59.999 (d2) is still the 09:00 hour, 10:00:00.000 (d4) is not.
      {
        hourMs: H9,
        ...dims,
        status: 'DELIVERED',
        dlrs: 2,
        latencySumMs: 3631n,
        latencies: [1000, 2631],
      },
      { hourMs: H9, ...dims, status: 'FAILED', dlrs: 1, latencySumMs: 0n, latencies: [0] },
      { hourMs: H10, ...dims, status: 'DELIVERED', dlrs: 1, latencySumMs: 500n, latencies: [500] },
      {
        hourMs: H9,
        ...dims,
        tenantId: 'acc_2',
        status: 'DELIVERED',
        dlrs: 1,
        latencySumMs: 700n,
        latencies: [700],
      },
    ];
    expect(oracle.dlrHourly()).toEqual(keyed(rows, dlrHourlyKey));
  });

  it('cdrDaily: per UTC day and submit status; cost exact, SMPP errors counted', () => {
    const rows: CdrDailyRow[] = [
      {
        dayMs: DAY27,
        ...dims,
        submitStatus: 'ACCEPTED',
        cdrs: 1,
        segments: 1,
        costMicros: 12_500n,
        esmeErrors: 0,
      },
      {
        dayMs: DAY28,
        ...dims,
        submitStatus: 'ACCEPTED',
        cdrs: 1,
        segments: 2,
        costMicros: 25_000n,
        esmeErrors: 0,
      },
      // c3 (an SMSC refusal, with a code) and the two BLOCKED ones (never submitted: no code).
      {
        dayMs: DAY28,
        ...dims,
        submitStatus: 'REJECTED',
        cdrs: 3,
        segments: 5,
        costMicros: 1n,
        esmeErrors: 1,
      },
      {
        dayMs: DAY28,
        ...dims,
        submitStatus: 'THROTTLED',
        cdrs: 1,
        segments: 2,
        costMicros: 12_345_678_901_234_999_999n,
        esmeErrors: 1,
      },
    ];
    expect(oracle.cdrDaily()).toEqual(keyed(rows, cdrDailyKey));
  });

  it('complianceHourly: per UTC hour, verdict and rule (null is a value of its own)', () => {
    const at = (iso: string) => ms(iso);
    const rows: ComplianceHourlyRow[] = [
      {
        hourMs: at('2026-11-27T23:00:00.000Z'),
        ...dims,
        verdict: 'ALLOWED',
        rule: null,
        checked: 1,
      },
      { hourMs: DAY28, ...dims, verdict: 'ALLOWED', rule: null, checked: 1 },
      { hourMs: H9, ...dims, verdict: 'ALLOWED', rule: null, checked: 1 },
      { hourMs: H9, ...dims, verdict: 'BLOCKED', rule: 'DND', checked: 1 },
      { hourMs: H9, ...dims, verdict: 'BLOCKED', rule: 'OPT_OUT', checked: 1 },
      {
        hourMs: at('2026-11-28T12:00:00.000Z'),
        ...dims,
        verdict: 'ALLOWED',
        rule: null,
        checked: 1,
      },
    ];
    expect(oracle.complianceHourly()).toEqual(keyed(rows, complianceHourlyKey));
  });

  it('hands out fresh rollups: mutating one does not change the next', () => {
    oracle.cdrDaily().clear();
    expect(oracle.cdrDaily().size).toBe(4);
  });
});
