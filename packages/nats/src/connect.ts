import { connect, type NatsConnection } from '@nats-io/transport-node';

export type { NatsConnection };

/** Connects with reconnects forever: a consumer outlives NATS restarts. */
export async function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
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
