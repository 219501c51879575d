/**
 * For /metrics: how far the durables are behind, how fresh the data is, and what the
 * rollup/reconcile CronJobs last recorded (they cannot be scraped themselves).
 */
import type { JetStreamManager } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import { readJobStatus, readWatermarks, type Sql } from '@anlyt/pg';
import type { Config } from './config.js';
import { errorSummary } from '@anlyt/observability';
import type { ConsumerMetrics } from './metrics.js';

export interface StatusPollDeps {
  cfg: Config;
  sql: Sql;
  jsm: JetStreamManager;
  metrics: ConsumerMetrics;
  log: Logger;
  sources: Record<string, { stream: string; durable: string }>;
  enabled: readonly string[];
}

/** Starts polling every STATUS_POLL_MS; returns the function that stops it. */
export function startStatusPolling(d: StatusPollDeps): () => void {
  // A part that keeps failing is logged when it starts failing and when it recovers, not on
  // every poll: the metric it feeds simply keeps its last value meanwhile.
  const failing = new Set<string>();
  const attempt = async <T>(part: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      const v = await read();
      if (failing.delete(part)) d.log.info({ part }, 'status poll recovered');
      return v;
    } catch (err) {
      if (!failing.has(part)) d.log.warn({ part, err: errorSummary(err) }, 'status poll failed');
      failing.add(part);
      return null;
    }
  };
  const poll = async () => {
    for (const name of d.enabled) {
      const s = d.sources[name]!;
      const info = await attempt(`lag:${name}`, () => d.jsm.consumers.info(s.stream, s.durable));
      if (info) d.metrics.pending.set({ source: name }, info.num_pending);
    }
    const marks = await attempt('watermarks', () => readWatermarks(d.sql));
    for (const [projection, iso] of marks ?? [])
      d.metrics.dataAsOf.set({ source: projection }, Date.parse(iso) / 1000);
    const jobs = await attempt('jobs', () => readJobStatus(d.sql));
    if (jobs) {
      d.metrics.rollupLastSuccess.set(jobs.lastRollupSuccess ?? 0);
      d.metrics.reconciliationDiverged.set(jobs.divergedDays);
      d.metrics.reconciliationMissing.set(jobs.missingDays);
      d.metrics.reconciliationLast.set(jobs.lastReconciliation ?? 0);
    }
  };
  const timer = setInterval(() => void poll(), d.cfg.STATUS_POLL_MS);
  timer.unref();
  void poll();
  return () => clearInterval(timer);
}
