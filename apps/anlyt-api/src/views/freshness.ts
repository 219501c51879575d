/** dataAsOf per projection (from anlyt.watermarks) and lagSeconds against `nowMs`. */
export function freshness(marks: ReadonlyMap<string, string>, nowMs: number) {
  const billing = marks.get('billing') ?? null;
  const dlr = marks.get('dlr') ?? null;
  const known = [billing, dlr].filter((x): x is string => x !== null).map((x) => Date.parse(x));
  const lagSeconds = known.length === 0 ? null : Math.max(0, (nowMs - Math.min(...known)) / 1000);
  return { dataAsOf: { billing, dlr }, lagSeconds };
}
