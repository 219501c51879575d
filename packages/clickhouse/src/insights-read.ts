// The tenant insights' reads of the cubes (US-ANLYT-19, contract §6.5): one named function per
// statement, each scoped to one tenant and a window of whole UTC days [fromMs, toMs).
// - Cubes are read with FINAL (the newest build of each row); rows with no facts (a rebuild's
//   zero tombstones) are filtered out, so they never make an MNO look "used".
// - Aliases never repeat a column name (18.16: aliases are global to the query).
import { rows, type ClickHouseClient } from './client.js';
import { CUBE_CDR_DAILY, CUBE_DLR_DAILY, CUBE_DLR_HOURLY } from './ddl/cubes.js';
import { qualified, type Topology } from './ddl/topology.js';
import { sqlDate, sqlDateTime, sqlString } from './escape.js';

export interface TenantDays {
  tenantId: string;
  /** Whole UTC days: both multiples of 24 h, fromMs < toMs. */
  fromMs: number;
  toMs: number;
}

export interface MnoDlrCounts {
  mno: string;
  delivered: number;
  /** FAILED, EXPIRED, REJECTED, UNDELIVERABLE (contract §3). */
  failed: number;
  /** Every DLR, UNKNOWN included. */
  dlrs: number;
}

/** The failed statuses of contract §3; UNKNOWN is neither delivered nor failed. */
const FAILED = "('FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE')";

const days = (s: TenantDays) =>
  `tenantId = ${sqlString(s.tenantId)} AND day >= ${sqlDate(s.fromMs)} AND day < ${sqlDate(s.toMs)}`;

/** Per MNO the tenant's DLRs had in the days: delivered, failed and all (cube_dlr_daily). */
export async function readTenantMnoDlrCounts(
  ch: ClickHouseClient,
  t: Topology,
  s: TenantDays,
): Promise<MnoDlrCounts[]> {
  const found = await rows<{ m: string; d: string; f: string; n: string }>(
    ch,
    `SELECT mno AS m, sumIf(dlrs, status = 'DELIVERED') AS d, sumIf(dlrs, status IN ${FAILED}) AS f,
       sum(dlrs) AS n
     FROM ${qualified(t, CUBE_DLR_DAILY.name)} FINAL
     WHERE ${days(s)} AND dlrs > 0
     GROUP BY m`,
  );
  return found.map((r) => ({
    mno: r.m,
    delivered: Number(r.d),
    failed: Number(r.f),
    dlrs: Number(r.n),
  }));
}

/**
 * Per MNO the P95 of the tenant's DLR latencies (every status) in the days: the hourly cube's
 * t-digest states merged, then read (never an average of per-hour P95s).
 */
export async function readTenantMnoLatencyP95(
  ch: ClickHouseClient,
  t: Topology,
  s: TenantDays,
): Promise<{ mno: string; p95: number }[]> {
  const found = await rows<{ m: string; p: number }>(
    ch,
    `SELECT mno AS m, quantilesTDigestMerge(0.5, 0.95, 0.99)(latencyQuantiles)[2] AS p
     FROM ${qualified(t, CUBE_DLR_HOURLY.name)} FINAL
     WHERE tenantId = ${sqlString(s.tenantId)}
       AND hour >= ${sqlDateTime(s.fromMs)} AND hour < ${sqlDateTime(s.toMs)} AND dlrs > 0
     GROUP BY m`,
  );
  return found.map((r) => ({ mno: r.m, p95: Number(r.p) }));
}

/** The MNOs that carried at least one CDR of the tenant in the days (cube_cdr_daily). */
export async function readTenantCdrMnos(
  ch: ClickHouseClient,
  t: Topology,
  s: TenantDays,
): Promise<string[]> {
  const found = await rows<{ m: string }>(
    ch,
    `SELECT mno AS m FROM ${qualified(t, CUBE_CDR_DAILY.name)} FINAL
     WHERE ${days(s)} AND cdrs > 0
     GROUP BY m`,
  );
  return found.map((r) => r.m);
}
