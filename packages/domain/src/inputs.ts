// The slices of the contract events that the domain folds: only these fields matter to the
// aggregates, so callers (and tests) can pass anything that has them. Everything here is
// already validated upstream by @anlyt/events (schema, enums, money format, id patterns).
import type { BilledEvent as Billed, DlrEvent as Dlr } from '@anlyt/events';

export type { DeliveryStatus } from '@anlyt/events';

export type BilledEvent = Pick<
  Billed,
  'eventId' | 'occurredAtMs' | 'accountId' | 'operatorId' | 'status' | 'segments' | 'amount'
>;

export type DlrEvent = Pick<
  Dlr,
  | 'eventId'
  | 'occurredAtMs'
  | 'accountId'
  | 'operatorId'
  | 'deliveryStatus'
  | 'errorCode'
  | 'latencyMs'
>;

/** +1 folds events in; −1 takes previously applied events back out (a displaced conflict). */
export type Sign = 1 | -1;
