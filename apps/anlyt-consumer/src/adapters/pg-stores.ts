/** Postgres implementations of the AggregateStore port, one per projection. */
import type { BillingDeltas, DlrDeltas } from '@anlyt/domain';
import {
  advanceWatermark,
  recordInLedger,
  rewriteLedger,
  upsertBillingBuckets,
  upsertDlrBuckets,
  upsertOperatorPerformance,
  upsertTpsSeconds,
  type Sql,
  type TxSql,
} from '@anlyt/pg';
import type { AggregateStore } from '../use-cases/apply-event-batch.use-case.js';

function pgStore<D extends { maxOccurredAtMs: number | null }>(
  sql: Sql,
  source: string,
  applyDeltas: (tx: TxSql, d: D) => Promise<void>,
): AggregateStore<D> {
  return {
    source,
    transaction: (fn) =>
      sql.begin((tx) =>
        fn({
          record: (entries) => recordInLedger(tx, source, entries),
          rewrite: (entries) => rewriteLedger(tx, entries),
          async apply(d) {
            await applyDeltas(tx, d);
            if (d.maxOccurredAtMs !== null) await advanceWatermark(tx, source, d.maxOccurredAtMs);
          },
        }),
      ) as Promise<never>,
  };
}

export const billingStore = (sql: Sql) =>
  pgStore<BillingDeltas>(sql, 'billing', async (tx, d) => {
    await upsertBillingBuckets(tx, d);
    await upsertTpsSeconds(tx, d);
  });

export const dlrStore = (sql: Sql) =>
  pgStore<DlrDeltas>(sql, 'dlr', async (tx, d) => {
    await upsertDlrBuckets(tx, d);
    await upsertOperatorPerformance(tx, d);
  });
