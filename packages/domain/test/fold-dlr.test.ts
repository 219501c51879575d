import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DlrDeltas,
  deliveredOf,
  failedOf,
  foldDlr,
  SKETCH_RELATIVE_ACCURACY as ALPHA,
  sketchQuantile,
} from '../src/index.js';
import type { DlrEvent } from '../src/inputs.js';
import { BASE, DAY, dlrEventArb, HOUR, withPermutation } from './arbitraries.js';
import { oracleHour, oracleQuantile } from './oracle.js';
import { asOperatorRow, combineDlr, oracleDlr } from './oracle-dlr.js';

const events = fc.array(dlrEventArb, { maxLength: 60 });

describe('foldDlr (properties)', () => {
  it('equals the filter-per-bucket oracle for every scope and hour', () => {
    fc.assert(
      fc.property(events, (es) => {
        expect(foldDlr(es)).toEqual(oracleDlr(es));
      }),
    );
  });

  it('bucket P95 (any q) is within α of the exact sorted-latency value', () => {
    fc.assert(
      fc.property(events, fc.constantFrom(0.5, 0.95, 0.99), (es, q) => {
        for (const b of foldDlr(es).buckets) {
          if (b.scope === 'ACCOUNT') {
            expect(b.sketch.size).toBe(0); // accounts keep no sketch
            continue;
          }
          const lat = es
            .filter((e) => oracleHour(e.occurredAtMs) === b.hourMs)
            .filter(
              (e) =>
                b.scope === 'PLATFORM' ||
                (b.scope === 'OPERATOR' ? e.operatorId : e.accountId) === b.scopeId,
            )
            .map((e) => e.latencyMs);
          const x = oracleQuantile(lat, q);
          const v = sketchQuantile(b.sketch, q) ?? NaN;
          expect(Math.abs(v - x)).toBeLessThanOrEqual(ALPHA * x);
        }
      }),
    );
  });

  it('does not depend on event order, output order included', () => {
    fc.assert(
      fc.property(withPermutation(events), ([es, shuffled]) => {
        expect(foldDlr(shuffled)).toEqual(foldDlr(es));
      }),
    );
  });

  it('fold(a ++ b) = fold(a) + fold(b): the batch split does not matter', () => {
    fc.assert(
      fc.property(events, events, (a, b) => {
        expect(foldDlr([...a, ...b])).toEqual(combineDlr(foldDlr(a), foldDlr(b)));
      }),
    );
  });
});

const ev = (over: Partial<DlrEvent>): DlrEvent => ({
  eventId: 'e',
  occurredAtMs: BASE,
  accountId: 'acc-1',
  operatorId: 'op-a',
  deliveryStatus: 'DELIVERED',
  errorCode: null,
  latencyMs: 1000,
  ...over,
});

describe('foldDlr (table)', () => {
  it('is empty for an empty batch', () => {
    expect(foldDlr([])).toEqual({ buckets: [], operators: [], maxOccurredAtMs: null });
  });

  it('counts UNKNOWN in byStatus but in neither delivered nor failed', () => {
    const statuses = [
      'DELIVERED',
      'FAILED',
      'EXPIRED',
      'REJECTED',
      'UNDELIVERABLE',
      'UNKNOWN',
    ] as const;
    const d = foldDlr([...statuses, 'UNKNOWN' as const].map((s) => ev({ deliveryStatus: s })));
    const p = d.buckets.find((b) => b.scope === 'PLATFORM');
    expect(p?.byStatus).toEqual({
      DELIVERED: 1,
      FAILED: 1,
      EXPIRED: 1,
      REJECTED: 1,
      UNDELIVERABLE: 1,
      UNKNOWN: 2,
    });
    expect(p && deliveredOf(p.byStatus)).toBe(1);
    expect(p && failedOf(p.byStatus)).toBe(4);
    expect(p?.latencyCount).toBe(7);
  });

  it('splits …:59:59.999 and …:00:00.000, and puts late events in their own hour', () => {
    const d = foldDlr([
      ev({ occurredAtMs: BASE }),
      ev({ occurredAtMs: BASE - 1 }),
      ev({ occurredAtMs: BASE - 2 * DAY + 5 }),
    ]);
    expect(d.operators.map((o) => [o.hourMs, o.latencyCount])).toEqual([
      [BASE - 2 * DAY, 1],
      [BASE - HOUR, 1],
      [BASE, 1],
    ]);
    expect(d.maxOccurredAtMs).toBe(BASE);
  });

  it('collects error codes per operator-hour, "__proto__" included', () => {
    const d = foldDlr([
      ev({ deliveryStatus: 'FAILED', errorCode: '__proto__' }),
      ev({ deliveryStatus: 'FAILED', errorCode: 'E42' }),
      ev({ deliveryStatus: 'REJECTED', errorCode: 'E42' }),
      ev({ errorCode: null }),
    ]);
    expect(Object.entries(d.operators[0]?.errorCodes ?? {})).toEqual([
      ['E42', 2],
      ['__proto__', 1],
    ]);
  });

  it('operator rows mirror the OPERATOR buckets without sharing state with them', () => {
    const d = foldDlr([ev({ latencyMs: 0 }), ev({ latencyMs: 250, deliveryStatus: 'EXPIRED' })]);
    const bucket = d.buckets.find((b) => b.scope === 'OPERATOR');
    const op = d.operators[0];
    if (bucket === undefined || op === undefined) throw new Error('missing rows');
    expect(op).toEqual(asOperatorRow(bucket, {}));
    op.sketch.clear();
    op.byStatus.EXPIRED = 99;
    expect(bucket.sketch.size).toBe(2);
    expect(bucket.byStatus.EXPIRED).toBe(1);
  });
});

describe('foldDlr with sign −1 (a displaced event taken back out)', () => {
  const isZero = (s: {
    byStatus: Record<string, number>;
    latencySumMs: number;
    latencyCount: number;
  }) =>
    Object.values(s.byStatus).every((n) => n === 0) && s.latencySumMs === 0 && s.latencyCount === 0;
  const sparse = (m: Map<number, number>) => new Map([...m].filter(([, n]) => n !== 0));
  const codes = (o: Record<string, number>) =>
    Object.fromEntries(Object.entries(o).filter(([, n]) => n !== 0));
  /** Without the all-zero rows, bins and codes a retraction leaves behind. */
  const nonZero = (d: DlrDeltas) => ({
    buckets: d.buckets.filter((b) => !isZero(b)).map((b) => ({ ...b, sketch: sparse(b.sketch) })),
    operators: d.operators
      .filter((o) => !isZero(o))
      .map((o) => ({ ...o, sketch: sparse(o.sketch), errorCodes: codes(o.errorCodes) })),
  });

  it('fold(a ++ [x]) + fold([y]) + fold([x], −1) = fold(a ++ [y]): displacement is exact', () => {
    fc.assert(
      fc.property(events, dlrEventArb, dlrEventArb, (a, x, y) => {
        const displaced = combineDlr(
          combineDlr(foldDlr([...a, x]), foldDlr([y])),
          foldDlr([x], -1),
        );
        expect(nonZero(displaced)).toEqual(nonZero(foldDlr([...a, y])));
      }),
    );
  });

  it('negates every count, sum, bin and code, and never moves dataAsOf', () => {
    fc.assert(
      fc.property(events, (es) => {
        const minus = foldDlr(es, -1);
        expect(minus.maxOccurredAtMs).toBeNull();
        expect(combineDlr(minus, foldDlr(es))).toSatisfy((d: DlrDeltas) =>
          [...d.buckets, ...d.operators].every(
            (b) =>
              isZero(b) &&
              [...b.sketch.values()].every((n) => n === 0) &&
              Object.values('errorCodes' in b ? b.errorCodes : {}).every((n) => n === 0),
          ),
        );
      }),
    );
  });
});
