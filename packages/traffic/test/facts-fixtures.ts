// Hand-written DLRs and CDRs for the FactsOracle tests, and the oracle that observed them.
// The expected facts and rollups in the tests are worked out by hand from these payloads
// (contract §6.1), not taken from the oracle's own output.
import { FactsOracle } from '../src/index.js';
import { handMessage } from './helpers.js';

/** A copy of `o` without `key` (a payload with a field left out). */
export function without<T extends object>(o: T, key: keyof T): Partial<T> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

export const MSISDN = '+254712345678';
export const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const ms = (iso: string): number => Date.parse(iso);
export const H9 = ms('2026-11-28T09:00:00.000Z');
export const H10 = ms('2026-11-28T10:00:00.000Z');
export const DAY27 = ms('2026-11-27T00:00:00.000Z');
export const DAY28 = ms('2026-11-28T00:00:00.000Z');

const route = { lane: 'TRANSACTIONAL', direction: 'MT', destinationPrefix: '+2547' } as const;

const dlr = (
  n: number,
  at: string,
  status: string,
  errorCode: string | null,
  latencyMs: number,
) => ({
  eventId: id(n),
  eventType: 'sms.dlr.v1',
  occurredAt: at,
  messageId: `m-${n}`,
  accountId: 'acc_1',
  operatorId: 'mno-a',
  deliveryStatus: status,
  errorCode,
  latencyMs,
  submittedAt: new Date(ms(at) - latencyMs).toISOString(),
  ...route,
  msisdn: MSISDN,
});

const cdr = (
  n: number,
  at: string,
  submitStatus: string,
  esmeErrorCode: string | null,
  compliance: { verdict: string; rule: string | null },
  segments: number,
  amount: string,
) => ({
  eventId: id(n),
  eventType: 'cdr.generated.v1',
  occurredAt: at,
  messageId: `m-${n}`,
  accountId: 'acc_1',
  operatorId: 'mno-a',
  ...route,
  senderId: 'ACMEBANK',
  segments,
  amount,
  currency: 'USD',
  submitStatus,
  esmeErrorCode,
  compliance,
  msisdn: MSISDN,
});

const ok = { verdict: 'ALLOWED', rule: null };
const d1 = dlr(1, '2026-11-28T09:15:05.112Z', 'DELIVERED', null, 2631);
const d2 = dlr(2, '2026-11-28T09:59:59.999Z', 'FAILED', '0x00000045', 0);
const d3 = without(dlr(3, '2026-11-28T09:20:00.000Z', 'DELIVERED', null, 1000), 'errorCode');
const d4 = dlr(4, '2026-11-28T10:00:00.000Z', 'DELIVERED', null, 500);
const d5 = { ...dlr(5, '2026-11-28T09:30:00.000Z', 'DELIVERED', null, 700), accountId: 'acc_2' };
export const c1 = cdr(11, '2026-11-27T23:59:59.999Z', 'ACCEPTED', null, ok, 1, '0.0125');
export const c2 = cdr(12, '2026-11-28T00:00:00.000Z', 'ACCEPTED', null, ok, 2, '0.025000');
export const c3 = cdr(13, '2026-11-28T09:10:00.000Z', 'REJECTED', '0x0000000B', ok, 3, '0.000001');
const c4 = cdr(
  14,
  '2026-11-28T09:40:00.000Z',
  'REJECTED',
  null,
  { verdict: 'BLOCKED', rule: 'DND' },
  1,
  '0',
);
const c5 = cdr(
  15,
  '2026-11-28T09:50:00.000Z',
  'REJECTED',
  null,
  { verdict: 'BLOCKED', rule: 'OPT_OUT' },
  1,
  '0',
);
const c6 = cdr(
  16,
  '2026-11-28T12:00:00.000Z',
  'THROTTLED',
  '0x00000058',
  ok,
  2,
  '12345678901234.999999',
);

/** The oracle after observing the hand-written messages above, in this order. */
export const oracle = new FactsOracle();
for (const m of [
  handMessage('dlr', d1),
  handMessage('cdr', c1),
  handMessage('dlr', d1, 'duplicate'),
  handMessage('dlr', { ...d2, deliveryStatus: 'DELIVERED' }, 'conflict'), // before its original
  handMessage('dlr', d2),
  handMessage('dlr', { ...d1, latencyMs: 9 }), // labelled valid, but d1's eventId won already
  handMessage('dlr', d3),
  handMessage('dlr', { ...d4, eventId: id(99), latencyMs: -1 }, 'invalid'),
  handMessage('dlr', d4),
  handMessage('dlr', d5),
  handMessage('billed', { eventId: id(50), occurredAt: '2026-11-28T09:00:00.000Z' }), // no fact
  handMessage('cdr', c2),
  handMessage('cdr', c2, 'duplicate'),
  handMessage('cdr', c3),
  handMessage('cdr', { ...c3, amount: '5' }, 'conflict'),
  handMessage('cdr', { ...c1, amount: '9' }), // repeated eventId
  handMessage('cdr', c4),
  handMessage('cdr', { ...c5, compliance: { ...c5.compliance, x: 1 }, eventId: id(98) }, 'invalid'),
  handMessage('cdr', c5),
  handMessage('cdr', c6),
])
  oracle.observe(m);
