import { BREAKS } from './breaks.js';
import type { TrafficConfig } from './config.js';
import type { Rng } from './prng.js';
import type {
  CdrRecord,
  DlrRecord,
  EventRecord,
  Kind,
  MessageClass,
  TrafficMessage,
} from './records.js';
import { encodeText, recordJson, toMessage } from './wire.js';

/** How far back duplicates and conflicts reach (in valid messages). */
const MEMORY = 4096;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where Noise gets fresh records and amounts from; both draw from the same rng as Noise. */
export interface NoiseSource {
  /** A fresh, valid record of `kind` that is never emitted as such. */
  scratch(kind: Kind, nowMs: number): EventRecord;
  /** Amount string of `micros`, in one of its valid spellings. */
  amount(micros: number): string;
}

/**
 * Duplicates, conflicts and broken payloads, injected right after valid messages. Only valid
 * messages are remembered, so a duplicate or conflict always follows its original. One
 * instance per random stream: the billed/DLR stream and the CDR stream each have their own,
 * so CDR noise never draws from (or re-sends) the billed/DLR traffic.
 */
export class Noise {
  private readonly ring: EventRecord[] = [];
  private readonly ringMessages: TrafficMessage[] = [];
  private next = 0;
  private readonly wrongCurrency: string;

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly rng: Rng,
    private readonly source: NoiseSource,
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

  /**
   * The same eventId with a different payload, still schema-valid: another amount (billed),
   * delivery status (DLR), or submit status or amount (CDR).
   */
  private conflict(r: EventRecord): TrafficMessage {
    const cls: MessageClass = 'conflict';
    switch (r.kind) {
      case 'billed':
        return toMessage({ ...r, amount: this.otherAmount(r.facts.amountMicros) }, cls);
      case 'dlr': {
        const delivered = r.deliveryStatus === 'DELIVERED';
        const alt: DlrRecord = {
          ...r,
          deliveryStatus: delivered ? 'FAILED' : 'DELIVERED',
          errorCode: delivered ? '0x00000045' : null,
        };
        return toMessage(alt, cls);
      }
      case 'cdr': {
        if (this.rng.chance(0.5))
          return toMessage({ ...r, amount: this.otherAmount(r.facts.amountMicros) }, cls);
        const accepted = r.submitStatus === 'ACCEPTED';
        const alt: CdrRecord = {
          ...r,
          submitStatus: accepted ? 'THROTTLED' : 'ACCEPTED',
          esmeErrorCode: accepted ? '0x00000058' : null,
        };
        return toMessage(alt, cls);
      }
    }
  }

  private otherAmount(micros: number): string {
    return this.source.amount(micros + 1 + this.rng.int(10_000));
  }

  private invalid(kind: Kind, nowMs: number): TrafficMessage {
    const rng = this.rng;
    const record = this.source.scratch(kind, nowMs);
    const breaks = BREAKS[kind];
    // Two extra slots: not JSON at all; a wrong currency (billed, CDR) / an HTTP error (DLR).
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
