import type { TrafficConfig } from './config.js';
import { drawFacts } from './message-draw.js';
import type { NoiseSource } from './noise.js';
import type { Rng } from './prng.js';
import type {
  BilledRecord,
  DeliveryStatus,
  DlrRecord,
  EventRecord,
  Kind,
  MessageFacts,
} from './records.js';
import { formatAmount } from './wire.js';
import { type OperatorProfile, type World, pickErrorCode, pickFailure } from './world.js';

/** A follow-up event (DLR or refund) and the emission time it is due at. */
export interface FollowUp<R> {
  emitAt: number;
  record: R;
}

export interface CreatedMessage {
  billed: BilledRecord;
  dlr: FollowUp<DlrRecord> | null;
  refund: FollowUp<BilledRecord> | null;
}

const HOUR = 3_600_000;

/** Draws one billed message and decides its future (DLR, refund) at birth. */
export class MessageFactory implements NoiseSource {
  private seq = 0;
  private readonly tag: string;

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly rng: Rng,
    private readonly world: World,
  ) {
    this.tag = rng.tag();
  }

  /**
   * `nominalMs` is where the message sits in emission order; `occurredAtMs` is the event time
   * written into it (earlier for late messages). Follow-ups keep both clocks apart so that a
   * late message's DLR is also late.
   */
  create(nominalMs: number, occurredAtMs: number): CreatedMessage {
    const rng = this.rng;
    const op = this.world.pickOperator(rng);
    const facts = this.facts(op);
    const billed = this.billedRecord(facts, occurredAtMs, 'BILLED');
    let dlr: FollowUp<DlrRecord> | null = null;
    if (rng.chance(this.cfg.dlrRate)) {
      const status: DeliveryStatus = rng.chance(op.deliveredRate)
        ? 'DELIVERED'
        : pickFailure(op, rng);
      const latencyMs = drawLatency(op, status, rng);
      dlr = {
        emitAt: nominalMs + latencyMs,
        record: {
          kind: 'dlr',
          eventId: rng.uuid(),
          occurredAtMs: occurredAtMs + latencyMs,
          submittedAtMs: occurredAtMs,
          deliveryStatus: status,
          errorCode: status === 'DELIVERED' ? null : pickErrorCode(status, rng),
          latencyMs,
          facts,
        },
      };
    }
    let refund: FollowUp<BilledRecord> | null = null;
    if (rng.chance(this.cfg.refundRate)) {
      let delay = 30_000 + Math.round(600_000 * Math.exp(rng.normal()));
      delay = Math.min(delay, 12 * HOUR);
      // A refund for an undelivered message follows its failure report.
      if (dlr !== null && dlr.record.deliveryStatus !== 'DELIVERED')
        delay = Math.max(delay, dlr.record.latencyMs + 1000);
      refund = {
        emitAt: nominalMs + delay,
        record: this.billedRecord(facts, occurredAtMs + delay, 'REFUNDED'),
      };
    }
    return { billed, dlr, refund };
  }

  /**
   * A fresh, valid billed record or DLR that is never emitted as such (raw material for
   * invalid payloads). A DLR borrows a scratch billed record's eventId and facts.
   */
  scratch(kind: Kind, nowMs: number): EventRecord {
    if (kind === 'cdr') throw new Error('CDRs are drawn by the CdrFactory, on their own stream');
    const base = this.billedRecord(this.facts(this.world.pickOperator(this.rng)), nowMs, 'BILLED');
    if (kind !== 'dlr') return base;
    return {
      kind: 'dlr',
      eventId: base.eventId,
      occurredAtMs: nowMs,
      submittedAtMs: nowMs - 1500,
      deliveryStatus: 'DELIVERED',
      errorCode: null,
      latencyMs: 1500,
      facts: base.facts,
    };
  }

  /** Amount string of `micros`, sometimes padded to 6 decimals, sometimes trimmed. */
  amount(micros: number): string {
    return formatAmount(micros, this.rng.chance(0.5));
  }

  private billedRecord(
    facts: MessageFacts,
    occurredAtMs: number,
    status: BilledRecord['status'],
  ): BilledRecord {
    return {
      kind: 'billed',
      eventId: this.rng.uuid(),
      occurredAtMs,
      status,
      amount: this.amount(facts.amountMicros),
      currency: this.cfg.currency,
      facts,
    };
  }

  private facts(op: OperatorProfile): MessageFacts {
    return drawFacts(this.world, op, this.rng, `msg_${this.tag}${(this.seq++).toString(36)}`);
  }
}

/**
 * 150 ms of network floor plus a log-normal around the operator's median, capped at 15 min
 * (a shifted rather than clamped floor: no artificial spike at the minimum); some 0 ms.
 */
function drawLatency(op: OperatorProfile, status: DeliveryStatus, rng: Rng): number {
  if (status === 'EXPIRED') return 600_000 + rng.int(3_000_000); // validity ran out: 10–60 min
  if (rng.chance(status === 'REJECTED' ? 0.5 : op.zeroLatencyRate)) return 0;
  return Math.min(150 + Math.round(op.medianMs * Math.exp(op.sigma * rng.normal())), 900_000);
}
