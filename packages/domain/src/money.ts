// Money is carried as integer micro-units (1 unit = 1_000_000 micros) in a bigint, from the
// event's decimal string to the SQL parameter. A JS number never holds money: 0.1 + 0.2 must
// be 0.3 exactly, and totals reach 10^14 units, far beyond a double's exact integers at 1e-6.

/** Micro-units per currency unit: the contract allows at most 6 decimal places. */
export const MICROS_PER_UNIT = 1_000_000n;

// Contract §2: ≥ 0, at most 6 decimals, no sign, no exponent, no leading zeros. At most 14
// integer digits, so any single amount fits billing's numeric(20,6) exactly.
const AMOUNT_RE = /^(0|[1-9][0-9]{0,13})(?:\.([0-9]{1,6}))?$/;

/** Thrown for a string that is not a contract money amount. Not retryable: the input is bad. */
export class MoneyError extends Error {
  readonly code = 'INVALID_MONEY';
  readonly retryable = false;
  constructor(readonly input: string) {
    super(`not a money amount: ${JSON.stringify(input.slice(0, 40))}`);
    this.name = 'MoneyError';
  }
}

/** Exact decimal string → micros: "0.1" → 100000n, "12" → 12000000n. Throws MoneyError. */
export function parseMicros(amount: string): bigint {
  const m = AMOUNT_RE.exec(amount);
  if (m === null) throw new MoneyError(amount);
  // Right-padding the fraction to 6 digits and concatenating is multiplication by 10^6
  // done on the digits, so one BigInt parse gives the exact result.
  const frac = m[2] ?? '';
  return BigInt(m[1] + frac.padEnd(6, '0'));
}

/** Micros → decimal string with exactly 6 decimals and a leading '-' when negative. */
export function formatMicros(m: bigint): string {
  const neg = m < 0n;
  const abs = neg ? -m : m;
  const units = abs / MICROS_PER_UNIT;
  const frac = (abs % MICROS_PER_UNIT).toString().padStart(6, '0');
  return `${neg ? '-' : ''}${units}.${frac}`;
}
