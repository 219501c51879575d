import type { BillingDeltas, TpsSecondDelta } from '@anlyt/domain';
import { formatMicros } from '@anlyt/domain';
import type { TxSql } from './client.js';
import { bumpDayVersions } from './day-versions.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The oldest second anlyt.tps_seconds still keeps (its retention, migration 0014). */
const tpsFloor = (tx: TxSql) =>
  tx`coalesce((select keep_from from anlyt.retention_floors where table_name = 'tps_seconds'), '-infinity')`;

/**
 * Adds a batch's billing deltas to anlyt.metrics_hourly, one statement for all buckets.
 * Deltas arrive sorted by key, so concurrent writers lock rows in the same order.
 */
export async function upsertBillingBuckets(tx: TxSql, deltas: BillingDeltas): Promise<void> {
  const b = deltas.buckets;
  if (b.length === 0) return;
  await tx`
    insert into anlyt.metrics_hourly
      (scope, scope_id, hour, billed_count, refunded_count, total_cost, segments)
    select * from unnest(
      ${b.map((d) => d.scope)}::text[], ${b.map((d) => d.scopeId)}::text[],
      ${b.map((d) => iso(d.hourMs))}::timestamptz[], ${b.map((d) => d.billed)}::bigint[],
      ${b.map((d) => d.refunded)}::bigint[], ${b.map((d) => formatMicros(d.costMicros))}::numeric[],
      ${b.map((d) => d.segments)}::bigint[])
    on conflict (scope, scope_id, hour) do update set
      billed_count   = metrics_hourly.billed_count + excluded.billed_count,
      refunded_count = metrics_hourly.refunded_count + excluded.refunded_count,
      total_cost     = metrics_hourly.total_cost + excluded.total_cost,
      segments       = metrics_hourly.segments + excluded.segments,
      updated_at     = now()
  `;
  await bumpDayVersions(
    tx,
    b
      .filter((d) => d.scope === 'PLATFORM')
      .map((d) => ({ hourMs: d.hourMs, folds: d.billed + d.refunded })),
  );
}

/**
 * Adds BILLED counts per UTC second, folds them into their minutes (count, busiest second)
 * and raises each touched hour's peak_tps to the largest second it now holds. Runs after
 * upsertBillingBuckets, which created those hour rows (and locked the PLATFORM hours, so
 * concurrent billing writers reach these rows one after the other).
 */
export async function upsertTpsSeconds(tx: TxSql, deltas: BillingDeltas): Promise<void> {
  const s = deltas.seconds;
  if (s.length === 0) return;
  await tx`
    with input as (
      select * from unnest(
        ${s.map((d) => d.scope)}::text[], ${s.map((d) => d.scopeId)}::text[],
        ${s.map((d) => iso(d.secondMs))}::timestamptz[], ${s.map((d) => d.billed)}::int[])
        as i(scope, scope_id, second, billed)
    ), seconds as (
      -- Seconds older than the seconds' retention (their partition is dropped) are skipped:
      -- the event still counts in its minute and hour, it just cannot raise their peak.
      insert into anlyt.tps_seconds (scope, scope_id, second, billed_count)
      select * from input
      where second >= ${tpsFloor(tx)}
      on conflict (scope, scope_id, second) do update
        set billed_count = tps_seconds.billed_count + excluded.billed_count
      returning scope, scope_id, second, billed_count
    ), minutes as (
      -- The batch's BILLED events per minute, and the minute's busiest second as it now is.
      insert into anlyt.tps_minutes (scope, scope_id, minute, billed_count, peak_tps)
      select i.scope, i.scope_id, date_trunc('minute', i.second, 'UTC'), sum(i.billed),
             coalesce(max(s.billed_count), 0)
      from input i left join seconds s using (scope, scope_id, second)
      group by 1, 2, 3 order by 1, 2, 3
      on conflict (scope, scope_id, minute) do update
        set billed_count = tps_minutes.billed_count + excluded.billed_count,
            peak_tps = greatest(tps_minutes.peak_tps, excluded.peak_tps)
    ), peaks as (
      select scope, scope_id, date_trunc('hour', second, 'UTC') as hour, max(billed_count) as peak
      from seconds group by 1, 2, 3
    )
    update anlyt.metrics_hourly m set peak_tps = greatest(m.peak_tps, p.peak)
    from peaks p
    where m.scope = p.scope and m.scope_id = p.scope_id and m.hour = p.hour
  `;
  const lowered = s.filter((d) => d.billed < 0);
  if (lowered.length > 0) await recomputePeaks(tx, lowered);
}

/**
 * A retraction (a displaced BILLED event taken back out) can lower a second, and `greatest`
 * only ever raises peaks: re-read the peaks of the minutes and hours holding the lowered
 * seconds from the seconds themselves. Rare (conflicts only), so two plain statements.
 */
async function recomputePeaks(tx: TxSql, lowered: readonly TpsSecondDelta[]): Promise<void> {
  const scopes = lowered.map((d) => d.scope);
  const ids = lowered.map((d) => d.scopeId);
  const seconds = lowered.map((d) => iso(d.secondMs));
  await tx`
    update anlyt.tps_minutes m set peak_tps = (
      select coalesce(max(s.billed_count), 0) from anlyt.tps_seconds s
      where s.scope = m.scope and s.scope_id = m.scope_id
        and s.second >= m.minute and s.second < m.minute + interval '1 minute')
    from (select distinct scope, scope_id, date_trunc('minute', second, 'UTC') as minute
          from unnest(${scopes}::text[], ${ids}::text[], ${seconds}::timestamptz[]) as i(scope, scope_id, second)
          where i.second >= ${tpsFloor(tx)}) t
    where m.scope = t.scope and m.scope_id = t.scope_id and m.minute = t.minute`;
  await tx`
    update anlyt.metrics_hourly m set peak_tps = (
      select coalesce(max(s.billed_count), 0) from anlyt.tps_seconds s
      where s.scope = m.scope and s.scope_id = m.scope_id
        and s.second >= m.hour and s.second < m.hour + interval '1 hour')
    from (select distinct scope, scope_id, date_trunc('hour', second, 'UTC') as hour
          from unnest(${scopes}::text[], ${ids}::text[], ${seconds}::timestamptz[]) as i(scope, scope_id, second)
          where i.second >= ${tpsFloor(tx)}) t
    where m.scope = t.scope and m.scope_id = t.scope_id and m.hour = t.hour`;
}
