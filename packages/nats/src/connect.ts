import { connect, type NatsConnection } from '@nats-io/transport-node';
import pRetry from 'p-retry';

export type { NatsConnection };

export interface ConnectOptions {
  /** Gives up waiting for the first connection (shutdown during startup). */
  signal?: AbortSignal;
  /** Each failed attempt at the first connection (attempt 1, 2, …). */
  onFailedAttempt?: (err: unknown, attempt: number) => void;
}

/**
 * Connects with reconnects forever: a consumer outlives NATS restarts. The FIRST connection
 * is retried too, with backoff (0.5 s up to 10 s): an orchestrator starts services in any
 * order, and NATS being late is not a reason to crash-loop.
 */
export async function connectNats(
  servers: string,
  name: string,
  opts: ConnectOptions = {},
): Promise<NatsConnection> {
  return pRetry(
    () => connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 }),
    {
      retries: Infinity,
      minTimeout: 500,
      maxTimeout: 10_000,
      randomize: true,
      signal: opts.signal,
      onFailedAttempt: ({ error, attemptNumber }) => opts.onFailedAttempt?.(error, attemptNumber),
    },
  );
}

/**
 * Whether the connection is up right now. `isClosed()` stays false while the client is
 * reconnecting (forever, see connectNats), so readiness follows the status events instead.
 */
export function connectionState(nc: NatsConnection): () => boolean {
  let up = !nc.isClosed();
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') up = true;
      else if (s.type === 'close') up = false;
    }
  })();
  return () => up && !nc.isClosed();
}
