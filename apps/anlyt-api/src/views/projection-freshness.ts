/**
 * dataAsOf / lagSeconds for a response that draws on ONE projection (contract §3: dataAsOf
 * "per projection where a response draws on several"): throughput reads only billing
 * aggregates and the delivery breakdown only DLR ones, so the other projection's lag is not
 * theirs to report.
 */
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
