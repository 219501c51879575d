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
  /**
   * Ledger partitions (days) kept: at least the streams' 7 days plus one, so that no event
   * still in a stream has lost its ledger row (it would be applied again). Default 9: 7 days
   * + 2 days for a consumer that fell behind.
   */
  LEDGER_RETENTION_DAYS: Type.Integer({ minimum: 8, default: 9 }),
  /** Ledger partitions made ahead of today. */
  LEDGER_PARTITIONS_AHEAD_DAYS: Type.Integer({ minimum: 1, default: 3 }),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
