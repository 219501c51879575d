import { randomUUID } from 'node:crypto';

/**
 * Valid contract payloads with overridable fields, as the upstream services would publish
 * them (msisdn included: it is the service's job to drop it).
 */
export function billedEvent(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    eventType: 'sms.billed.v1',
    occurredAt: '2026-11-28T09:15:02.481Z',
    messageId: `msg_${randomUUID().slice(0, 8)}`,
    accountId: 'acc_4821',
    operatorId: 'mno-ke-01',
    status: 'BILLED',
    segments: 1,
    amount: '0.012500',
    currency: 'USD',
    direction: 'MT',
    lane: 'TRANSACTIONAL',
    destinationPrefix: '+2547',
    msisdn: '+254712345678',
    ...o,
  };
}

export function dlrEvent(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    eventType: 'sms.dlr.v1',
    occurredAt: '2026-11-28T09:15:05.112Z',
    messageId: `msg_${randomUUID().slice(0, 8)}`,
    accountId: 'acc_4821',
    operatorId: 'mno-ke-01',
    deliveryStatus: 'DELIVERED',
    errorCode: null,
    latencyMs: 2631,
    submittedAt: '2026-11-28T09:15:02.481Z',
    direction: 'MT',
    lane: 'TRANSACTIONAL',
    destinationPrefix: '+2547',
    msisdn: '+254712345678',
    ...o,
  };
}

export const encode = (v: unknown): Uint8Array =>
  new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
