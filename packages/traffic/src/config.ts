/** What a generated data set looks like. All randomness comes from `seed`. */
export interface TrafficConfig {
  seed: number;
  /** occurredAt of billed events is spread over [startMs, startMs + spanMs) with a diurnal density. */
  startMs: number;
  spanMs: number;
  /** Number of distinct billed messages (each may later get a DLR and/or a refund). */
  messages: number;
  operators: number;
  accounts: number;
  /** The settlement currency every valid event carries. */
  currency: string;
  /** Fraction of billed messages later REFUNDED. */
  refundRate: number;
  /** Fraction of billed messages that get a final DLR. */
  dlrRate: number;
  /** Per valid message emitted: chance of a byte-identical re-send of an earlier one. */
  duplicateRate: number;
  /** Per valid message emitted: chance of an earlier eventId re-sent with a different payload. */
  conflictRate: number;
  /** Per valid message emitted: chance of an extra broken payload. */
  invalidRate: number;
  /** Fraction of billed messages whose occurredAt lies hours to days before their emission. */
  lateRate: number;
  /**
   * Emit cdr.generated.v1 events too: one per billed message, plus BLOCKED ones. Off by
   * default; every CDR draw comes from a stream of its own, so turning it on leaves the
   * billed and DLR messages byte for byte as they were.
   */
  cdrs: boolean;
  /** With cdrs: per billed message, chance of an extra CDR for a message compliance BLOCKED. */
  blockedRate: number;
}

/**
 * A fixed start (not Date.now()) keeps the defaults deterministic: the same overrides always
 * give the same bytes.
 */
export const defaultTrafficConfig = (overrides: Partial<TrafficConfig> = {}): TrafficConfig => ({
  seed: 1,
  startMs: Date.UTC(2026, 10, 27),
  spanMs: 24 * 3_600_000,
  messages: 100_000,
  operators: 8,
  accounts: 2000,
  currency: 'USD',
  refundRate: 0.03,
  dlrRate: 0.95,
  duplicateRate: 0.01,
  conflictRate: 0.002,
  invalidRate: 0.01,
  lateRate: 0.005,
  cdrs: false,
  blockedRate: 0.01,
  ...overrides,
});

/** Throws a RangeError listing every bad field, so a typo in a test fails loudly. */
export function assertValidConfig(cfg: TrafficConfig): void {
  const bad: string[] = [];
  const int = (k: keyof TrafficConfig, min: number): void => {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) bad.push(`${k}=${String(v)}`);
  };
  int('messages', 0);
  int('operators', 1);
  int('accounts', 1);
  int('startMs', 0);
  int('spanMs', 1);
  if (!Number.isFinite(cfg.seed)) bad.push(`seed=${cfg.seed}`);
  if (!/^[A-Z]{3}$/.test(cfg.currency)) bad.push(`currency=${cfg.currency}`);
  for (const k of [
    'refundRate',
    'dlrRate',
    'duplicateRate',
    'conflictRate',
    'invalidRate',
    'lateRate',
    'blockedRate',
  ] as const) {
    const v = cfg[k];
    if (!(v >= 0 && v <= 1)) bad.push(`${k}=${v}`);
  }
  if (typeof cfg.cdrs !== 'boolean') bad.push(`cdrs=${String(cfg.cdrs)}`);
  if (bad.length > 0) throw new RangeError(`invalid TrafficConfig: ${bad.join(', ')}`);
}
