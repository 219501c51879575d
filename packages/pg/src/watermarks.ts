import type { Sql, TxSql } from './client.js';

/** Moves a projection's dataAsOf forward (never back: late events don't rewind it). */
export async function advanceWatermark(tx: TxSql, projection: string, maxOccurredAtMs: number) {
  await tx`
    insert into anlyt.watermarks (projection, data_as_of)
    values (${projection}, ${new Date(maxOccurredAtMs).toISOString()}::timestamptz)
    on conflict (projection) do update
      set data_as_of = greatest(watermarks.data_as_of, excluded.data_as_of), updated_at = now()
  `;
}

export async function readWatermarks(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql<{ projection: string; data_as_of: string }[]>`
    select projection, to_char(data_as_of at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as data_as_of
    from anlyt.watermarks`;
  return new Map(rows.map((r) => [r.projection, r.data_as_of]));
}
