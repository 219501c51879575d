// avgCostPerMessage (contract §3) = totalCost / messagesSent as an exact decimal string.
//
// Both inputs are integers — money in micro-units, messages as a count — so the quotient in
// micros is one bigint division with an explicit rounding rule; no float ever holds money.

import { formatMicros } from './money.js';

/**
 * totalMicros / messages, rounded to the micro (6 decimals), half-up: a tie (exactly half a
 * micro) rounds away from zero, as Postgres' round(numeric) does. "1.000000" over 3 →
 * "0.333333"; "0.500001" over 2 (0.2500005) → "0.250001".
 *
 * - messages = 0: `null` (contract §3: no average without messages).
 * - messages < 0 (more REFUNDED than BILLED in the window: a refund is bucketed by its own
 *   event time, so it can land in a later window than the message it refunds): also `null`.
 *   A cost "per message" over a negative number of messages has no meaning, and a sign flip
 *   would present a refund-heavy window as a plausible-looking positive average.
 * - totalMicros < 0 with messages > 0 (possible for the same reason): the signed quotient,
 *   rounded symmetrically (half away from zero), e.g. "-0.250001"; it is what the division
 *   says and it shows that refunds dominate.
 */
export function averageCostPerMessage(totalMicros: bigint, messages: bigint): string | null {
  if (messages <= 0n) return null;
  const neg = totalMicros < 0n;
  const abs = neg ? -totalMicros : totalMicros;
  // floor((2·abs + m) / 2m) = round-half-up of abs / m for abs ≥ 0, m > 0.
  const q = (2n * abs + messages) / (2n * messages);
  return formatMicros(neg ? -q : q);
}
