/**
 * billing.daily_totals as billing-service would keep them (contract §5), for local runs: the
 * simulator bills, so it is the one that knows billing's side. Per UTC day of occurredAt:
 * billed − refunded (cost and count) over the VALID, first-seen billed events it emitted,
 * counted by the independent TrafficOracle. Duplicates, conflicts and invalid payloads are
 * not billing's totals. Counted at emission, not at ack: billing bills whether or not its
 * publish reaches the stream, so a lost publish shows as a real divergence.
 */
import { formatMicros } from './money.js';
import { TrafficOracle } from './oracle.js';
import type { TrafficMessage } from './records.js';

export interface BillingDayRow {
  /** YYYY-MM-DD, UTC. */
  day: string;
  currency: string;
  totalCost: string;
  messageCount: string;
}

export class SimulatedBillingTotals {
  // Latencies are not needed, and keeping them would grow without bound in a long run.
  private readonly oracle = new TrafficOracle({ keepLatencies: false });

  /** What this process has already added to billing.daily_totals, per day (micros, count). */
  private readonly written = new Map<number, { costMicros: bigint; messages: number }>();

  constructor(private readonly currency: string) {}

  observe(m: TrafficMessage): void {
    if (m.kind === 'billed') this.oracle.observe(m);
  }

  /**
   * What was billed since the last successful write, per day (only days that changed). Call
   * `markWritten` with the same rows once they are committed; a failed write is retried in
   * full by the next call.
   */
  pendingDeltas(): (BillingDayRow & { dayMs: number; costMicros: bigint; messages: number })[] {
    const out = [];
    for (const [dayMs, d] of [...this.oracle.daily()].sort(([a], [b]) => a - b)) {
      const w = this.written.get(dayMs) ?? { costMicros: 0n, messages: 0 };
      const costMicros = d.costMicros - w.costMicros;
      const messages = d.messages - w.messages;
      if (costMicros === 0n && messages === 0) continue;
      out.push({
        dayMs,
        costMicros,
        messages,
        day: new Date(dayMs).toISOString().slice(0, 10),
        currency: this.currency,
        totalCost: formatMicros(costMicros),
        messageCount: String(messages),
      });
    }
    return out;
  }

  markWritten(deltas: readonly { dayMs: number; costMicros: bigint; messages: number }[]): void {
    for (const d of deltas) {
      const w = this.written.get(d.dayMs) ?? { costMicros: 0n, messages: 0 };
      this.written.set(d.dayMs, {
        costMicros: w.costMicros + d.costMicros,
        messages: w.messages + d.messages,
      });
    }
  }

  /** Every day seen so far, in day order. */
  rows(): BillingDayRow[] {
    return [...this.oracle.daily()]
      .sort(([a], [b]) => a - b)
      .map(([dayMs, d]) => ({
        day: new Date(dayMs).toISOString().slice(0, 10),
        currency: this.currency,
        totalCost: formatMicros(d.costMicros),
        messageCount: String(d.messages),
      }));
  }
}
