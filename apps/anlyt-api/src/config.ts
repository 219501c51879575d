/** The only file that reads process.env (conventions: apps/anlyt-consumer/src/config.ts). */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';
import { DEFAULT_JWKS_ALGORITHMS, JWKS_ALGORITHMS } from './plugins/auth.js';

const ALG = JWKS_ALGORITHMS.join('|');

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
  /** HS256 secret for bearer tokens (contract §4). Required unless a JWKS URL is set. */
  ANLYT_AUTH_JWT_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** Production alternative: verify tokens against this JWKS. */
  ANLYT_AUTH_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** With a JWKS URL: the only JWS algorithms a token may use, comma-separated. Asymmetric
   *  only (plugins/auth.ts JWKS_ALGORITHMS): `none` and HS* are refused at start. Without a
   *  JWKS URL it has no effect: the secret verifies HS256 tokens and nothing else. */
  ANLYT_AUTH_JWT_ALGORITHMS: Type.String({
    pattern: `^(${ALG})(,(${ALG}))*$`,
    default: DEFAULT_JWKS_ALGORITHMS.join(','),
  }),
  HTTP_HOST: Type.String({ default: '0.0.0.0' }),
  HTTP_PORT: Type.Integer({ minimum: 0, default: 8080 }),
  LOG_LEVEL: LogLevel,
  /** Same meaning as anlyt-rollup's: a daily row is trusted only if its day did not change
   *  within this margin of its roll; otherwise the day is read from hourly rows. */
  ROLLUP_CHANGE_MARGIN_S: Type.Integer({ minimum: 0, default: 900 }),
  /** Memory (MiB) for answers reused while their window's data is unchanged (answer-cache.ts);
   *  0 computes every answer. */
  ANLYT_API_ANSWER_CACHE_MB: Type.Number({ minimum: 0, default: 64 }),
  /** PostgreSQL connections of this replica. Each request in progress holds one (its
   *  version read and its queries run on it, answer-cache.ts), so this bounds the requests
   *  served at once; budget replicas × this within the server's max_connections. */
  PG_POOL_MAX: Type.Integer({ minimum: 1, default: 20 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1, default: 10_000 }),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cfg = loadEnvConfig(ConfigSchema, env);
  if (!cfg.ANLYT_AUTH_JWT_SECRET && !cfg.ANLYT_AUTH_JWKS_URL) {
    throw new Error('one of ANLYT_AUTH_JWT_SECRET or ANLYT_AUTH_JWKS_URL is required');
  }
  return cfg;
}
