/**
 * Waiting for a dependency at start (the broker, a stream, a database schema): retried with
 * capped, jittered backoff until it works or the service stops, logged once when the wait
 * starts and then every 10th attempt — a wait must not flood the log.
 */
import { errorSummary, type Logger } from '@anlyt/observability';
import pRetry from 'p-retry';

export interface WaitOptions {
  signal: AbortSignal;
  minMs: number;
  maxMs: number;
  log: Logger;
}

export function waitingLog(log: Logger, message: string, extra: Record<string, unknown> = {}) {
  return (err: unknown, attempt: number) => {
    if (attempt === 1 || attempt % 10 === 0)
      log.warn({ ...extra, attempt, err: errorSummary(err) }, message);
  };
}

export function retryUntilReady<T>(o: WaitOptions, message: string, step: () => Promise<T>) {
  return pRetry(step, {
    retries: Infinity,
    minTimeout: o.minMs,
    maxTimeout: o.maxMs,
    randomize: true,
    signal: o.signal,
    onFailedAttempt: ({ error, attemptNumber }) => waitingLog(o.log, message)(error, attemptNumber),
  });
}
