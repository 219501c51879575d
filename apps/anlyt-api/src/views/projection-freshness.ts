/**
 * dataAsOf / lagSeconds for a response that draws on ONE projection (contract §3: dataAsOf
 * "per projection where a response draws on several"): throughput reads only billing
 * aggregates and the delivery breakdown only DLR ones, so the other projection's lag is not
 * theirs to report.
 */
import { Type } from '@sinclair/typebox';

const AsOf = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const lagSchema = (p: string) =>
  Type.Union([Type.Number(), Type.Null()], {
    description: `seconds between now and dataAsOf.${p}; null before any event was folded`,
  });
const asOfDescription = (p: string) =>
  `the largest occurredAt folded into the ${p} aggregates this response was computed from (contract §3)`;

export const BillingFreshnessSchema = {
  dataAsOf: Type.Object({ billing: AsOf }, { description: asOfDescription('billing') }),
  lagSeconds: lagSchema('billing'),
};

export const DlrFreshnessSchema = {
  dataAsOf: Type.Object({ dlr: AsOf }, { description: asOfDescription('DLR') }),
  lagSeconds: lagSchema('dlr'),
};

function lag(asOf: string | null, nowMs: number): number | null {
  return asOf === null ? null : Math.max(0, (nowMs - Date.parse(asOf)) / 1000);
}

export function billingFreshness(marks: ReadonlyMap<string, string>, nowMs: number) {
  const billing = marks.get('billing') ?? null;
  return { dataAsOf: { billing }, lagSeconds: lag(billing, nowMs) };
}

export function dlrFreshness(marks: ReadonlyMap<string, string>, nowMs: number) {
  const dlr = marks.get('dlr') ?? null;
  return { dataAsOf: { dlr }, lagSeconds: lag(dlr, nowMs) };
}
