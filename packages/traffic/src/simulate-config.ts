import { BILLED_SUBJECT, CDR_SUBJECT, DLR_SUBJECT } from './records.js';

export interface SimConfig {
  natsUrl: string;
  ratePerSec: number;
  durationS: number | null;
  seed: number;
  currency: string;
  billedSubject: string;
  dlrSubject: string;
  /** Where CDRs go; null when SIM_CDRS=0 (then none are generated). */
  cdrSubject: string | null;
  maxInFlight: number;
  /** Where to keep billing.daily_totals of what is billed (local runs); null: not kept. */
  billingDatabaseUrl: string | null;
}

/** The simulator's only reader of the environment; lists every bad variable at once. */
export function readSimConfig(env: NodeJS.ProcessEnv, nowMs: number): SimConfig {
  const bad: string[] = [];
  const num = (
    name: string,
    fallback: number | null,
    ok: (v: number) => boolean,
  ): number | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || !ok(v)) bad.push(`${name}=${raw}`);
    return v;
  };
  // On by default: the dev streams include CDR, and the ClickHouse side needs the traffic.
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === '1' || raw === 'true') return true;
    if (raw !== '0' && raw !== 'false') bad.push(`${name}=${raw}`);
    return false;
  };
  const cfg: SimConfig = {
    natsUrl: env['NATS_URL'] || 'nats://127.0.0.1:4222',
    ratePerSec: num('SIM_RATE', 50, (v) => v > 0)!,
    durationS: num('SIM_DURATION_S', null, (v) => v > 0),
    seed: num('SIM_SEED', nowMs % 4294967296, Number.isSafeInteger)!,
    currency: env['SIM_CURRENCY'] || 'USD',
    billedSubject: env['SIM_BILLED_SUBJECT'] || BILLED_SUBJECT,
    dlrSubject: env['SIM_DLR_SUBJECT'] || DLR_SUBJECT,
    cdrSubject: flag('SIM_CDRS', true) ? env['SIM_CDR_SUBJECT'] || CDR_SUBJECT : null,
    maxInFlight: num('SIM_MAX_IN_FLIGHT', 256, (v) => Number.isInteger(v) && v >= 1)!,
    billingDatabaseUrl: env['BILLING_DATABASE_URL'] || null,
  };
  if (!/^[A-Z]{3}$/.test(cfg.currency)) bad.push(`SIM_CURRENCY=${cfg.currency}`);
  if (bad.length > 0) throw new Error(`invalid simulator configuration: ${bad.join(', ')}`);
  return cfg;
}
