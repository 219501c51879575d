// Which failures of the analytics store mean "not now" (503, retry) rather than a bug (500).
import { ClickHouseError } from '@anlyt/clickhouse';

/** ClickHouse codes of an overloaded or slow server: TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES, MEMORY_LIMIT_EXCEEDED, SOCKET_TIMEOUT, NETWORK_ERROR, READONLY, ALL_CONNECTION_TRIES_FAILED. */
const BUSY = new Set(['159', '202', '241', '209', '210', '164', '279']);
/** Node's codes for a server that is not there or stopped answering. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

export function isUnavailable(err: unknown): boolean {
  if (err instanceof ClickHouseError) return BUSY.has(String(err.code));
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK.has(code)) return true;
  // The client's own request timeout.
  return /timeout/i.test(err.message);
}
