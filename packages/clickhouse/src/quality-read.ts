// The operator.quality.v1 publisher's one read (US-ANLYT-17): per (mno, direction), the DLR
// counts and latency P95 from cube_dlr_hourly and the CDR counts from cube_cdr_mno_hourly, over
// the cube hours starting in [fromMs, toMs). Both cubes are read FINAL (the newest build of
// each row); tombstones (zero rows) drop out of the sums and leave no group of their own.
import { rows, type ClickHouseClient } from './client.js';
import { CUBE_CDR_MNO_HOURLY, CUBE_DLR_HOURLY, LATENCY_QUANTILES } from './ddl/cubes.js';
import { qualified, type Topology } from './ddl/topology.js';
import { sqlDateTime } from './escape.js';

/** What one (mno, direction) carried in the window. Counts as numbers (≪ 2^53 per hour). */
export interface OperatorQualityRow {
  mno: string;
  direction: 'MT' | 'MO';
  dlrs: number;
  delivered: number;
  /** Final DLRs: delivered + failed (contract §3; UNKNOWN is neither). */
  final: number;
  /** P95 of latencyMs over every DLR (any status); null without DLRs. */
  p95LatencyMs: number | null;
  cdrs: number;
  esmeErrors: number;
}

const FAILED = "('FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE')";

/**
 * Reads the window as whole cube hours: `hour >= from AND hour < to`, so an hour counts
 * when it starts inside the window (the caller picks bounds that make that the window it
 * states). Groups with neither a DLR nor a CDR are not returned.
 */
export async function readOperatorQuality(
  ch: ClickHouseClient,
  t: Topology,
  w: { fromMs: number; toMs: number },
): Promise<OperatorQualityRow[]> {
  const hours = `hour >= ${sqlDateTime(w.fromMs)} AND hour < ${sqlDateTime(w.toMs)}`;
  const merge = LATENCY_QUANTILES.replace('(', 'Merge(');
  // Aliases are global on 18.16: none may reuse a column name of either cube.
  const found = await rows<{
    mno: string;
    direction: 'MT' | 'MO';
    nDlrs: string;
    nDelivered: string;
    nFinal: string;
    q: number[];
    nCdrs: string;
    nEsme: string;
  }>(
    ch,
    `SELECT mno, direction, sum(d_n) AS nDlrs, sum(d_ok) AS nDelivered, sum(d_final) AS nFinal,
        ${merge}(d_q) AS q, sum(c_n) AS nCdrs, sum(c_esme) AS nEsme
     FROM (
       SELECT mno, direction, dlrs AS d_n, if(status = 'DELIVERED', dlrs, 0) AS d_ok,
         if(status = 'DELIVERED' OR status IN ${FAILED}, dlrs, 0) AS d_final,
         latencyQuantiles AS d_q, toUInt64(0) AS c_n, toUInt64(0) AS c_esme
       FROM ${qualified(t, CUBE_DLR_HOURLY.name)} FINAL WHERE ${hours} AND dlrs > 0
       UNION ALL
       SELECT mno, direction, toUInt64(0), toUInt64(0), toUInt64(0),
         arrayReduce('${LATENCY_QUANTILES.replace('(', 'State(')}', emptyArrayUInt32()),
         cdrs, esmeErrors
       FROM ${qualified(t, CUBE_CDR_MNO_HOURLY.name)} FINAL WHERE ${hours} AND cdrs > 0
     )
     GROUP BY mno, direction
     ORDER BY mno, direction`,
  );
  return found.map((r) => {
    const dlrs = Number(r.nDlrs);
    return {
      mno: r.mno,
      direction: r.direction,
      dlrs,
      delivered: Number(r.nDelivered),
      final: Number(r.nFinal),
      p95LatencyMs: dlrs > 0 ? Number(r.q[1]) : null,
      cdrs: Number(r.nCdrs),
      esmeErrors: Number(r.nEsme),
    };
  });
}
