/**
 * The `anlyt` schema, as drizzle tables. drizzle-kit generates the SQL migrations in
 * ../migrations from this file; the functions the upserts use (counts_merge) live in a
 * hand-written migration there.
 *
 * Invariants:
 * - every row is keyed by its UTC bucket start (`hour`, `second`), by event time;
 * - derived measures (total_messages, delivered/failed) are generated columns, so they can
 *   never drift from the counters they come from;
 * - bucket rows are updated in place many times an hour: migration 0002 gives their tables
 *   fillfactor 70 so those updates are HOT (drizzle-kit does not model storage parameters);
 * - money is numeric(38,6): exact, never a float; sums outgrow the 14 integer digits one
 *   event may carry, so the column is wider than billing's numeric(20,6).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const anlyt = pgSchema('anlyt');

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const count = (name: string) =>
  bigint(name, { mode: 'bigint' })
    .notNull()
    .default(sql`0`);
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** DLR status counters shared by metrics_hourly and operator_performance (contract §3). */
const dlrColumns = () => ({
  statusDelivered: count('status_delivered'),
  statusFailed: count('status_failed'),
  statusExpired: count('status_expired'),
  statusRejected: count('status_rejected'),
  statusUndeliverable: count('status_undeliverable'),
  statusUnknown: count('status_unknown'),
  deliveredMessages: bigint('delivered_messages', { mode: 'bigint' }).generatedAlwaysAs(
    sql`status_delivered`,
  ),
  failedMessages: bigint('failed_messages', { mode: 'bigint' }).generatedAlwaysAs(
    sql`status_failed + status_expired + status_rejected + status_undeliverable`,
  ),
  latencySumMs: count('latency_sum_ms'),
  latencyCount: count('latency_count'),
  /** DDSketch bins {"key": count}; merged key-by-key with anlyt.counts_merge (exact). */
  latencySketch: jsonb('latency_sketch')
    .notNull()
    .default(sql`'{}'::jsonb`),
});

/** Billing counters shared by metrics_hourly and metrics_daily (contract §3). */
const billingColumns = () => ({
  billedCount: count('billed_count'),
  refundedCount: count('refunded_count'),
  totalMessages: bigint('total_messages', { mode: 'bigint' }).generatedAlwaysAs(
    sql`billed_count - refunded_count`,
  ),
  totalCost: numeric('total_cost', { precision: 38, scale: 6 }).notNull().default('0'),
  segments: count('segments'),
});

/** Billing + DLR measures per (scope, scope id, UTC hour). PLATFORM uses scope_id '*'. */
export const metricsHourly = anlyt.table(
  'metrics_hourly',
  {
    scope: text('scope').notNull(),
    scopeId: text('scope_id').notNull(),
    hour: ts('hour').notNull(),
    ...billingColumns(),
    ...dlrColumns(),
    peakTps: integer('peak_tps').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.scopeId, t.hour] }),
    check('metrics_hourly_scope', sql`${t.scope} in ('PLATFORM', 'OPERATOR', 'ACCOUNT')`),
    // Window reads of a whole scope (every operator, every account) over a few hours: without
    // it they scan the table. (scope, hour) never changes on update, so updates stay HOT.
    index('metrics_hourly_scope_hour').on(t.scope, t.hour),
  ],
);

/** Operator quality per UTC hour: the DLR side plus ESME error codes {"code": count}. */
export const operatorPerformance = anlyt.table(
  'operator_performance',
  {
    operatorId: text('operator_id').notNull(),
    hour: ts('hour').notNull(),
    ...dlrColumns(),
    errorCodes: jsonb('error_codes')
      .notNull()
      .default(sql`'{}'::jsonb`),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.operatorId, t.hour] })],
);

/**
 * BILLED events per UTC second, for an exact peakTps. Counts only grow (refunds do not
 * un-bill a second), so an hour's peak is max(seconds) and can be kept with GREATEST.
 */
export const tpsSeconds = anlyt.table(
  'tps_seconds',
  {
    scope: text('scope').notNull(),
    scopeId: text('scope_id').notNull(),
    second: ts('second').notNull(),
    billedCount: integer('billed_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeId, t.second] })],
);

/**
 * tps_seconds folded per UTC minute, in the same statement that writes the seconds: BILLED
 * events of the minute and its busiest second. 1m / 5m throughput read 1 440 rows a day from
 * here instead of probing 86 400 seconds (54 ms a day, docs/benchmarks.md).
 */
export const tpsMinutes = anlyt.table(
  'tps_minutes',
  {
    scope: text('scope').notNull(),
    scopeId: text('scope_id').notNull(),
    minute: ts('minute').notNull(),
    billedCount: bigint('billed_count', { mode: 'bigint' }).notNull(),
    peakTps: integer('peak_tps').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeId, t.minute] })],
);

/**
 * The processed-event ledger: one row per eventId ever applied, written in the same
 * transaction as the aggregates. payload_hash tells a redelivery (same hash) from a conflict.
 */
export const processedEvents = anlyt.table(
  'processed_events',
  {
    eventId: uuid('event_id').primaryKey(),
    payloadHash: bytea('payload_hash').notNull(),
    source: text('source').notNull(),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    /**
     * Stream sequence of the message whose payload the aggregates hold: the lowest sequence
     * seen with that payload. Conflicts are decided by it (the lower sequence wins). Null for
     * rows written before it existed: those keep the payload they have.
     */
    streamSeq: bigint('stream_seq', { mode: 'number' }),
  },
  (t) => [
    // Retention (anlyt-rollup deletes rows older than LEDGER_RETENTION_DAYS in chunks): ids are
    // random, but first_seen_at only grows, so this index is appended at its right edge and
    // costs one hot page per batch (docs/decisions.md "The ledger at 150M ids").
    index('processed_events_first_seen_at').on(t.firstSeenAt),
  ],
);

/** dataAsOf per projection: the largest occurredAt folded into it. */
export const watermarks = anlyt.table('watermarks', {
  projection: text('projection').primaryKey(),
  dataAsOf: ts('data_as_of').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Per UTC day, how many events have been folded into its hourly aggregates so far: bumped by
 * upsertBillingBuckets / upsertDlrBuckets in the writer's transaction, after its bucket rows.
 * The API's answer cache versions a window by its days' rows (reads/version.ts): ≤ 91 rows
 * instead of up to 2 160 PLATFORM hours. Any other writer of metrics_hourly must bump it too.
 */
export const dayVersions = anlyt.table('day_versions', {
  day: date('day', { mode: 'string' }).primaryKey(),
  folds: bigint('folds', { mode: 'bigint' }).notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// --- Daily rollup (US-ANLYT-03) -------------------------------------------------------------

/**
 * metrics_hourly folded per UTC day by anlyt-rollup: sums of the counters and money, merged
 * sketches, max of peak_tps. A day's rows are replaced as a whole on every roll (idempotent).
 * ACCOUNT rows exist only for accounts with activity that day, so activeAccounts over any
 * window is an exact count of distinct scope_id with billed_count > 0.
 */
export const metricsDaily = anlyt.table(
  'metrics_daily',
  {
    scope: text('scope').notNull(),
    scopeId: text('scope_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    ...billingColumns(),
    ...dlrColumns(),
    peakTps: integer('peak_tps').notNull().default(0),
    rolledAt: ts('rolled_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.scopeId, t.day] }),
    check('metrics_daily_scope', sql`${t.scope} in ('PLATFORM', 'OPERATOR', 'ACCOUNT')`),
    // Every operator's (or account's) rows of some days (delivery-breakdown): through the
    // primary key each day's probe read every scope_id of the scope (85 ms at 90 days × 100
    // operators; docs/benchmarks.md).
    index('metrics_daily_scope_day').on(t.scope, t.day),
  ],
);

/** operator_performance folded per UTC day. */
export const operatorPerformanceDaily = anlyt.table(
  'operator_performance_daily',
  {
    operatorId: text('operator_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    ...dlrColumns(),
    errorCodes: jsonb('error_codes')
      .notNull()
      .default(sql`'{}'::jsonb`),
    rolledAt: ts('rolled_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.operatorId, t.day] })],
);

/** One row per rollup run: what the AnlytRollupFailed alert and a human look at. */
export const rollupRuns = anlyt.table(
  'rollup_runs',
  {
    runId: uuid('run_id').primaryKey(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    /** RUNNING, SUCCEEDED, FAILED, or ABANDONED (a run that died without finishing). */
    outcome: text('outcome').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    daysRolled: date('days_rolled', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    error: text('error'),
  },
  (t) => [
    check(
      'rollup_runs_outcome',
      sql`${t.outcome} in ('RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED')`,
    ),
    index('rollup_runs_started_at').on(t.startedAt),
  ],
);

/** When each day was last rolled (the snapshot time of that roll's transaction). */
export const rollupDays = anlyt.table('rollup_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  rolledAt: ts('rolled_at').notNull(),
  runId: uuid('run_id').notNull(),
});

// --- Reconciliation (US-ANLYT-09) -----------------------------------------------------------

/** Every comparison of a day's analytics totals with billing's, appended by anlyt-reconcile. */
export const reconciliationLog = anlyt.table(
  'reconciliation_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    analyticsTotalCost: numeric('analytics_total_cost', { precision: 38, scale: 6 }),
    billingTotalCost: numeric('billing_total_cost', { precision: 38, scale: 6 }),
    analyticsMessages: bigint('analytics_messages', { mode: 'bigint' }),
    billingMessages: bigint('billing_messages', { mode: 'bigint' }),
    /** |analytics − billing| / billing for cost (exact decimal); null when not computable. */
    costDivergence: numeric('cost_divergence'),
    /** Same for message counts. */
    messageDivergence: numeric('message_divergence'),
    threshold: numeric('threshold').notNull(),
    status: text('status').notNull(),
    checkedAt: ts('checked_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'reconciliation_log_status',
      sql`${t.status} in ('OK', 'DIVERGED', 'MISSING_BILLING', 'MISSING_ANALYTICS')`,
    ),
    index('reconciliation_log_day').on(t.day, t.checkedAt),
  ],
);
