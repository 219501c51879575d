/**
 * The only file that reads process.env. Every variable is declared, typed and defaulted here;
 * a bad or missing one stops the process at start with the full list of what is wrong.
 * ANLYT_CONFIG_FILE may name a .env-style file read before the environment (the environment wins).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';

const Int = (def: number, min = 1) => Type.Integer({ default: def, minimum: min });

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  ANLYT_SETTLEMENT_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
  CONSUMERS: Type.String({ pattern: '^(billing|dlr)(,(billing|dlr))*$', default: 'billing,dlr' }),
  BILLING_STREAM: Type.String({ default: 'BILLING_EVENTS' }),
  BILLING_SUBJECT: Type.String({ default: 'billing.events.sms.billed.v1' }),
  BILLING_DURABLE: Type.String({ default: 'anlyt-billing-consumer' }),
  DLR_STREAM: Type.String({ default: 'SMS_DLR' }),
  DLR_SUBJECT: Type.String({ default: 'sms.dlr.inbound' }),
  DLR_DURABLE: Type.String({ default: 'anlyt-dlr-consumer' }),
  DLQ_STREAM: Type.String({ default: 'ANLYT_DLQ' }),
  DLQ_SUBJECT_PREFIX: Type.String({ default: 'anlyt.dlq' }),
  /** Create the DLQ stream if missing (it is ours, unlike the upstream streams). */
  DLQ_PROVISION: Type.Boolean({ default: true }),
  BATCH_SIZE: Int(2000),
  BATCH_LINGER_MS: Int(20, 0),
  /**
   * The durables' AckWait: how long a crashed process's messages wait before they are
   * delivered again (the pipeline stalls that long after a crash). Held messages are kept
   * alive with working() every third of it, so a slow or retried batch is not redelivered.
   */
  ACK_WAIT_MS: Int(10_000, 1000),
  /**
   * A message delivered more often than this without being settled is presumed to crash the
   * process and is dead-lettered ("quarantined") on its next delivery. The server itself
   * never gives up on a message (max_deliver −1): nothing is dropped silently.
   */
  MAX_DELIVER: Int(20, 2),
  /** Backoff of a batch retried in place (outage, failover, DLQ unreachable): min … max. */
  RETRY_DELAY_MS: Int(500, 1),
  RETRY_MAX_DELAY_MS: Int(30_000, 1),
  /** A batch in the handler this long (not retrying) makes /readyz fail ("stalled"). */
  STALL_AFTER_MS: Int(120_000, 1000),
  /** statement_timeout and idle_in_transaction_session_timeout of the consumer's sessions. */
  PG_STATEMENT_TIMEOUT_MS: Int(60_000, 100),
  /** Nats-Msg-Id window of the DLQ stream when we provision it: dead letters re-sent after a
   *  long retry are still deduplicated. */
  DLQ_DUPLICATE_WINDOW_MS: Int(3_600_000, 1000),
  HTTP_HOST: Type.String({ default: '0.0.0.0' }),
  HTTP_PORT: Int(9464, 0),
  LOG_LEVEL: LogLevel,
  SHUTDOWN_GRACE_MS: Int(20_000),
  /** How often lag, dataAsOf and the CronJobs' recorded status are read for /metrics. */
  STATUS_POLL_MS: Int(10_000, 100),
  /** Backfill (src/backfill): how often progress is logged, and when it ends (AC3: lag < 5 min;
   *  0 = only when nothing is left to deliver). */
  BACKFILL_PROGRESS_MS: Int(5000, 100),
  BACKFILL_END_LAG_S: Int(300, 0),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
