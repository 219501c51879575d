/**
 * The 200 bodies of the internal analytics routes, named components like the shared values
 * they are built from (common.ts). They are also the serialisation allow-lists: fastify writes
 * only the properties listed here, so nothing else a row or an event carried (an MSISDN, a
 * message body) can leave. The freshness fields come last in every body (answer-cache.ts).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import {
  billingFreshnessProps,
  Count,
  dlrFreshnessProps,
  freshnessProps,
  Granularity,
  LatencyMs,
  Money,
  NetMessageCount,
  P95Latency,
  Rate,
  ref,
  Resolution,
  Window,
} from './common.js';

export const Summary = Type.Object(
  {
    window: ref(Window),
    totalMessages: ref(NetMessageCount),
    deliveredMessages: ref(Count, 'DLRs with DELIVERED'),
    failedMessages: ref(Count, 'DLRs with FAILED, EXPIRED, REJECTED or UNDELIVERABLE'),
    deliveryRate: ref(Rate, 'delivered / (delivered + failed)'),
    totalCost: ref(Money, 'billed minus refunded amounts'),
    activeAccounts: ref(Count, 'distinct accounts with at least one BILLED event'),
    peakTps: ref(Count, 'the most BILLED events whose occurredAt fell in one UTC second'),
    avgLatencyMs: ref(LatencyMs, 'mean latencyMs of every DLR (any status)'),
    p95LatencyMs: ref(LatencyMs, 'the same value as p95.valueMs'),
    p95: ref(P95Latency),
    ...freshnessProps,
  },
  { $id: 'Summary', description: 'Platform-wide measures of a window (contract §3)' },
);

/** The measures of one operator over a set of hours: the window total and each series point. */
const operatorMeasures = {
  totalMessages: ref(NetMessageCount),
  deliveredMessages: ref(Count, 'DLRs with DELIVERED'),
  failedMessages: ref(Count, 'DLRs with FAILED, EXPIRED, REJECTED or UNDELIVERABLE'),
  deliveryRate: ref(Rate, 'delivered / (delivered + failed)'),
  errorRate: ref(Rate, 'failed / (delivered + failed)'),
  avgLatencyMs: ref(LatencyMs, 'mean latencyMs of every DLR (any status)'),
  p95LatencyMs: ref(LatencyMs, 'the same value as p95.valueMs'),
  p95: ref(P95Latency),
  peakTps: ref(Count, 'the most BILLED events whose occurredAt fell in one UTC second'),
  totalCost: ref(Money, 'billed minus refunded amounts'),
};

export const OperatorPerformancePoint = Type.Object(
  {
    at: Type.String({ format: 'date-time', description: 'start of the UTC hour or day' }),
    ...operatorMeasures,
  },
  { $id: 'OperatorPerformancePoint', description: "One hour's or one day's measures" },
);

export const OperatorPerformance = Type.Object(
  {
    operatorId: Type.String(),
    window: ref(Window),
    granularity: ref(Granularity),
    ...operatorMeasures,
    series: Type.Array(ref(OperatorPerformancePoint), {
      description: 'one point per UTC hour or day that has data, ascending',
    }),
    ...freshnessProps,
  },
  {
    $id: 'OperatorPerformance',
    description: "One operator's measures over a window, with a series at the granularity",
  },
);

const usageMeasures = {
  messagesSent: ref(NetMessageCount),
  messagesDelivered: ref(Count, 'DLRs with DELIVERED'),
  messagesFailed: ref(Count, 'DLRs with FAILED, EXPIRED, REJECTED or UNDELIVERABLE'),
  deliveryRate: ref(Rate, 'delivered / (delivered + failed)'),
  totalCost: ref(Money, 'billed minus refunded amounts'),
};

export const AccountUsageDay = Type.Object(
  {
    day: Type.String({ format: 'date', description: 'UTC day, YYYY-MM-DD' }),
    ...usageMeasures,
  },
  {
    $id: 'AccountUsageDay',
    description: "One UTC day's usage (only the part of the day inside the window)",
  },
);

export const AccountUsage = Type.Object(
  {
    accountId: Type.String(),
    window: ref(Window),
    ...usageMeasures,
    avgCostPerMessage: Type.Union([ref(Money), Type.Null()], {
      description:
        'totalCost / messagesSent, exact, rounded half-up (ties away from zero) to 6 decimals; ' +
        'null when messagesSent ≤ 0 (no messages, or more refunded than billed in the window)',
    }),
    daily: Type.Array(ref(AccountUsageDay), {
      description:
        'one entry per UTC day of the window that has data, ascending; the first and last ' +
        'days cover only the part of them inside the window',
    }),
    ...freshnessProps,
  },
  {
    $id: 'AccountUsage',
    description: "One account's usage over a window, with a daily breakdown; never an MSISDN",
  },
);

export const ThroughputPoint = Type.Object(
  {
    at: Type.String({ format: 'date-time', description: 'interval start (UTC)' }),
    billedMessages: Type.Integer({
      minimum: 1,
      description: 'BILLED events whose occurredAt falls in the interval (refunds not netted)',
    }),
    avgPerSecond: Type.Number({
      minimum: 0,
      description: 'billedMessages / the interval length in seconds',
    }),
    peakTps: ref(Count, 'the busiest UTC second of the interval'),
  },
  { $id: 'ThroughputPoint', description: 'BILLED events of one interval' },
);

export const Throughput = Type.Object(
  {
    window: ref(Window),
    resolution: ref(Resolution),
    operatorId: Type.Union([Type.String(), Type.Null()], {
      description: 'the operator filtered on; null = platform-wide',
    }),
    points: Type.Array(ref(ThroughputPoint), {
      description:
        'ascending; only intervals with at least one BILLED event (no zero-filling): a ' +
        'missing interval had none folded so far',
    }),
    ...billingFreshnessProps,
  },
  { $id: 'Throughput', description: 'BILLED events per interval of the resolution' },
);

export const DeliveryStatusCounts = Type.Object(
  {
    DELIVERED: ref(Count),
    FAILED: ref(Count),
    EXPIRED: ref(Count),
    REJECTED: ref(Count),
    UNDELIVERABLE: ref(Count),
    UNKNOWN: ref(Count),
  },
  { $id: 'DeliveryStatusCounts', description: 'DLRs in the window per deliveryStatus' },
);

export const OperatorDelivery = Type.Object(
  {
    operatorId: Type.String(),
    delivered: ref(Count, 'DLRs with DELIVERED'),
    failed: ref(Count, 'FAILED + EXPIRED + REJECTED + UNDELIVERABLE'),
    unknown: ref(Count, 'DLRs with UNKNOWN'),
    total: Type.Integer({ minimum: 1, description: 'delivered + failed + unknown' }),
    deliveryRate: ref(Rate, 'delivered / (delivered + failed)'),
    share: ref(
      Rate,
      "the operator's final DLRs (delivered + failed) / all operators' final DLRs in the " +
        'window; null when the window has no final DLR at all',
    ),
  },
  { $id: 'OperatorDelivery', description: "One operator's DLRs in the window" },
);

export const DeliveryBreakdown = Type.Object(
  {
    window: ref(Window),
    byStatus: ref(DeliveryStatusCounts, 'all operators'),
    byOperator: Type.Array(ref(OperatorDelivery), {
      description:
        'operators with at least one DLR in the window, by total descending, then operatorId',
    }),
    ...dlrFreshnessProps,
  },
  { $id: 'DeliveryBreakdown', description: 'DLRs per status and per operator for a window' },
);

/** Every body component, in the order they are registered (parts before wholes). */
export const BODY_SCHEMAS: readonly TSchema[] = [
  Summary,
  OperatorPerformancePoint,
  OperatorPerformance,
  AccountUsageDay,
  AccountUsage,
  ThroughputPoint,
  Throughput,
  DeliveryStatusCounts,
  OperatorDelivery,
  DeliveryBreakdown,
];
