// The compliance audit's state (US-ANLYT-15, migration 0011): the append-only audit log and
// the exports' rows. One named function per statement.
import type { Sql } from './client.js';

export interface AuditLogEntry {
  /** The token's `sub`; null when the call was refused before a token was verified. */
  callerSub: string | null;
  /** The client certificate's subject CN (the TLS layer verified the certificate). */
  certSubject: string;
  method: string;
  /** The route template, e.g. /v1/anlyt/audit/exports/:id. */
  route: string;
  /** What was asked: the body, or the path parameters of a GET. */
  body: unknown;
  status: number;
  /** COMPLETED (the whole response sent), ABORTED (the connection closed before). */
  outcome: string;
  rows: number | null;
  exportId: string | null;
}

/** Appends one entry (the table refuses anything but INSERT). */
export async function appendAuditLog(sql: Sql, e: AuditLogEntry): Promise<void> {
  await sql`
    insert into anlyt.audit_log
      (caller_sub, cert_subject, method, route, body, status, outcome, rows, export_id)
    values (${e.callerSub}, ${e.certSubject}, ${e.method}, ${e.route},
      ${e.body === undefined || e.body === null ? null : sql.json(e.body as never)},
      ${e.status}, ${e.outcome}, ${e.rows}, ${e.exportId})`;
}

export type AuditExportStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface NewAuditExport {
  id: string;
  tenantId: string;
  dataset: string;
  fromMs: number;
  toMs: number;
  callerSub: string;
  certSubject: string;
  objectUri: string;
}

export interface AuditExportRow {
  id: string;
  tenantId: string;
  status: AuditExportStatus;
  rows: number;
  objectUri: string;
  error: string | null;
}

export async function insertAuditExport(sql: Sql, x: NewAuditExport): Promise<void> {
  await sql`
    insert into anlyt.audit_exports
      (id, tenant_id, dataset, from_at, to_at, caller_sub, cert_subject, object_uri)
    values (${x.id}, ${x.tenantId}, ${x.dataset}, ${new Date(x.fromMs)}, ${new Date(x.toMs)},
      ${x.callerSub}, ${x.certSubject}, ${x.objectUri})`;
}

/** A running export's progress; also its heartbeat (it is alive while this keeps coming). */
export async function heartbeatAuditExport(sql: Sql, id: string, rows: number): Promise<void> {
  await sql`
    update anlyt.audit_exports set rows = ${rows}, heartbeat_at = now()
    where id = ${id} and status = 'RUNNING'`;
}

/** RUNNING → DONE or FAILED, once: a finished export is never changed again. */
export async function finishAuditExport(
  sql: Sql,
  id: string,
  outcome: { status: 'DONE' | 'FAILED'; rows: number; error?: string },
): Promise<void> {
  await sql`
    update anlyt.audit_exports
    set status = ${outcome.status}, rows = ${outcome.rows}, error = ${outcome.error ?? null},
      finished_at = now(), heartbeat_at = now()
    where id = ${id} and status = 'RUNNING'`;
}

/**
 * Marks FAILED every RUNNING export whose heartbeat is older than `staleAfterS`: its process
 * stopped (crashed, killed, redeployed) and nothing will finish it. Returns how many.
 */
export async function failAbandonedAuditExports(sql: Sql, staleAfterS: number): Promise<number> {
  const r = await sql`
    update anlyt.audit_exports
    set status = 'FAILED', finished_at = now(),
      error = 'abandoned: the process running it stopped before it finished'
    where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ${staleAfterS})`;
  return r.count;
}

export async function readAuditExport(sql: Sql, id: string): Promise<AuditExportRow | null> {
  const [r] = await sql<
    {
      id: string;
      tenant_id: string;
      status: AuditExportStatus;
      rows: string;
      object_uri: string;
      error: string | null;
    }[]
  >`
    select id, tenant_id, status, rows, object_uri, error
    from anlyt.audit_exports where id = ${id}`;
  if (!r) return null;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    status: r.status,
    rows: Number(r.rows),
    objectUri: r.object_uri,
    error: r.error,
  };
}
