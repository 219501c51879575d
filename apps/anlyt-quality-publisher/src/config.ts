/**
 * The only file that reads process.env (see apps/anlyt-consumer/src/config.ts for the
 * conventions: TypeBox schema, env-schema validation listing every problem at once).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';

const Int = (def: number, min = 1) => Type.Integer({ default: def, minimum: min });

export const ConfigSchema = Type.Object({
  CLICKHOUSE_URL: Type.String({ default: 'http://127.0.0.1:8123' }),
  CLICKHOUSE_DATABASE: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$', default: 'anlyt' }),
  CLICKHOUSE_REQUEST_TIMEOUT_MS: Int(20_000, 100),
  /** The cube builder whose watermark says what the cubes hold (anlyt-ingest's name). */
  CUBE_BUILDER_NAME: Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$', default: 'main' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  QUALITY_STREAM: Type.String({ default: 'OPERATOR_QUALITY' }),
  /** Fixed by the contract (§1); configurable so that tests publish on subjects of their own. */
  QUALITY_SUBJECT: Type.String({ minLength: 1, default: 'operator.quality.v1' }),
  /** Create the stream when missing (local runs and tests; in production it is deployed). */
  QUALITY_STREAM_PROVISION: Type.Boolean({ default: false }),
  /**
   * When a window is published: six fields with seconds (croner). Second 10 of every minute
   * gives ingest and the cube builder 10 s to fold the minute that just closed.
   */
  QUALITY_CRON: Type.String({ minLength: 1, default: '10 * * * * *' }),
  /** Below this many final DLRs (CDRs for esmeErrorRate) a rate is null, not a guess. */
  QUALITY_MIN_SAMPLE: Int(50),
  /**
   * Publish only when the cubes hold facts up to windowEnd minus this: otherwise the window
   * is skipped (nothing published), never filled with numbers that look fresh but are not.
   */
  QUALITY_MAX_LAG_S: Int(120, 0),
  HTTP_HOST: Type.String({ default: '0.0.0.0' }),
  HTTP_PORT: Int(9466, 0),
  LOG_LEVEL: LogLevel,
  SHUTDOWN_GRACE_MS: Int(20_000),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
