/**
 * The only file that reads process.env (conventions as in apps/anlyt-consumer/src/config.ts:
 * TypeBox schema, env-schema validation listing every problem at once, and an optional
 * .env-style file named by ANLYT_CONFIG_FILE, read before the environment, which wins).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';
import { DEFAULT_DIVERGENCE_THRESHOLD } from '@anlyt/domain';

export const ConfigSchema = Type.Object({
  /** anlyt's database: reads anlyt.metrics_daily, appends to anlyt.reconciliation_log. */
  DATABASE_URL: Type.String({ minLength: 1 }),
  /** Billing's database (contract §5): only billing.daily_totals is read, read-only. */
  BILLING_DATABASE_URL: Type.String({ minLength: 1 }),
  /** A billing day in any other currency is DIVERGED: its totals are not comparable. */
  ANLYT_SETTLEMENT_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
  /**
   * Relative divergence above which a day is DIVERGED (strictly above: exactly the threshold
   * is OK). A plain decimal ≥ 0 with at most 12 decimals, like the stored divergences.
   */
  RECONCILE_THRESHOLD: Type.String({
    pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,12})?$',
    default: DEFAULT_DIVERGENCE_THRESHOLD,
  }),
  LOG_LEVEL: LogLevel,
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
