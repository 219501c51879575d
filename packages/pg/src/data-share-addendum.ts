// The tenants' data-share addenda (US-ANLYT-19 AC3, migration 0012): the one on record per
// tenant and the append-only history of every set and revoke. One named function per
// statement; a change and its history row are written in one transaction.
import type { Sql } from './client.js';

export interface DataShareAddendum {
  tenantId: string;
  /** The admin's reference to the signed document (a contract number, a ticket). */
  reference: string;
  signedAt: Date;
  /** The `sub` of the admin token that recorded it. */
  recordedBy: string;
  recordedAt: Date;
}

export interface DataShareAddendumChange {
  action: 'SET' | 'REVOKE';
  reference: string;
  signedAt: Date;
  actor: string;
  at: Date;
}

/** The addendum on record for the tenant, or null. */
export async function readDataShareAddendum(
  sql: Sql,
  tenantId: string,
): Promise<DataShareAddendum | null> {
  const [r] = await sql<DataShareAddendum[]>`
    select tenant_id as "tenantId", reference, signed_at as "signedAt",
      recorded_by as "recordedBy", recorded_at as "recordedAt"
    from anlyt.data_share_addenda where tenant_id = ${tenantId}`;
  return r ?? null;
}

/** Every set and revoke of the tenant's addendum, oldest first. */
export async function readDataShareAddendumHistory(
  sql: Sql,
  tenantId: string,
): Promise<DataShareAddendumChange[]> {
  return sql<DataShareAddendumChange[]>`
    select action, reference, signed_at as "signedAt", actor, at
    from anlyt.data_share_addendum_history where tenant_id = ${tenantId}
    order by id`;
}

/** Records (or replaces) the tenant's addendum and appends a SET to the history. */
export async function setDataShareAddendum(
  sql: Sql,
  a: { tenantId: string; reference: string; signedAt: Date; actor: string },
): Promise<DataShareAddendum> {
  return sql.begin(async (tx) => {
    const [r] = await tx<DataShareAddendum[]>`
      insert into anlyt.data_share_addenda (tenant_id, reference, signed_at, recorded_by)
      values (${a.tenantId}, ${a.reference}, ${a.signedAt}, ${a.actor})
      on conflict (tenant_id) do update set reference = excluded.reference,
        signed_at = excluded.signed_at, recorded_by = excluded.recorded_by, recorded_at = now()
      returning tenant_id as "tenantId", reference, signed_at as "signedAt",
        recorded_by as "recordedBy", recorded_at as "recordedAt"`;
    await tx`
      insert into anlyt.data_share_addendum_history (tenant_id, action, reference, signed_at, actor)
      values (${a.tenantId}, 'SET', ${a.reference}, ${a.signedAt}, ${a.actor})`;
    return r!;
  }) as Promise<DataShareAddendum>;
}

/**
 * Takes the tenant's addendum off record and appends a REVOKE (naming what was revoked) to the
 * history. Null, and nothing written, when none was on record: of two revokes at once, the
 * second waits for the first's row lock and then finds nothing to delete.
 */
export async function revokeDataShareAddendum(
  sql: Sql,
  tenantId: string,
  actor: string,
): Promise<DataShareAddendum | null> {
  return sql.begin(async (tx) => {
    const [r] = await tx<DataShareAddendum[]>`
      delete from anlyt.data_share_addenda where tenant_id = ${tenantId}
      returning tenant_id as "tenantId", reference, signed_at as "signedAt",
        recorded_by as "recordedBy", recorded_at as "recordedAt"`;
    if (!r) return null;
    await tx`
      insert into anlyt.data_share_addendum_history (tenant_id, action, reference, signed_at, actor)
      values (${tenantId}, 'REVOKE', ${r.reference}, ${r.signedAt}, ${actor})`;
    return r;
  }) as Promise<DataShareAddendum | null>;
}
