import type { TrafficConfig } from './config.js';
import type { CreatedMessage } from './factory.js';
import { drawFacts } from './message-draw.js';
import type { NoiseSource } from './noise.js';
import { type Rng, sampleCdf, toCdf } from './prng.js';
import {
  COMPLIANCE_RULES,
  type CdrRecord,
  type ComplianceRule,
  type EventRecord,
  type Kind,
  type MessageFacts,
  type SubmitStatus,
} from './records.js';
import { formatAmount } from './wire.js';
import type { World } from './world.js';

// SMPP 3.4 command_status values an SMSC answers a refused submit_sm with: submit failed,
// invalid destination, invalid source address, system error; throttled, queue full.
const REJECT_CODES = ['0x00000045', '0x0000000B', '0x0000000A', '0x00000008'];
const THROTTLE_CODES = ['0x00000058', '0x00000014'];

const BRANDS = ['ACME', 'KOPA', 'ZURI', 'JAMBO', 'NOVA', 'SAFI', 'TUMA', 'LIPA', 'DUKA', 'AFYA'];
const SUFFIXES = ['BANK', 'PAY', 'SHOP', 'CARE', 'MART', 'INFO', 'TAXI', 'AIR', 'GO', ''];

// Why a message was BLOCKED, in COMPLIANCE_RULES order. Quiet hours only bind promotional
// traffic; transactional and OTP traffic is mostly stopped for its sender or content.
const PROMOTIONAL_RULES = toCdf([0.35, 0.3, 0.05, 0.1, 0.2]);
const OTHER_RULES = toCdf([0.15, 0.15, 0.35, 0.35, 0]);

/** How an operator's SMSC treats submits of messages that then do not get delivered. */
interface SubmitProfile {
  /** Share of them it refuses outright (REJECTED) … */
  rejectShare: number;
  /** … or pushes back on (THROTTLED). */
  throttleShare: number;
}

/**
 * The SMSC gateway's side of the traffic: one CDR per billed message, consistent with its
 * billed event and DLR, and CDRs of messages the compliance filter BLOCKED. Draws only from
 * its own rng (a separate stream of the seed), never from the billed/DLR one.
 */
export class CdrFactory implements NoiseSource {
  private readonly senderIds = new Map<string, string>();
  private readonly profiles = new Map<string, SubmitProfile>();
  private readonly tag: string;
  private seq = 0;

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly rng: Rng,
    private readonly world: World,
  ) {
    this.tag = rng.tag();
    for (const id of world.accountIds) this.senderIds.set(id, senderId(rng));
    const n = world.operators.length;
    world.operators.forEach((op, i) => {
      // Worse operators (see World) also refuse more submits.
      const quality = n === 1 ? 0 : i / (n - 1);
      this.profiles.set(op.id, {
        rejectShare: 0.1 + 0.2 * quality,
        throttleShare: 0.05 + 0.25 * rng.float(),
      });
    });
  }

  /**
   * The CDR of a billed message: its facts, amount and submit time (the billed occurredAt,
   * which is also its DLR's submittedAt). A DELIVERED message was accepted; a REJECTED DLR
   * with 0 ms latency is the SMSC refusing the submit, so its CDR says so with the same
   * code; other undelivered messages were sometimes refused or throttled at submit.
   */
  forBilled(created: CreatedMessage): CdrRecord {
    const rng = this.rng;
    const { billed } = created;
    const dlr = created.dlr?.record ?? null;
    let submitStatus: SubmitStatus = 'ACCEPTED';
    let esmeErrorCode: string | null = null;
    if (dlr?.deliveryStatus === 'REJECTED' && dlr.latencyMs === 0) {
      submitStatus = 'REJECTED';
      esmeErrorCode = dlr.errorCode;
    } else if (dlr?.deliveryStatus !== 'DELIVERED') {
      const p = this.profiles.get(billed.facts.operatorId)!;
      const u = rng.float();
      if (u < p.rejectShare) {
        submitStatus = 'REJECTED';
        esmeErrorCode = rng.pick(REJECT_CODES);
      } else if (u < p.rejectShare + p.throttleShare) {
        submitStatus = 'THROTTLED';
        esmeErrorCode = rng.pick(THROTTLE_CODES);
      }
    }
    const submit = { status: submitStatus, code: esmeErrorCode };
    return this.record(billed.facts, billed.occurredAtMs, billed.amount, submit, null);
  }

  /**
   * With probability blockedRate, the CDR of a message the compliance filter stopped at
   * `nowMs`: never sent (so REJECTED without an SMPP code), never billed (amount zero), no DLR.
   */
  maybeBlocked(nowMs: number): CdrRecord | null {
    const rng = this.rng;
    if (!rng.chance(this.cfg.blockedRate)) return null;
    const facts = this.facts();
    const rules = facts.lane === 'PROMOTIONAL' ? PROMOTIONAL_RULES : OTHER_RULES;
    const rule = COMPLIANCE_RULES[sampleCdf(rules, rng.float())]!;
    const submit = { status: 'REJECTED', code: null } as const;
    return this.record({ ...facts, amountMicros: 0 }, nowMs, this.amount(0), submit, rule);
  }

  /** A fresh accepted CDR of a message that is never billed (raw material for invalid ones). */
  scratch(_kind: Kind, nowMs: number): EventRecord {
    const facts = this.facts();
    const submit = { status: 'ACCEPTED', code: null } as const;
    return this.record(facts, nowMs, this.amount(facts.amountMicros), submit, null);
  }

  amount(micros: number): string {
    return formatAmount(micros, this.rng.chance(0.5));
  }

  /** Facts of a message only CDRs know of; its messageId cannot clash with a billed one's. */
  private facts(): MessageFacts {
    const op = this.world.pickOperator(this.rng);
    return drawFacts(this.world, op, this.rng, `msg_${this.tag}_${(this.seq++).toString(36)}`);
  }

  private record(
    facts: MessageFacts,
    occurredAtMs: number,
    amount: string,
    submit: { status: SubmitStatus; code: string | null },
    /** The rule that BLOCKED the message; null: ALLOWED. */
    rule: ComplianceRule | null,
  ): CdrRecord {
    return {
      kind: 'cdr',
      eventId: this.rng.uuid(),
      occurredAtMs,
      senderId: this.senderIds.get(facts.accountId)!,
      amount,
      currency: this.cfg.currency,
      submitStatus: submit.status,
      esmeErrorCode: submit.code,
      verdict: rule === null ? 'ALLOWED' : 'BLOCKED',
      rule,
      facts,
    };
  }
}

/** An account's sender: mostly an alphanumeric brand (≤ 11 characters), else a short code. */
function senderId(rng: Rng): string {
  if (rng.chance(0.2)) return `2${rng.digits(4)}`;
  return rng.pick(BRANDS) + rng.pick(SUFFIXES);
}
