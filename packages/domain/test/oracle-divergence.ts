// A naive, independent oracle for divergence: schoolbook long division producing decimal
// digits one at a time, and comparisons done on digit strings. Shares no code with src/.

export interface Digits {
  int: bigint;
  /** Exactly `places` fraction digits, truncated. */
  frac: string;
  /** Whether anything non-zero was cut off after the last digit. */
  rest: boolean;
}

/** |a − b| / |b| to `places` digits by long division; undefined when b = 0. */
export function oracleDigits(a: bigint, b: bigint, places: number): Digits | undefined {
  if (b === 0n) return undefined;
  const n = a > b ? a - b : b - a;
  const d = b < 0n ? -b : b;
  const int = n / d;
  let r = n - int * d;
  let frac = '';
  for (let i = 0; i < places; i++) {
    r *= 10n;
    let digit = 0;
    while (r >= d) {
      r -= d;
      digit++;
    }
    frac += String(digit);
  }
  return { int, frac, rest: r !== 0n };
}

/** "divergence > threshold" by comparing digit strings (threshold: ≤ 12 decimals). */
export function oracleExceeds(a: bigint, b: bigint, threshold: string): boolean {
  const q = oracleDigits(a, b, 12);
  if (q === undefined) return a !== 0n;
  const [ti = '0', tf = ''] = threshold.split('.');
  const tInt = BigInt(ti);
  const tFrac = tf.padEnd(12, '0');
  if (q.int !== tInt) return q.int > tInt;
  if (q.frac !== tFrac) return q.frac > tFrac; // same length, so string order is numeric order
  return q.rest;
}

/** Adds one to a string of decimal digits, by hand: "0999" → "1000", "99" → "100". */
function incrementDigits(s: string): string {
  const out = s.split('');
  let i = out.length - 1;
  while (i >= 0 && out[i] === '9') out[i--] = '0';
  if (i < 0) return `1${out.join('')}`;
  out[i] = String(Number(out[i]) + 1);
  return out.join('');
}

/** The divergence rounded up to `places` decimals, as a string. */
export function oracleFormatUp(a: bigint, b: bigint, places: number): string | undefined {
  const q = oracleDigits(a, b, places);
  if (q === undefined) return a === 0n ? `0.${'0'.repeat(places)}` : undefined;
  let digits = `${q.int}${q.frac}`;
  if (q.rest) digits = incrementDigits(digits);
  digits = digits.padStart(places + 1, '0');
  return `${BigInt(digits.slice(0, -places))}.${digits.slice(-places)}`;
}
