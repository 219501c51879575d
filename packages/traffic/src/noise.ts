import type { TrafficConfig } from './config.js';
import type { MessageFactory } from './factory.js';
import type { Rng } from './prng.js';
import {
  type DlrRecord,
  type EventRecord,
  type Kind,
  type TrafficMessage,
  encodeText,
  recordJson,
  toMessage,
} from './records.js';

/** How far back duplicates and conflicts reach (in valid messages). */
const MEMORY = 4096;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BILLED_REQUIRED = [
  'eventId',
  'eventType',
  'occurredAt',
  'messageId',
  'accountId',
  'operatorId',
  'status',
  'segments',
  'amount',
  'currency',
  'direction',
  'lane',
  'destinationPrefix',
];
const DLR_REQUIRED = [
  'eventId',
  'eventType',
  'occurredAt',
  'messageId',
  'accountId',
  'operatorId',
  'deliveryStatus',
  'latencyMs',
  'submittedAt',
  'direction',
  'lane',
  'destinationPrefix',
];

type Mutation = (o: Record<string, unknown>, rng: Rng) => void;

/** Each breaks exactly one rule of the contract (schema, enum, money, currency). */
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

/**
 * Duplicates, conflicts and broken payloads, injected right after valid messages. Only valid
 * messages are remembered, so a duplicate or conflict always follows its original.
 */
export class Noise {
  private readonly ring: EventRecord[] = [];
  private readonly ringMessages: TrafficMessage[] = [];
  private next = 0;
  private readonly wrongCurrency: string;

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly rng: Rng,
    private readonly factory: MessageFactory,
  ) {
    this.wrongCurrency = cfg.currency === 'EUR' ? 'GBP' : 'EUR';
  }

  /** Call after emitting a valid message; appends the noise to emit after it to `out`. */
  afterValid(
    record: EventRecord,
    message: TrafficMessage,
    nowMs: number,
    out: TrafficMessage[],
  ): void {
    if (this.ring.length < MEMORY) {
      this.ring.push(record);
      this.ringMessages.push(message);
    } else {
      this.ring[this.next] = record;
      this.ringMessages[this.next] = message;
      this.next = (this.next + 1) % MEMORY;
    }
    const rng = this.rng;
    if (rng.chance(this.cfg.duplicateRate)) {
      const original = this.ringMessages[rng.int(this.ringMessages.length)]!;
      // Same bytes, same eventId: a redelivery or a publisher retry.
      out.push({ ...original, class: 'duplicate' });
    }
    if (rng.chance(this.cfg.conflictRate))
      out.push(this.conflict(this.ring[rng.int(this.ring.length)]!));
    if (rng.chance(this.cfg.invalidRate)) out.push(this.invalid(record.kind, nowMs));
  }

  /** The same eventId with a different amount (billed) or delivery status (DLR), still schema-valid. */
  private conflict(r: EventRecord): TrafficMessage {
    if (r.kind === 'billed') {
      const amount = this.factory.amount(r.facts.amountMicros + 1 + this.rng.int(10_000));
      return toMessage({ ...r, amount }, 'conflict');
    }
    const delivered = r.deliveryStatus === 'DELIVERED';
    const alt: DlrRecord = {
      ...r,
      deliveryStatus: delivered ? 'FAILED' : 'DELIVERED',
      errorCode: delivered ? '0x00000045' : null,
    };
    return toMessage(alt, 'conflict');
  }

  private invalid(kind: Kind, nowMs: number): TrafficMessage {
    const rng = this.rng;
    const base = this.factory.scratch(nowMs);
    const record: EventRecord =
      kind === 'billed'
        ? base
        : {
            kind: 'dlr',
            eventId: base.eventId,
            occurredAtMs: nowMs,
            submittedAtMs: nowMs - 1500,
            deliveryStatus: 'DELIVERED',
            errorCode: null,
            latencyMs: 1500,
            facts: base.facts,
          };
    const breaks = kind === 'billed' ? BILLED_BREAKS : DLR_BREAKS;
    // Two extra slots: not JSON at all; a wrong currency for billed / a truncated body for DLRs.
    const which = rng.int(breaks.length + 2);
    const json = recordJson(record);
    if (which === breaks.length)
      return encodeText(kind, json.slice(0, 1 + rng.int(json.length - 1)), null, 'invalid');
    const o = JSON.parse(json) as Record<string, unknown>;
    if (which === breaks.length + 1) {
      if (kind === 'dlr') return encodeText(kind, 'HTTP/1.1 502 Bad Gateway', null, 'invalid');
      o['currency'] = this.wrongCurrency;
    } else {
      breaks[which]!(o, rng);
    }
    const id = o['eventId'];
    return encodeText(
      kind,
      JSON.stringify(o),
      typeof id === 'string' && UUID_RE.test(id) ? id : null,
      'invalid',
    );
  }
}
