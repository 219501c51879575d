/**
 * What a failed batch transaction means for the messages in it, from the SQLSTATE.
 * - transient: the same batch will likely succeed later (connection lost, deadlock,
 *   serialization failure, server shutting down or out of resources);
 * - data: something in the batch itself is unacceptable (class 22 data exception, class 23
 *   integrity violation) → retrying the same batch is pointless; isolate the culprit;
 * - unknown: anything else (a permission, a missing table after a bad deploy…). The consumer
 *   retries transient and unknown failures in place until they pass (batch-handler.ts).
 */
export type DbFailure = 'transient' | 'data' | 'unknown';

const TRANSIENT_CLASSES = ['08', '53', '57', '58'];
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

export function classifyDbError(err: unknown): DbFailure {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return 'unknown';
  if (NETWORK_CODES.has(code) || TRANSIENT_CODES.has(code)) return 'transient';
  const cls = code.slice(0, 2);
  if (TRANSIENT_CLASSES.includes(cls)) return 'transient';
  if (cls === '22' || cls === '23') return 'data';
  return 'unknown';
}
