// The NOC dashboard's queries (US-ANLYT-16): one MNO per repeated row (`${mno}` is that row's
// MNO), all tenants together. Hourly cubes where they can answer; the facts (FINAL, by hour)
// where only they can: a chosen destination prefix, ESME error codes, per-second rates.
import { num, sql, str, time, type QuerySpec } from '../query-spec.js';
import {
  bucket,
  DB,
  FINAL_STATUSES,
  LANE_FILTER,
  MNO_FILTER,
  NO_PREFIX,
  PREFIX_CHOSEN,
  PREFIX_FILTER,
  quoted,
} from './fragments.js';

export const LANES = ['TRANSACTIONAL', 'PROMOTIONAL', 'OTP'] as const;

/**
 * DELIVERED / final DLRs per interval (≥ 1 h), null when no final DLR. No prefix chosen:
 * `cube_dlr_hourly` (tombstones skipped); prefixes chosen: `facts_dlr` FINAL. Both branches
 * cut by `hour`, so they agree to the DLR.
 */
export function deliveryRateQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/delivery-rate`,
    format: 'timeseries',
    columns: [time('time'), num('deliveryRate'), num('finalDlrs')],
    sql: sql`
      SELECT t AS time, if(f = 0, NULL, d / f) AS deliveryRate, f AS finalDlrs
      FROM (
        SELECT ${bucket('hour')} AS t,
          sumIf(dlrs, status = 'DELIVERED') AS d, sumIf(dlrs, status IN ${FINAL_STATUSES}) AS f
        FROM ${DB}.cube_dlr_hourly FINAL
        WHERE ${NO_PREFIX} AND $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER} AND dlrs > 0
        GROUP BY t
        UNION ALL
        SELECT ${bucket('hour')} AS t,
          countIf(status = 'DELIVERED') AS d, countIf(status IN ${FINAL_STATUSES}) AS f
        FROM ${DB}.facts_dlr FINAL
        WHERE ${PREFIX_CHOSEN} AND $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER}
        GROUP BY t
      )
      ORDER BY time
    `,
  };
}

const laneP95FromCube = (lane: string) =>
  `if(sumIf(dlrs, lane = '${lane}') = 0, NULL, toFloat64(quantilesTDigestMergeIf(0.5, 0.95, 0.99)(latencyQuantiles, lane = '${lane}')[2])) AS ${lane}`;
const laneP95FromFacts = (lane: string) =>
  `if(countIf(lane = '${lane}') = 0, NULL, toFloat64(quantilesTDigestIf(0.5, 0.95, 0.99)(latencyMs, lane = '${lane}')[2])) AS ${lane}`;

/**
 * The heatmap's cells: DLR latency P95 (ms, any status) per interval (x) and lane (y, one
 * column per lane: the heatmap's "rows" layout). From the hourly cube's t-digest states,
 * merged per cell (never an average of P95s), or from the facts' latencies when prefixes are
 * chosen. A lane the lane filter leaves out, or without DLRs, is null (an empty cell).
 */
export function latencyP95HeatmapQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/latency-p95`,
    format: 'table',
    columns: [time('time'), ...LANES.map(num)],
    sql: sql`
      SELECT t AS time, ${LANES.join(', ')}
      FROM (
        SELECT ${bucket('hour')} AS t,
          ${LANES.map(laneP95FromCube).join(',\n          ')}
        FROM ${DB}.cube_dlr_hourly FINAL
        WHERE ${NO_PREFIX} AND $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER} AND dlrs > 0
        GROUP BY t
        UNION ALL
        SELECT ${bucket('hour')} AS t,
          ${LANES.map(laneP95FromFacts).join(',\n          ')}
        FROM ${DB}.facts_dlr FINAL
        WHERE ${PREFIX_CHOSEN} AND $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER}
        GROUP BY t
      )
      ORDER BY time
    `,
  };
}

/**
 * CDRs with an ESME error code per interval (≥ 1 h) and code, in long form (the plugin pivots
 * it to one series per code for the stacked bars). Only the facts have the code.
 */
export function esmeErrorsQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/esme-errors`,
    format: 'timeseries',
    columns: [time('time'), str('code'), num('errors')],
    sql: sql`
      SELECT ${bucket('hour')} AS time, assumeNotNull(esmeErrorCode) AS code, count() AS errors
      FROM ${DB}.facts_cdr FINAL
      WHERE $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER} AND ${PREFIX_FILTER}
        AND esmeErrorCode IS NOT NULL
      GROUP BY time, code
      ORDER BY time, code
    `,
  };
}

/**
 * The busiest second of each interval (≥ 1 min): submit_sm PDUs per second towards the MNO
 * (Σ segments of MT CDRs; a BLOCKED CDR was never sent), and that peak over the bind's
 * capacity (`${tps_capacity}`, a text variable; not a number → null).
 */
export function tpsUtilisationQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/tps-utilisation`,
    format: 'table',
    columns: [time('time'), num('utilisation'), num('peakTps')],
    sql: sql`
      WITH toFloat64OrZero(${quoted('tps_capacity')}) AS capacity
      SELECT t AS time, if(capacity = 0, NULL, max(n) / capacity) AS utilisation, max(n) AS peakTps
      FROM (
        SELECT ${bucket('intDiv(occurredAtMs, 1000)')} AS t, intDiv(occurredAtMs, 1000) AS sec,
          sum(segments) AS n
        FROM ${DB}.facts_cdr FINAL
        WHERE $__timeFilter(hour) AND ${MNO_FILTER} AND ${LANE_FILTER} AND ${PREFIX_FILTER}
          AND direction = 'MT' AND verdict != 'BLOCKED'
        GROUP BY t, sec
      )
      GROUP BY t
      ORDER BY time
    `,
  };
}
