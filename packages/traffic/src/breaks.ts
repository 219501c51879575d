import type { Rng } from './prng.js';
import type { Kind } from './records.js';

// The invalid payloads: mutations of a valid event's JSON object, each breaking exactly one
// rule of the contract (schema, enum, money). Noise adds two more per kind: a body that is
// not JSON, and a wrong currency (billed, CDR) or an HTTP error page (DLR).

export type Mutation = (o: Record<string, unknown>, rng: Rng) => void;

// The order of these lists is part of the generator's output (rng.pick draws an index).
const IDENTITY = ['eventId', 'eventType', 'occurredAt', 'messageId', 'accountId', 'operatorId'];
const ROUTE = ['direction', 'lane', 'destinationPrefix'];
const BILLED_REQUIRED = [...IDENTITY, 'status', 'segments', 'amount', 'currency', ...ROUTE];
const DLR_REQUIRED = [...IDENTITY, 'deliveryStatus', 'latencyMs', 'submittedAt', ...ROUTE];
const CDR_REQUIRED = [
  ...IDENTITY,
  ...ROUTE,
  'senderId',
  'segments',
  'amount',
  'currency',
  'submitStatus',
  'esmeErrorCode',
  'compliance',
];

const BILLED_BREAKS: readonly Mutation[] = [
  (o) => (o['status'] = 'PENDING'),
  (o) => (o['amount'] = '-1'),
  (o) => (o['amount'] = '1.1234567'),
  (o) => (o['amount'] = 0.0125), // a JSON number: binary floating point is refused
  (o, rng) => delete o[rng.pick(BILLED_REQUIRED)],
  (o) => (o['segments'] = 0),
  (o) => (o['eventId'] = 'not-a-uuid'),
  (o) => (o['occurredAt'] = 'yesterday'),
  (o) => (o['direction'] = 'SIDEWAYS'),
];

const DLR_BREAKS: readonly Mutation[] = [
  (o) => (o['deliveryStatus'] = 'SENT'),
  (o) => (o['latencyMs'] = -5),
  (o) => (o['latencyMs'] = '1500'),
  (o, rng) => delete o[rng.pick(DLR_REQUIRED)],
  (o) => (o['accountId'] = 'acc 1!'),
  (o) => (o['eventType'] = 'sms.dlr.v2'),
  (o) => (o['lane'] = 'BULK'),
];

const compliance = (o: Record<string, unknown>) => o['compliance'] as Record<string, unknown>;

const CDR_BREAKS: readonly Mutation[] = [
  (o) => (o['submitStatus'] = 'DELIVERED'),
  (o) => (compliance(o)['verdict'] = 'DENIED'),
  (o) => (compliance(o)['rule'] = 'SPAM'),
  (o) => (compliance(o)['score'] = 0.93), // compliance is a closed object
  (o, rng) => delete compliance(o)[rng.pick(['verdict', 'rule'])], // rule is required, even null
  (o) => (o['segments'] = 0),
  (o, rng) => delete o[rng.pick(CDR_REQUIRED)],
  (o) => (o['amount'] = '0.0125001'),
  (o) => (o['amount'] = 0.0125),
  (o) => (o['esmeErrorCode'] = 69), // SMPP codes travel as strings
  (o) => (o['senderId'] = 'SENDER-ID-TOO-LONG'),
  (o) => (o['eventType'] = 'cdr.generated.v2'),
];

export const BREAKS: Record<Kind, readonly Mutation[]> = {
  billed: BILLED_BREAKS,
  dlr: DLR_BREAKS,
  cdr: CDR_BREAKS,
};
