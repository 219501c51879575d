import type { Sql } from '@anlyt/pg';
import {
  bucketKey,
  DELIVERY_STATUSES as STATUSES,
  formatMicros,
  type OracleBucket,
  type TrafficOracle,
} from '@anlyt/traffic';

/** The measures of one bucket as comparable strings (exact: counts and money as text). */
function fromOracle(b: OracleBucket, withPeak: boolean): Record<string, string> {
  const r: Record<string, string> = {
    billed: String(b.billed),
    refunded: String(b.refunded),
    total_cost: formatMicros(b.totalCostMicros),
    segments: String(b.segments),
    latency_count: String(b.latencyCount),
    latency_sum_ms: String(b.latencySumMs),
  };
  for (const s of STATUSES) r[`status_${s.toLowerCase()}`] = String(b.dlr[s]);
  if (withPeak) r['peak_tps'] = String(b.peakTps);
  return r;
}

/**
 * Every metrics_hourly row against the oracle's buckets, both ways (a row the oracle lacks is
 * as wrong as a missing row), plus operator_performance against the OPERATOR buckets and
 * error codes. Returns the differences, at most `limit` of them: empty means exactly equal.
 */
export async function compareWithOracle(
  sql: Sql,
  oracle: TrafficOracle,
  limit = 20,
): Promise<string[]> {
  const diffs: string[] = [];
  const expected = oracle.hourly();
  const rows = await sql<Record<string, string>[]>`
    select scope, scope_id, (extract(epoch from hour) * 1000)::bigint::text as hour_ms,
           billed_count::text as billed, refunded_count::text as refunded, total_cost::text,
           segments::text, latency_count::text, latency_sum_ms::text, peak_tps::text,
           status_delivered::text, status_failed::text, status_expired::text,
           status_rejected::text, status_undeliverable::text, status_unknown::text
    from anlyt.metrics_hourly`;
  const seen = new Set<string>();
  for (const row of rows) {
    const key = bucketKey(
      row['scope'] as OracleBucket['scope'],
      row['scope_id']!,
      Number(row['hour_ms']),
    );
    seen.add(key);
    const b = expected.get(key);
    if (!b) {
      diffs.push(`unexpected row ${key}`);
      continue;
    }
    const want = fromOracle(b, b.scope !== 'ACCOUNT');
    for (const [k, v] of Object.entries(want))
      if (row[k] !== v) diffs.push(`${key} ${k}: db ${row[k]} ≠ oracle ${v}`);
  }
  for (const key of expected.keys()) if (!seen.has(key)) diffs.push(`missing row ${key}`);

  const ops = await sql<Record<string, string | Record<string, number>>[]>`
    select operator_id, (extract(epoch from hour) * 1000)::bigint::text as hour_ms,
           latency_count::text, latency_sum_ms::text, status_delivered::text, status_failed::text,
           status_expired::text, status_rejected::text, status_undeliverable::text,
           status_unknown::text, error_codes
    from anlyt.operator_performance`;
  const codes = oracle.errorCodes();
  for (const row of ops) {
    const key = bucketKey('OPERATOR', row['operator_id'] as string, Number(row['hour_ms']));
    const b = expected.get(key);
    if (!b) {
      diffs.push(`unexpected operator_performance row ${key}`);
      continue;
    }
    const want = fromOracle(b, false);
    for (const k of [
      'latency_count',
      'latency_sum_ms',
      ...STATUSES.map((s) => `status_${s.toLowerCase()}`),
    ]) {
      if (row[k] !== want[k])
        diffs.push(`op ${key} ${k}: db ${String(row[k])} ≠ oracle ${want[k]}`);
    }
    const wantCodes = Object.fromEntries(
      codes.get(`${row['operator_id']}|${row['hour_ms']}`) ?? [],
    );
    if (
      JSON.stringify(sortKeys(row['error_codes'] as object)) !== JSON.stringify(sortKeys(wantCodes))
    ) {
      diffs.push(`op ${key} error_codes differ`);
    }
  }
  const opBuckets = [...expected.values()].filter(
    (b) => b.scope === 'OPERATOR' && b.latencyCount > 0,
  );
  if (ops.length !== opBuckets.length)
    diffs.push(`operator_performance rows: db ${ops.length} ≠ oracle ${opBuckets.length}`);
  return diffs.slice(0, limit);
}

function sortKeys(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
