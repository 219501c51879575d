/** What the batch loops report, as log lines (an SRE's 3 a.m. trail) and metrics. */
import { errorSummary, type Logger } from '@anlyt/observability';
import type { LoopEvent } from './batch-loop.js';

/** The counters a loop's events feed (prom-client Counters with a `source` label fit). */
export interface LoopMetrics {
  batchRetries: { inc(labels: { source: string }): void };
  resubscribes: { inc(labels: { source: string }): void };
}

export function loopEventLogger(source: string, log: Logger, metrics: LoopMetrics) {
  return (e: LoopEvent): void => {
    switch (e.type) {
      case 'batch-failed':
        metrics.batchRetries.inc({ source });
        // The first failure and then every 10th: an outage must not flood the log.
        if (e.attempt === 1 || e.attempt % 10 === 0)
          log.warn(
            { err: errorSummary(e.err), size: e.size, attempt: e.attempt },
            'batch held for retry (not ready until it succeeds)',
          );
        return;
      case 'batch-recovered':
        log.info({ size: e.size, attempts: e.attempts }, 'batch applied after retries');
        return;
      case 'consume-ended':
        metrics.resubscribes.inc({ source });
        log.error(
          { err: e.err === null ? null : errorSummary(e.err) },
          'consume loop lost its subscription',
        );
        return;
      case 'resubscribe-failed':
        if (e.attempt === 1 || e.attempt % 10 === 0)
          log.warn({ err: errorSummary(e.err), attempt: e.attempt }, 'resubscribe failed');
        return;
      case 'resubscribed':
        log.info('consume loop subscribed again');
        return;
      case 'status':
        log.warn({ status: e.status }, 'consumer status');
        return;
    }
  };
}
