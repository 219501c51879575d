import type { TrafficConfig } from './config.js';
import { type Rng, sampleCdf, toCdf } from './prng.js';
import {
  type BilledRecord,
  type DeliveryStatus,
  type DlrRecord,
  type MessageFacts,
  formatAmount,
} from './records.js';
import { LANES, type OperatorProfile, type World, pickErrorCode, pickFailure } from './world.js';

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

const SEGMENT_CDF = toCdf([0.75, 0.17, 0.06, 0.02]);
const LANE_MULTIPLIER = { TRANSACTIONAL: 1, PROMOTIONAL: 0.8, OTP: 1.25 } as const;
const HOUR = 3_600_000;

/** Draws one billed message and decides its future (DLR, refund) at birth. */
export class MessageFactory {
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

  /** A fresh, valid billed record that is never emitted as such (raw material for invalid payloads). */
  scratch(occurredAtMs: number): BilledRecord {
    return this.billedRecord(this.facts(this.world.pickOperator(this.rng)), occurredAtMs, 'BILLED');
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
    const rng = this.rng;
    const acc = this.world.pickAccount(rng);
    const lane = LANES[rng.chance(0.8) ? this.world.accountLane[acc]! : rng.int(3)]!;
    const direction = rng.chance(0.95) ? 'MT' : 'MO';
    const segments = lane === 'OTP' ? 1 : sampleCdf(SEGMENT_CDF, rng.float()) + 1;
    return {
      messageId: `msg_${this.tag}${(this.seq++).toString(36)}`,
      accountId: this.world.accountIds[acc]!,
      operatorId: op.id,
      direction,
      lane,
      destinationPrefix: op.prefix,
      msisdn: op.prefix + rng.digits(op.subscriberDigits),
      segments,
      amountMicros: price(op, lane, direction === 'MO', segments, rng),
    };
  }
}

/** Mostly tariff × segments, with rare edge amounts the service must add exactly. */
function price(
  op: OperatorProfile,
  lane: MessageFacts['lane'],
  mo: boolean,
  segments: number,
  rng: Rng,
): number {
  const r = rng.float();
  if (r < 0.003) return 0; // free (zero-rated) message
  if (r < 0.005) return segments; // 1 micro-unit per segment: "0.000001"
  if (r < 0.007) return 1_000_000 + rng.int(2_000_000); // premium-rate content
  return Math.round(op.priceMicros * segments * LANE_MULTIPLIER[lane] * (mo ? 0.25 : 1));
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
