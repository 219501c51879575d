/** The only file that reads process.env (conventions: apps/anlyt-consumer/src/config.ts). */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';
import { DEFAULT_JWKS_ALGORITHMS, JWKS_ALGORITHMS } from './plugins/auth.js';

const ALG = JWKS_ALGORITHMS.join('|');
const DEFAULT_HTTP_HOST = '0.0.0.0';
const DEFAULT_HTTP_PORT = 8080;

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
  HTTP_HOST: Type.String({ default: DEFAULT_HTTP_HOST }),
  HTTP_PORT: Type.Integer({ minimum: 0, default: DEFAULT_HTTP_PORT }),
  /** The URL callers reach this API at (behind an ingress: its external URL, with any path
   *  prefix the ingress strips), published as the OpenAPI document's `servers`. Default: the
   *  listener's own address, http://<HTTP_HOST>:<HTTP_PORT>, with 127.0.0.1 for a wildcard
   *  host. A trailing slash is dropped. */
  ANLYT_API_PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$' }),
  ),
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

export type Config = Static<typeof ConfigSchema> & { ANLYT_API_PUBLIC_URL: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cfg = loadEnvConfig(ConfigSchema, env);
  if (!cfg.ANLYT_AUTH_JWT_SECRET && !cfg.ANLYT_AUTH_JWKS_URL) {
    throw new Error('one of ANLYT_AUTH_JWT_SECRET or ANLYT_AUTH_JWKS_URL is required');
  }
  const publicUrl = cfg.ANLYT_API_PUBLIC_URL ?? listenerUrl(cfg.HTTP_HOST, cfg.HTTP_PORT);
  return { ...cfg, ANLYT_API_PUBLIC_URL: publicUrl.replace(/\/+$/, '') };
}

/** http://host:port of a listener; a wildcard host is reached on the loopback address. */
export function listenerUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** `servers` of a deployment that sets neither ANLYT_API_PUBLIC_URL nor HTTP_HOST/HTTP_PORT:
 *  what the published OpenAPI document (docs/openapi.json) is generated with. */
export const DEFAULT_PUBLIC_URL = listenerUrl(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT);
