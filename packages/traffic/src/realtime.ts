import type { TrafficConfig } from './config.js';
import { diurnalFactor } from './diurnal.js';
import { Pipeline } from './pipeline.js';
import type { Rng } from './prng.js';
import type { TrafficMessage } from './records.js';

export interface RealtimeOptions {
  /** Mean billed messages per second (before the diurnal modulation). */
  ratePerSec: number;
  /** Max DLRs/refunds waiting for their time; beyond it follow-ups are dropped (counted). */
  queueCap: number;
}

/**
 * Traffic "now": billed events with occurredAt within the last tick (with their CDRs when
 * cfg.cdrs), DLRs once their latency has elapsed, refunds minutes to hours later. Pure: the caller passes the clock.
 * cfg.startMs/spanMs/messages are not used.
 */
export class RealtimeTraffic {
  private readonly pipeline: Pipeline;

  constructor(
    cfg: TrafficConfig,
    private readonly opts: RealtimeOptions,
  ) {
    this.pipeline = new Pipeline(cfg, opts.queueCap);
  }

  get queued(): number {
    return this.pipeline.queued;
  }

  get dropped(): number {
    return this.pipeline.dropped;
  }

  /** Appends what is due in the tick (nowMs − dtMs, nowMs] to `out`, in emission order. */
  tick(nowMs: number, dtMs: number, out: TrafficMessage[]): void {
    const rng = this.pipeline.rng;
    const n = poisson(rng, (this.opts.ratePerSec * diurnalFactor(nowMs) * dtMs) / 1000);
    const from = nowMs - dtMs;
    for (let i = 0; i < n; i++) {
      const t = from + Math.floor(((i + 1) * dtMs) / n);
      this.pipeline.release(t, out);
      this.pipeline.bill(t, -Infinity, out);
    }
    this.pipeline.release(nowMs, out);
  }
}

/** Poisson count (Knuth for small means, a normal approximation above 30): bursty like real traffic. */
function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}
