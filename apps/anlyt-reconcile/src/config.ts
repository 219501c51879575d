/**
 * The only file that reads process.env (conventions as in apps/anlyt-consumer/src/config.ts:
 * TypeBox schema, env-schema validation listing every problem at once, and an optional
 * .env-style file named by ANLYT_CONFIG_FILE, read before the environment, which wins).
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadEnvConfig, LogLevel } from '@anlyt/config';
import { DEFAULT_DIVERGENCE_THRESHOLD } from '@anlyt/domain';

export const ConfigSchema = Type.Object({
  /** anlyt's database: reads anlyt's day totals, appends to anlyt.reconciliation_log. */
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
  /** Same meaning as anlyt-rollup's and anlyt-api's: a day's daily row is trusted only if
   *  the day did not change within this margin of its roll; otherwise the day is summed from
   *  its hourly rows (packages/pg/src/reconciliation.ts readPlatformDailyTotals). */
  ROLLUP_CHANGE_MARGIN_S: Type.Integer({ minimum: 0, default: 900 }),
  LOG_LEVEL: LogLevel,
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnvConfig(ConfigSchema, env);
}
