/** The only file that reads process.env (conventions: apps/anlyt-consumer/src/config.ts). */
import { hkdfSync } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';
import { DEFAULT_JWKS_ALGORITHMS, JWKS_ALGORITHMS } from './plugins/auth.js';

const ALG = JWKS_ALGORITHMS.join('|');
const DEFAULT_HTTP_HOST = '0.0.0.0';
const DEFAULT_HTTP_PORT = 8080;

/**
 * The compliance audit's own TLS listener (US-ANLYT-15, contract §6.3; src/audit/). It runs
 * only when its certificate, key and client CA are all configured; none of them → off (main.ts
 * logs why); some of them → refused at start.
 */
const AuditConfigSchema = Type.Object({
  AUDIT_HTTPS_PORT: Type.Integer({ minimum: 0, default: 8443 }),
  /** PEM files: the listener's certificate (chain) and key, and the CA that signs the
   *  certificates of the clients it accepts (no other CA is trusted there). */
  AUDIT_TLS_CERT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  AUDIT_TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  AUDIT_TLS_CA_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Client certificate subject CNs allowed in, comma-separated. */
  AUDIT_CLIENT_SUBJECTS: Type.String({
    pattern: '^[^,]+(,[^,]+)*$',
    default: 'regulator-portal-service',
  }),
  /** S3-compatible storage of exports. Without a bucket, exports answer 503. */
  AUDIT_S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  AUDIT_S3_BUCKET: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' })),
  AUDIT_S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
  /** Both or neither; neither → the AWS SDK's default credential chain (IRSA, env, profile). */
  AUDIT_S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  AUDIT_S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Rows an audit query may stream (413 RESULT_TOO_LARGE beyond: use an export). */
  AUDIT_MAX_ROWS: Type.Integer({ minimum: 1, default: 1_000_000 }),
});

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
  /** The query DSL's ClickHouse (anlyt-ingest's facts and cubes). */
  CLICKHOUSE_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8123' }),
  CLICKHOUSE_DATABASE: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', default: 'anlyt' }),
  /** Connections to ClickHouse: a query holds one, a multi-page one two while it is stored. */
  CLICKHOUSE_POOL_MAX: Type.Integer({ minimum: 2, default: 16 }),
  /** anlyt-ingest's CUBE_BUILDER_NAME: its watermark dates the cubes (dataAsOf). */
  CUBE_BUILDER_NAME: Type.String({ minLength: 1, default: 'main' }),
  /** Signs the DSL's cursors; every replica needs the same. Default: derived from
   *  ANLYT_AUTH_JWT_SECRET (so a JWKS-only deployment must set it). */
  ANLYT_QUERY_CURSOR_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** A DSL statement is cancelled by ClickHouse after this long (→ 503). */
  QUERY_MAX_EXECUTION_S: Type.Integer({ minimum: 1, default: 30 }),
  /** Rows a multi-page DSL result may hold (413 RESULT_TOO_LARGE beyond); at least one
   *  page of the largest limit, so a first page is never cut short by it. */
  QUERY_MAX_RESULT_ROWS: Type.Integer({ minimum: 100_000, default: 1_000_000 }),
  /** How long a DSL cursor is valid; its stored result is kept at least as long. */
  QUERY_CURSOR_TTL_S: Type.Integer({ minimum: 60, default: 86_400 }),
  /** Tenant insights (US-ANLYT-19): the final DLRs an MNO needs before its rates are shown to
   *  the tenant; below it they are null and `suppressed: true`. */
  INSIGHTS_MIN_SAMPLE_SIZE: Type.Integer({ minimum: 1, default: 100 }),
  /** Orders the anonymous labels of MNOs a tenant's traffic first uses together (an HMAC key:
   *  without it the order is unpredictable, so a label's letter reveals nothing about the
   *  id). Labels already assigned never change, so rotating it only affects new ones. Default:
   *  derived from the cursor secret or the JWT secret. */
  INSIGHTS_LABEL_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ...AuditConfigSchema.properties,
});

export type Config = Static<typeof ConfigSchema> & { ANLYT_API_PUBLIC_URL: string };

/** The cursor key: its own secret, or one derived from the JWT secret for this use only. */
export function cursorKey(cfg: Config): Buffer {
  if (cfg.ANLYT_QUERY_CURSOR_SECRET) return Buffer.from(cfg.ANLYT_QUERY_CURSOR_SECRET, 'utf8');
  return Buffer.from(
    hkdfSync('sha256', cfg.ANLYT_AUTH_JWT_SECRET!, 'anlyt-api', 'query-cursor', 32),
  );
}

/** The insights' label-order key: its own secret, or one derived for this use only. */
export function labelKey(cfg: Config): Buffer {
  if (cfg.INSIGHTS_LABEL_SECRET) return Buffer.from(cfg.INSIGHTS_LABEL_SECRET, 'utf8');
  // loadConfig guarantees one of these (the cursor secret is required without a JWT secret).
  const base = cfg.ANLYT_QUERY_CURSOR_SECRET ?? cfg.ANLYT_AUTH_JWT_SECRET!;
  return Buffer.from(hkdfSync('sha256', base, 'anlyt-api', 'insights-label-order', 32));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cfg = loadEnvConfig(ConfigSchema, env);
  if (!cfg.ANLYT_AUTH_JWT_SECRET && !cfg.ANLYT_AUTH_JWKS_URL) {
    throw new Error('one of ANLYT_AUTH_JWT_SECRET or ANLYT_AUTH_JWKS_URL is required');
  }
  if (!cfg.ANLYT_QUERY_CURSOR_SECRET && !cfg.ANLYT_AUTH_JWT_SECRET) {
    throw new Error('ANLYT_QUERY_CURSOR_SECRET is required when tokens are verified by JWKS');
  }
  checkAuditConfig(cfg);
  const publicUrl = cfg.ANLYT_API_PUBLIC_URL ?? listenerUrl(cfg.HTTP_HOST, cfg.HTTP_PORT);
  return { ...cfg, ANLYT_API_PUBLIC_URL: publicUrl.replace(/\/+$/, '') };
}

const AUDIT_TLS_FILES = ['AUDIT_TLS_CERT_FILE', 'AUDIT_TLS_KEY_FILE', 'AUDIT_TLS_CA_FILE'] as const;

/** Refuses a half-configured audit listener or half-given S3 credentials. */
function checkAuditConfig(cfg: Static<typeof ConfigSchema>): void {
  const missing = AUDIT_TLS_FILES.filter((k) => cfg[k] === undefined);
  if (missing.length > 0 && missing.length < AUDIT_TLS_FILES.length)
    throw new Error(
      `the audit listener needs all of ${AUDIT_TLS_FILES.join(', ')}; missing ${missing.join(', ')}`,
    );
  if ((cfg.AUDIT_S3_ACCESS_KEY_ID === undefined) !== (cfg.AUDIT_S3_SECRET_ACCESS_KEY === undefined))
    throw new Error('AUDIT_S3_ACCESS_KEY_ID and AUDIT_S3_SECRET_ACCESS_KEY go together');
}

export interface AuditSettings {
  port: number;
  tls: { certFile: string; keyFile: string; caFile: string };
  clientSubjects: string[];
  maxRows: number;
  /** Null: exports are off (no bucket). */
  s3: {
    bucket: string;
    region: string;
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  } | null;
}

/** The audit listener's settings, or why it is off. */
export function auditSettings(
  cfg: Config,
): { on: true; settings: AuditSettings } | { on: false; reason: string } {
  const {
    AUDIT_TLS_CERT_FILE: certFile,
    AUDIT_TLS_KEY_FILE: keyFile,
    AUDIT_TLS_CA_FILE: caFile,
  } = cfg;
  if (!certFile || !keyFile || !caFile)
    return { on: false, reason: `${AUDIT_TLS_FILES.join(', ')} are not set` };
  const s3 = cfg.AUDIT_S3_BUCKET
    ? {
        bucket: cfg.AUDIT_S3_BUCKET,
        region: cfg.AUDIT_S3_REGION,
        ...(cfg.AUDIT_S3_ENDPOINT ? { endpoint: cfg.AUDIT_S3_ENDPOINT } : {}),
        ...(cfg.AUDIT_S3_ACCESS_KEY_ID && cfg.AUDIT_S3_SECRET_ACCESS_KEY
          ? {
              credentials: {
                accessKeyId: cfg.AUDIT_S3_ACCESS_KEY_ID,
                secretAccessKey: cfg.AUDIT_S3_SECRET_ACCESS_KEY,
              },
            }
          : {}),
      }
    : null;
  return {
    on: true,
    settings: {
      port: cfg.AUDIT_HTTPS_PORT,
      tls: { certFile, keyFile, caFile },
      clientSubjects: cfg.AUDIT_CLIENT_SUBJECTS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      maxRows: cfg.AUDIT_MAX_ROWS,
      s3,
    },
  };
}

/** http://host:port of a listener; a wildcard host is reached on the loopback address. */
export function listenerUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** `servers` of a deployment that sets neither ANLYT_API_PUBLIC_URL nor HTTP_HOST/HTTP_PORT:
 *  what the published OpenAPI document (docs/openapi.json) is generated with. */
export const DEFAULT_PUBLIC_URL = listenerUrl(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT);
