// The anonymous MNO labels of the tenant insights (US-ANLYT-19, migration 0012): one named
// function per statement. A label, once assigned to (tenant, mno), is never changed.
import type { Sql } from './client.js';

export interface MnoLabel {
  mno: string;
  /** The label's position for the tenant: 0 = MNO-A, 1 = MNO-B, … */
  ordinal: number;
  label: string;
}

// First key of the two-key advisory lock that serialises the label assigners of one tenant
// (the second is the tenant id's hash). An arbitrary constant, apart from the migrator's.
const LABEL_LOCK_NAMESPACE = 0x6d6e6f6c;

/** The labels the tenant already has for these MNOs (unlabelled ones are absent). */
export async function readMnoLabels(
  sql: Sql,
  tenantId: string,
  mnos: readonly string[],
): Promise<MnoLabel[]> {
  if (mnos.length === 0) return [];
  return sql<MnoLabel[]>`
    select mno, ordinal, label from anlyt.insight_mno_labels
    where tenant_id = ${tenantId} and mno = any(${mnos as string[]}::text[])
    order by ordinal`;
}

/**
 * Gives each of `newMnos` that has no label yet the next free ordinal, in the order given
 * (the caller decides that order: it must not reveal the ids), and returns the labels of all
 * of them. One transaction under a per-tenant advisory lock: two requests that see the same
 * new MNOs at once are serialised, and the second finds the first's labels and keeps them.
 * Ordinals are dense (0, 1, 2, …) because rows are never deleted.
 */
export async function assignMnoLabels(
  sql: Sql,
  tenantId: string,
  newMnos: readonly string[],
  labelOf: (ordinal: number) => string,
): Promise<MnoLabel[]> {
  if (newMnos.length === 0) return [];
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LABEL_LOCK_NAMESPACE}::int, hashtext(${tenantId}::text))`;
    // A statement after the lock was granted: it sees every label committed before.
    const known = await tx<{ mno: string; ordinal: number }[]>`
      select mno, ordinal from anlyt.insight_mno_labels where tenant_id = ${tenantId}`;
    const labelled = new Set(known.map((k) => k.mno));
    let next = known.reduce((m, k) => Math.max(m, k.ordinal + 1), 0);
    const fresh = [...new Set(newMnos)].filter((m) => !labelled.has(m));
    const ordinals = fresh.map(() => next++);
    if (fresh.length > 0)
      await tx`
        insert into anlyt.insight_mno_labels (tenant_id, mno, ordinal, label)
        select ${tenantId}, m, o, l
        from unnest(${fresh}::text[], ${ordinals}::int[], ${ordinals.map(labelOf)}::text[])
          as n(m, o, l)`;
    return tx<MnoLabel[]>`
      select mno, ordinal, label from anlyt.insight_mno_labels
      where tenant_id = ${tenantId} and mno = any(${newMnos as string[]}::text[])
      order by ordinal`;
  }) as Promise<MnoLabel[]>;
}
