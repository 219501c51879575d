/**
 * Exact money for the oracle: decimal strings ↔ bigint micro-units. Deliberately separate
 * from any production money code, so a bug there cannot hide in both.
 */
const DECIMAL = /^(0|[1-9][0-9]{0,13})(?:\.([0-9]{1,6}))?$/;

export function parseMicros(amount: string): bigint {
  const m = DECIMAL.exec(amount);
  if (m === null) throw new RangeError(`not a contract amount: ${JSON.stringify(amount)}`);
  const frac = (m[2] ?? '').padEnd(6, '0');
  return BigInt(m[1]!) * 1_000_000n + BigInt(frac);
}

/** Always 6 decimals, like the API: 200000n → "0.200000", -5n → "-0.000005". */
export function formatMicros(micros: bigint): string {
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}
