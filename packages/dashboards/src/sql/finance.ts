// The finance dashboard's query (US-ANLYT-18): one row per MNO over the range's UTC days.
import { num, sql, str, type QuerySpec } from '../query-spec.js';
import { DB, FINAL_STATUSES } from './fragments.js';

/**
 * Per MNO: cost per delivered SMS (X), delivery rate (Y) and messages (bubble size), from the
 * daily cubes. Money stays exact Int64 micro-units through every sum; the one division by
 * delivered DLRs (and by 10⁶) happens last, in Float64, for the chart. `totalCost` is the
 * exact sum as a decimal string with 6 places (amounts are never negative), for the table.
 * Messages = CDRs: every message the SMSC handled for the MNO, one CDR each.
 */
export function costVsQualityQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/cost-vs-quality`,
    format: 'table',
    columns: [
      str('mno'),
      num('costPerDeliveredSms'),
      num('deliveryRate'),
      num('messages'),
      num('deliveredDlrs'),
      str('totalCost'),
    ],
    sql: sql`
      SELECT mno,
        if(delivered = 0, NULL, costMicros / (delivered * 1000000)) AS costPerDeliveredSms,
        if(finals = 0, NULL, delivered / finals) AS deliveryRate,
        cdrCount AS messages,
        delivered AS deliveredDlrs,
        concat(toString(intDiv(costMicros, 1000000)), '.',
          substring(toString(1000000 + costMicros % 1000000), 2, 6)) AS totalCost
      FROM (
        SELECT mno, sum(c) AS costMicros, sum(m) AS cdrCount, sum(d) AS delivered, sum(f) AS finals
        FROM (
          SELECT mno, sum(costMicros) AS c, sum(cdrs) AS m, toUInt64(0) AS d, toUInt64(0) AS f
          FROM ${DB}.cube_cdr_daily FINAL
          WHERE $__dateFilter(day) AND cdrs > 0
          GROUP BY mno
          UNION ALL
          SELECT mno, toInt64(0) AS c, toUInt64(0) AS m,
            sumIf(dlrs, status = 'DELIVERED') AS d, sumIf(dlrs, status IN ${FINAL_STATUSES}) AS f
          FROM ${DB}.cube_dlr_daily FINAL
          WHERE $__dateFilter(day) AND dlrs > 0
          GROUP BY mno
        )
        GROUP BY mno
      )
      ORDER BY mno
    `,
  };
}
