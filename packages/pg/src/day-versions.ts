import type { TxSql } from './client.js';

const DAY_MS = 86_400_000;

/**
 * Adds folded-event counts per UTC day to anlyt.day_versions, from the PLATFORM buckets of a
 * write (every event is in exactly one PLATFORM bucket). Called by the bucket upserts after
 * their own statement, so every writer locks bucket rows first, then day rows in day order:
 * the billing and DLR writers cannot deadlock on them.
 */
export async function bumpDayVersions(
  tx: TxSql,
  platformBuckets: readonly { hourMs: number; folds: number }[],
): Promise<void> {
  const byDay = new Map<number, number>();
  for (const b of platformBuckets) {
    if (b.folds === 0) continue;
    const day = Math.floor(b.hourMs / DAY_MS) * DAY_MS;
    byDay.set(day, (byDay.get(day) ?? 0) + b.folds);
  }
  if (byDay.size === 0) return;
  const days = [...byDay.keys()].sort((a, b) => a - b);
  await tx`
    insert into anlyt.day_versions (day, folds)
    select * from unnest(${days.map((d) => new Date(d).toISOString().slice(0, 10))}::date[],
                         ${days.map((d) => byDay.get(d)!)}::bigint[])
    on conflict (day) do update
      set folds = day_versions.folds + excluded.folds, updated_at = now()`;
}
