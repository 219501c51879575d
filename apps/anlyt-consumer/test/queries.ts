import type { Sql } from '@anlyt/pg';

export interface BucketRow {
  total_messages: string;
  billed_count: string;
  refunded_count: string;
  total_cost: string;
  segments: string;
  delivered_messages: string;
  failed_messages: string;
  status_unknown: string;
  latency_sum_ms: string;
  latency_count: string;
  latency_sketch: Record<string, number>;
  peak_tps: number;
}

/** One metrics_hourly row, or undefined. `hour` is an ISO timestamp of the hour start. */
export async function bucket(sql: Sql, scope: string, scopeId: string, hour: string) {
  const rows = await sql<BucketRow[]>`
    select total_messages::text, billed_count::text, refunded_count::text, total_cost::text,
           segments::text, delivered_messages::text, failed_messages::text, status_unknown::text,
           latency_sum_ms::text, latency_count::text, latency_sketch, peak_tps
    from anlyt.metrics_hourly
    where scope = ${scope} and scope_id = ${scopeId} and hour = ${hour}::timestamptz`;
  return rows[0];
}

export async function operatorRow(sql: Sql, operatorId: string, hour: string) {
  const rows = await sql<
    {
      delivered_messages: string;
      failed_messages: string;
      latency_count: string;
      latency_sum_ms: string;
      latency_sketch: Record<string, number>;
      error_codes: Record<string, number>;
    }[]
  >`
    select delivered_messages::text, failed_messages::text, latency_count::text,
           latency_sum_ms::text, latency_sketch, error_codes
    from anlyt.operator_performance where operator_id = ${operatorId} and hour = ${hour}::timestamptz`;
  return rows[0];
}

/** Every row of every anlyt table as text, for scanning for personal data. */
export async function dumpAllTables(sql: Sql): Promise<string> {
  const tables = await sql<{ t: string }[]>`
    select format('%I.%I', table_schema, table_name) as t from information_schema.tables
    where table_schema in ('anlyt', 'drizzle')`;
  let out = '';
  for (const { t } of tables) {
    const rows = await sql.unsafe(`select to_jsonb(x)::text as j from ${t} x`);
    out += rows.map((r) => r['j']).join('\n');
  }
  return out;
}
