/**
 * The only file that reads process.env. Every variable is declared, typed and defaulted here;
 * a bad or missing one stops the process at start with the full list of what is wrong.
 * ANLYT_CONFIG_FILE may name a .env-style file read before the environment (the environment wins).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';

const Int = (def: number, min = 1) => Type.Integer({ default: def, minimum: min });

export const ConfigSchema = Type.Object({
  CLICKHOUSE_URL: Type.String({ default: 'http://127.0.0.1:8123' }),
  CLICKHOUSE_DATABASE: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$', default: 'anlyt' }),
  /** The <remote_servers> cluster the tables were created ON; empty on a single node. */
  CLICKHOUSE_CLUSTER: Type.String({ pattern: '^([A-Za-z_][A-Za-z0-9_]{0,62})?$', default: '' }),
  CLICKHOUSE_REQUEST_TIMEOUT_MS: Int(60_000, 100),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  ANLYT_SETTLEMENT_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
  SOURCES: Type.String({ pattern: '^(dlr|cdr)(,(dlr|cdr))*$', default: 'dlr,cdr' }),
  DLR_STREAM: Type.String({ default: 'SMS_DLR' }),
  DLR_SUBJECT: Type.String({ default: 'sms.dlr.inbound' }),
  DLR_DURABLE: Type.String({ default: 'anlyt-ingest-dlr' }),
  CDR_STREAM: Type.String({ default: 'CDR' }),
  CDR_SUBJECT: Type.String({ default: 'cdr.generated.v1' }),
  CDR_DURABLE: Type.String({ default: 'anlyt-ingest-cdr' }),
  DLQ_STREAM: Type.String({ default: 'ANLYT_DLQ' }),
  /** Letters go to `<prefix>.<source>`; ours, apart from anlyt-consumer's `anlyt.dlq.dlr`. */
  DLQ_SUBJECT_PREFIX: Type.String({ default: 'anlyt.dlq.ingest' }),
  /** Create the DLQ stream if missing, capturing this subject (shared with anlyt-consumer). */
  DLQ_PROVISION: Type.Boolean({ default: true }),
  DLQ_STREAM_SUBJECTS: Type.String({ default: 'anlyt.dlq.>' }),
  DLQ_DUPLICATE_WINDOW_MS: Int(3_600_000, 1000),
  /** US-ANLYT-12 AC2: an insert every second or every 10 000 rows, whichever comes first. */
  BATCH_SIZE: Int(10_000),
  BATCH_LINGER_MS: Int(1000, 0),
  /** As anlyt-consumer: how long a crashed process's messages wait to be delivered again. */
  ACK_WAIT_MS: Int(10_000, 1000),
  MAX_DELIVER: Int(20, 2),
  RETRY_DELAY_MS: Int(500, 1),
  RETRY_MAX_DELAY_MS: Int(30_000, 1),
  STALL_AFTER_MS: Int(120_000, 1000),
  /** Rebuild the cubes of days whose facts changed this often (freshness target: 5 min). */
  CUBE_BUILDER_ENABLED: Type.Boolean({ default: true }),
  CUBE_REFRESH_MS: Int(15_000, 100),
  /** Dirty-day marks are re-read this far behind the watermark (a mark visible late). */
  CUBE_DIRTY_SLACK_S: Int(30, 0),
  /** Names the builder's watermark (one builder per name; production runs one builder). */
  CUBE_BUILDER_NAME: Type.String({ pattern: '^[A-Za-z0-9_]{1,32}$', default: 'main' }),
  HTTP_HOST: Type.String({ default: '0.0.0.0' }),
  HTTP_PORT: Int(9465, 0),
  LOG_LEVEL: LogLevel,
  SHUTDOWN_GRACE_MS: Int(20_000),
  /** How often num_pending is read for /metrics. */
  STATUS_POLL_MS: Int(10_000, 100),
  /** Backfill (src/backfill): how often progress is logged, and when it ends (AC3: lag < 5 min;
   *  0 = only when nothing is left to deliver). As anlyt-consumer's. */
  BACKFILL_PROGRESS_MS: Int(5000, 100),
  BACKFILL_END_LAG_S: Int(300, 0),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
