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
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
