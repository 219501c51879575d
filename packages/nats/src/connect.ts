import { connect, type NatsConnection } from '@nats-io/transport-node';

export type { NatsConnection };

/** Connects with reconnects forever: a consumer outlives NATS restarts. */
export async function connectNats(servers: string, name: string): Promise<NatsConnection> {
  return connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
}
