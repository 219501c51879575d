/**
 * An anlyt database and a separate "billing" database, both real and both the test's own,
 * with a reconciler wired to them in-process. Nothing is mocked.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { foldBilling } from '@anlyt/domain';
import { createLogger } from '@anlyt/observability';
import {
  createLocalBillingTable,
  upsertBillingBuckets,
  upsertLocalBillingDailyTotals,
  upsertTpsSeconds,
} from '@anlyt/pg';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { createReconciler, type Reconciler } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export interface LogRow {
  run_id: string;
  day: string;
  analytics_total_cost: string | null;
  billing_total_cost: string | null;
  analytics_messages: string | null;
  billing_messages: string | null;
  cost_divergence: string | null;
  message_divergence: string | null;
  threshold: string;
  status: string;
}

export interface Harness {
  db: TestDatabase;
  billingDb: TestDatabase;
  /** Env for the built CLI, pointing at both databases. */
  env: Record<string, string>;
  reconciler: Reconciler;
  /** Everything the reconciler logged, one JSON object per entry. */
  logs: Record<string, unknown>[];
  /** A PLATFORM day row as anlyt-rollup would write it (plus a decoy OPERATOR row), and the
   *  day recorded as rolled now, with no hourly rows behind it: a current daily row. */
  analyticsDay(day: string, totalCost: string, billed: number, refunded?: number): Promise<void>;
  /** Billing events folded into the hourly aggregates as anlyt-consumer folds a batch:
   *  foldBilling, then upsertBillingBuckets and upsertTpsSeconds in one transaction. */
  foldBilled(events: readonly { at: string; amount: string; refund?: boolean }[]): Promise<void>;
  billingDay(day: string, totalCost: string, messages: number, currency?: string): Promise<void>;
  logRows(): Promise<LogRow[]>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const billingDb = await createTestDatabase('billing_t');
  await createLocalBillingTable(billingDb.sql);
  const fullEnv = { DATABASE_URL: db.url, BILLING_DATABASE_URL: billingDb.url, ...env };
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      for (const line of String(chunk).split('\n'))
        if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const log = createLogger({ service: 'anlyt-reconcile', level: 'info', destination });
  const reconciler = createReconciler(loadConfig(fullEnv), log);

  return {
    db,
    billingDb,
    env: fullEnv,
    reconciler,
    logs,
    async analyticsDay(day, totalCost, billed, refunded = 0) {
      await db.sql`
        insert into anlyt.metrics_daily (scope, scope_id, day, billed_count, refunded_count, total_cost)
        values ('PLATFORM', '*', ${day}::date, ${billed}, ${refunded}, ${totalCost}::numeric),
               ('OPERATOR', 'op-decoy', ${day}::date, 1, 0, 1.5)`;
      await db.sql`
        insert into anlyt.rollup_days (day, rolled_at, run_id) values (${day}::date, now(), ${randomUUID()})`;
    },
    async foldBilled(events) {
      const deltas = foldBilling(
        events.map((e) => ({
          eventId: randomUUID(),
          occurredAtMs: Date.parse(e.at),
          accountId: 'acc_late',
          operatorId: 'op-late',
          status: e.refund ? ('REFUNDED' as const) : ('BILLED' as const),
          segments: 1,
          amount: e.amount,
        })),
      );
      await db.sql.begin(async (tx) => {
        await upsertBillingBuckets(tx, deltas);
        await upsertTpsSeconds(tx, deltas);
      });
    },
    async billingDay(day, totalCost, messages, currency = 'USD') {
      await upsertLocalBillingDailyTotals(billingDb.sql, [
        { day, currency, totalCost, messageCount: String(messages) },
      ]);
    },
    logRows: () => db.sql<LogRow[]>`
      select run_id::text, day::text, analytics_total_cost::text, billing_total_cost::text,
             analytics_messages::text, billing_messages::text, cost_divergence::text,
             message_divergence::text, threshold::text, status
      from anlyt.reconciliation_log order by id`,
    async close() {
      await reconciler.close();
      await db.drop();
      await billingDb.drop();
    },
  };
}
