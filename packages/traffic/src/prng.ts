/**
 * Seeded PRNG (sfc32, seeded through splitmix32).
 *
 * Why not mulberry32: it has 32 bits of state, so a UUID drawn from four consecutive outputs
 * is fully determined by one 32-bit state and ids would collide after ~65k draws (birthday
 * bound). sfc32 keeps 128 bits of state, is just as fast in JS, and passes PractRand.
 */

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

function hex8(x: number): string {
  return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

function hex4(x: number): string {
  return HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /**
   * `stream` picks one of several independent sequences for the same seed, so that a part of
   * the generator can draw without shifting every draw of the others (stream 0 is the
   * sequence the seed alone always gave). A distinct stream changes the splitmix start
   * state, and 12 sfc32 rounds later the sequences are unrelated.
   */
  constructor(seed: number, stream = 0) {
    // Fold seeds beyond 32 bits (e.g. Date.now()) instead of silently truncating them.
    let s = (Math.floor(seed) >>> 0) ^ (Math.floor(seed / 4294967296) >>> 0);
    s ^= Math.imul(stream, 0x632be5ab);
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in (0, 1): safe to take a logarithm of. */
  open01(): number {
    return (this.u32() + 0.5) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box–Muller, the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.open01()));
    const theta = 2 * Math.PI * this.float();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Random digits, e.g. for the subscriber part of an msisdn. */
  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(48 + this.int(10));
    return out;
  }

  /** RFC 4122 version-4 UUID (version nibble 4, variant bits 10). */
  uuid(): string {
    const a = this.u32();
    const b = (this.u32() & 0xffff0fff) | 0x4000;
    const c = ((this.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.u32();
    return `${hex8(a)}-${hex4(b >>> 16)}-${hex4(b)}-${hex4(c >>> 16)}-${hex4(c)}${hex8(d)}`;
  }

  /** Short hex tag (used to make messageIds differ between seeds). */
  tag(): string {
    return hex8(this.u32()).slice(0, 6);
  }
}

/** Index into a cumulative distribution (ascending, last element 1) by binary search. */
export function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Normalised cumulative distribution of non-negative weights. */
export function toCdf(weights: readonly number[]): Float64Array {
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    cdf[i] = sum;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / sum;
  cdf[cdf.length - 1] = 1;
  return cdf;
}
