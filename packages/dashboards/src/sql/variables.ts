// Queries behind the dashboards' query variables (the first column is the option's value).
import { sql, str, type QuerySpec } from '../query-spec.js';
import { DB } from './fragments.js';

/**
 * MNOs with DLRs or CDRs in the dashboard's range, from the daily cubes (FINAL, tombstones
 * skipped): a few rows per tenant and day, where the facts would be millions.
 */
export function mnoOptionsQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/var/mno`,
    format: 'table',
    columns: [str('mno')],
    sql: sql`
      SELECT mno
      FROM (
        SELECT DISTINCT mno FROM ${DB}.cube_dlr_daily FINAL WHERE $__dateFilter(day) AND dlrs > 0
        UNION ALL
        SELECT DISTINCT mno FROM ${DB}.cube_cdr_daily FINAL WHERE $__dateFilter(day) AND cdrs > 0
      )
      GROUP BY mno
      ORDER BY mno
    `,
  };
}

/**
 * Destination prefixes seen in the last 24 h of the range. Only the facts carry the prefix, so
 * this reads one day of `facts_dlr` (two columns, no FINAL: a copy of an event has its
 * prefix), not the whole range: the prefixes of a route change rarely.
 */
export function prefixOptionsQuery(uid: string): QuerySpec {
  return {
    id: `${uid}/var/prefix`,
    format: 'table',
    columns: [str('destinationPrefix')],
    sql: sql`
      SELECT DISTINCT destinationPrefix
      FROM ${DB}.facts_dlr
      WHERE $__timeFilter(hour) AND hour >= $__toTime - INTERVAL 1 DAY
      ORDER BY destinationPrefix
    `,
  };
}
