import { type Rng, sampleCdf, toCdf } from './prng.js';
import type { MessageFacts } from './records.js';
import { LANES, type OperatorProfile, type World } from './world.js';

// Drawing what a message is about. Shared by the billed messages (the main stream) and the
// messages only CDRs know of (BLOCKED ones, on the CDR stream): the rng is a parameter so
// that each draws from its own stream.

const SEGMENT_CDF = toCdf([0.75, 0.17, 0.06, 0.02]);
const LANE_MULTIPLIER = { TRANSACTIONAL: 1, PROMOTIONAL: 0.8, OTP: 1.25 } as const;

/** Account, lane, direction, segments, msisdn and price of one message to `op`. */
export function drawFacts(
  world: World,
  op: OperatorProfile,
  rng: Rng,
  messageId: string,
): MessageFacts {
  const acc = world.pickAccount(rng);
  const lane = LANES[rng.chance(0.8) ? world.accountLane[acc]! : rng.int(3)]!;
  const direction = rng.chance(0.95) ? 'MT' : 'MO';
  const segments = lane === 'OTP' ? 1 : sampleCdf(SEGMENT_CDF, rng.float()) + 1;
  return {
    messageId,
    accountId: world.accountIds[acc]!,
    operatorId: op.id,
    direction,
    lane,
    destinationPrefix: op.prefix,
    msisdn: op.prefix + rng.digits(op.subscriberDigits),
    segments,
    amountMicros: price(op, lane, direction === 'MO', segments, rng),
  };
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
