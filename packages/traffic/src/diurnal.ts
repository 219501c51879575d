/**
 * The diurnal traffic curve: density over the UTC day, mean 1, peak at 13:00 UTC (1.6×),
 * trough at 01:00 UTC (0.4×).
 */
const DAY = 86_400_000;
const AMPLITUDE = 0.6;
const PEAK_HOUR = 13;

export function diurnalFactor(ms: number): number {
  const hour = (((ms % DAY) + DAY) % DAY) / 3_600_000;
  return 1 + AMPLITUDE * Math.cos((2 * Math.PI * (hour - PEAK_HOUR)) / 24);
}

/**
 * Exactly `count` ascending timestamps in [startMs, startMs + spanMs), distributed like a
 * Poisson process with the diurnal intensity conditioned on its count.
 *
 * How: ascending uniform order statistics are drawn one at a time (given the previous one x
 * and m points left, the next is x + (1 − x)(1 − U^(1/m))), then mapped through the inverse
 * of the diurnal CDF, tabulated on a grid of ~1-minute bins and walked with a forward-only
 * pointer. Sorted output means no sort and O(1) memory besides the grid.
 */
export class DiurnalTimes {
  private readonly cdf: Float64Array;
  private readonly binMs: number;
  private x = 0;
  private left: number;
  private bin = 0;

  constructor(
    private readonly startMs: number,
    private readonly spanMs: number,
    count: number,
  ) {
    const bins = Math.min(Math.max(Math.ceil(spanMs / 60_000), 1), 200_000);
    this.binMs = spanMs / bins;
    this.cdf = new Float64Array(bins + 1);
    let sum = 0;
    for (let i = 0; i < bins; i++) {
      sum += diurnalFactor(startMs + (i + 0.5) * this.binMs);
      this.cdf[i + 1] = sum;
    }
    for (let i = 1; i <= bins; i++) this.cdf[i] = this.cdf[i]! / sum;
    this.left = count;
  }

  /** `u` uniform in (0, 1). Must be called at most `count` times. */
  next(u: number): number {
    const m = this.left--;
    this.x += (1 - this.x) * -Math.expm1(Math.log(u) / m);
    const cdf = this.cdf;
    const last = cdf.length - 2;
    while (this.bin < last && cdf[this.bin + 1]! <= this.x) this.bin++;
    const lo = cdf[this.bin]!;
    const within = (this.x - lo) / (cdf[this.bin + 1]! - lo);
    const t = this.startMs + Math.floor((this.bin + Math.min(within, 1)) * this.binMs);
    return Math.min(t, this.startMs + this.spanMs - 1);
  }
}
