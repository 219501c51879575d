/**
 * One tick of the publisher: the window of the minute, skipped when the DLR cube lags (no
 * stale numbers passed off as fresh), otherwise one event per (mno, direction) with traffic.
 * A failure (ClickHouse or NATS away) rejects: the loop counts it and the next tick publishes
 * its own window; a missed window is never published late (routing wants now, not then).
 */
import { qualityEvent, qualityWindow, type QualityWindow } from '../signal.js';
import type { QualityBus, QualityStore } from './ports.js';

export interface PublishQualitySettings {
  minSample: number;
  maxLagMs: number;
  now?: () => number;
}

export type TickOutcome =
  | { outcome: 'published'; window: QualityWindow; published: number; duplicates: number }
  | { outcome: 'stale'; window: QualityWindow; dlrAsOfMs: number | null };

export class PublishQualityUseCase {
  constructor(
    private readonly store: QualityStore,
    private readonly bus: QualityBus,
    private readonly s: PublishQualitySettings,
  ) {}

  /** Publishes the window of the minute `firedAtMs` falls in. */
  async run(firedAtMs: number): Promise<TickOutcome> {
    const window = qualityWindow(firedAtMs);
    const { dlrAsOfMs, cdrAsOfMs } = await this.store.freshness();
    const fresh = (asOf: number | null): asOf is number =>
      asOf !== null && asOf >= window.endMs - this.s.maxLagMs;
    if (!fresh(dlrAsOfMs)) return { outcome: 'stale', window, dlrAsOfMs };
    const found = await this.store.read(window);
    const opts = {
      minSample: this.s.minSample,
      cdrsFresh: fresh(cdrAsOfMs),
      nowMs: (this.s.now ?? Date.now)(),
      dataAsOfMs: dlrAsOfMs,
    };
    let published = 0;
    for (const row of found)
      if (await this.bus.publish(qualityEvent(row, window, opts))) published++;
    return { outcome: 'published', window, published, duplicates: found.length - published };
  }
}
