import type { TrafficConfig } from './config.js';
import { type Rng, sampleCdf, toCdf } from './prng.js';
import type { DeliveryStatus, Lane } from './records.js';

/** Markets the operators live in: id code, routing prefix, subscriber digits, price per segment. */
const MARKETS = [
  { cc: 'ke', prefix: '+2547', digits: 8, priceMicros: 8000 },
  { cc: 'ng', prefix: '+2348', digits: 9, priceMicros: 12_500 },
  { cc: 'za', prefix: '+2782', digits: 7, priceMicros: 15_000 },
  { cc: 'gh', prefix: '+23324', digits: 7, priceMicros: 9500 },
  { cc: 'tz', prefix: '+2557', digits: 8, priceMicros: 7000 },
  { cc: 'ug', prefix: '+2567', digits: 8, priceMicros: 6500 },
  { cc: 'in', prefix: '+9198', digits: 8, priceMicros: 2200 },
  { cc: 'br', prefix: '+55119', digits: 8, priceMicros: 11_000 },
] as const;

/** Latency shapes cycled over operators: median of the log-normal and its sigma. */
const LATENCY_SHAPES = [
  { medianMs: 900, sigma: 0.6 },
  { medianMs: 1500, sigma: 0.8 },
  { medianMs: 2500, sigma: 0.9 },
  { medianMs: 4000, sigma: 1.1 },
  { medianMs: 1200, sigma: 1.3 },
  { medianMs: 6000, sigma: 1.0 },
  { medianMs: 3000, sigma: 1.2 },
  { medianMs: 9000, sigma: 1.4 },
] as const;

export type FailureStatus = Exclude<DeliveryStatus, 'DELIVERED'>;
const FAILURES: readonly FailureStatus[] = [
  'FAILED',
  'EXPIRED',
  'REJECTED',
  'UNDELIVERABLE',
  'UNKNOWN',
];
const FAILURE_WEIGHTS = [0.4, 0.15, 0.15, 0.2, 0.1];

/** SMPP-style command_status codes an operator reports per failure kind. */
const ERROR_CODES: Record<FailureStatus, readonly string[]> = {
  FAILED: ['0x00000045', '0x00000058', '0x00000008', '0x00000014'],
  EXPIRED: ['0x00000062', '0x00000400'],
  REJECTED: ['0x0000000B', '0x00000061', '0x00000066'],
  UNDELIVERABLE: ['0x00000401', '0x00000402', '0x00000403'],
  UNKNOWN: ['0x000000FF'],
};

export interface OperatorProfile {
  id: string;
  prefix: string;
  subscriberDigits: number;
  priceMicros: number;
  /** P(DELIVERED | final DLR): 0.98 for the best operator, falling to 0.80 for the worst. */
  deliveredRate: number;
  failureCdf: Float64Array;
  medianMs: number;
  sigma: number;
  /** Share of DLRs reported with 0 ms latency (synchronous rejections, clock-less SMSCs). */
  zeroLatencyRate: number;
}

export const LANES: readonly Lane[] = ['TRANSACTIONAL', 'PROMOTIONAL', 'OTP'];

/** The fixed population a data set is drawn from: operators, accounts and their habits. */
export class World {
  readonly operators: OperatorProfile[];
  readonly accountIds: string[];
  /** Each account's usual lane (index into LANES); 80% of its traffic uses it. */
  readonly accountLane: Uint8Array;
  private readonly operatorCdf: Float64Array;
  private readonly accountCdf: Float64Array;

  constructor(cfg: TrafficConfig, rng: Rng) {
    this.operators = Array.from({ length: cfg.operators }, (_, i) =>
      makeOperator(i, cfg.operators, rng),
    );
    // Bigger operators carry more traffic (mild Zipf); quality is independent of size.
    this.operatorCdf = toCdf(this.operators.map((_, i) => 1 / Math.pow(i + 1, 0.7)));
    // Account popularity is Zipf(1.07) over a seeded permutation, so the heaviest account is
    // not always acc_1000.
    const ranks = shuffledRange(cfg.accounts, rng);
    this.accountIds = ranks.map((r) => `acc_${1000 + r}`);
    this.accountCdf = toCdf(ranks.map((_, i) => 1 / Math.pow(i + 1, 1.07)));
    this.accountLane = Uint8Array.from(ranks, () => sampleCdf(LANE_CDF, rng.float()));
  }

  pickOperator(rng: Rng): OperatorProfile {
    return this.operators[sampleCdf(this.operatorCdf, rng.float())]!;
  }

  /** Index into accountIds / accountLane. */
  pickAccount(rng: Rng): number {
    return sampleCdf(this.accountCdf, rng.float());
  }
}

const LANE_CDF = toCdf([0.5, 0.3, 0.2]);

function makeOperator(i: number, count: number, rng: Rng): OperatorProfile {
  const market = MARKETS[i % MARKETS.length]!;
  const shape = LATENCY_SHAPES[i % LATENCY_SHAPES.length]!;
  const quality = count === 1 ? 0 : i / (count - 1);
  // Operators differ in how they fail too, not only in how often.
  const weights = FAILURE_WEIGHTS.map((w) => w * (0.5 + rng.float()));
  return {
    id: `mno-${market.cc}-${String(Math.floor(i / MARKETS.length) + 1).padStart(2, '0')}`,
    prefix: market.prefix,
    subscriberDigits: market.digits,
    priceMicros: market.priceMicros,
    deliveredRate: 0.98 - 0.18 * quality,
    failureCdf: toCdf(weights),
    medianMs: shape.medianMs,
    sigma: shape.sigma,
    zeroLatencyRate: 0.005 + 0.03 * rng.float(),
  };
}

export function pickFailure(op: OperatorProfile, rng: Rng): FailureStatus {
  return FAILURES[sampleCdf(op.failureCdf, rng.float())]!;
}

export function pickErrorCode(status: FailureStatus, rng: Rng): string {
  return rng.pick(ERROR_CODES[status]);
}

function shuffledRange(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
