/**
 * The only file that reads process.env (see apps/anlyt-consumer/src/config.ts for the
 * conventions: TypeBox schema, env-schema validation listing every problem at once).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
  LOG_LEVEL: LogLevel,
  /**
   * A day is re-rolled when its hourly rows changed after (its last roll − this margin). Must
   * exceed the longest consumer transaction (bounded by the consumer's statement and
   * idle-in-transaction timeouts, 60 s each per batch statement).
   */
  ROLLUP_CHANGE_MARGIN_S: Type.Integer({ minimum: 0, default: 900 }),
  /** A run still RUNNING after this long is recorded as ABANDONED by the next run. */
  ROLLUP_ABANDON_AFTER_S: Type.Integer({ minimum: 60, default: 3600 }),
  // Retention (docs/retention.md), applied after every roll. Each table keeps at least this
  // many days, and at most one partition (a day or a month) more.
  /**
   * The processed-events ledger. Must cover the streams' 7 days plus the longest a consumer
   * (or a backfill) may lag behind them: an event still in a stream whose ledger row is gone
   * would be applied again.
   */
  LEDGER_RETENTION_DAYS: Type.Integer({ minimum: 8, default: 10 }),
  /** Per-second BILLED counts (only late events raising an hour's peak read them). */
  TPS_SECONDS_RETENTION_DAYS: Type.Integer({ minimum: 1, default: 14 }),
  /** Hourly buckets and per-minute throughput: the API's 90-day windows, to the hour. */
  HOURLY_RETENTION_DAYS: Type.Integer({ minimum: 91, default: 100 }),
  /** Daily rollups: 13 months, so a year can be compared with the one before. */
  DAILY_RETENTION_DAYS: Type.Integer({ minimum: 91, default: 400 }),
  RUN_LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, default: 90 }),
  RECONCILIATION_LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, default: 400 }),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cfg = loadEnvConfig(ConfigSchema, env);
  // A day must not leave the daily history before its hours do: the hours are what a
  // re-roll would rebuild it from.
  if (cfg.DAILY_RETENTION_DAYS < cfg.HOURLY_RETENTION_DAYS)
    throw new Error(
      `invalid configuration: DAILY_RETENTION_DAYS (${cfg.DAILY_RETENTION_DAYS}) must be ≥ HOURLY_RETENTION_DAYS (${cfg.HOURLY_RETENTION_DAYS})`,
    );
  return cfg;
}
