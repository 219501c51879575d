import type { Sql } from '../client.js';

/** Whether a scope id has any hourly data at all (the primary key's prefix answers it). */
export async function scopeHasData(
  sql: Sql,
  scope: 'OPERATOR' | 'ACCOUNT',
  scopeId: string,
): Promise<boolean> {
  const [r] = await sql<{ found: boolean }[]>`
    select exists (select 1 from anlyt.metrics_hourly where scope = ${scope} and scope_id = ${scopeId}) as found`;
  return r!.found;
}
