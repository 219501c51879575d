/** What the batch loops report, as log lines (an SRE's 3 a.m. trail) and metrics. */
import type { LoopEvent } from '@anlyt/nats';
import type { Logger } from '@anlyt/observability';
import { errorSummary } from '../error-summary.js';
import type { ConsumerMetrics } from '../metrics.js';

export function loopEventLogger(source: string, log: Logger, metrics: ConsumerMetrics) {
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
