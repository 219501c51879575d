/**
 * DLR counts per status over a planned window (US-ANLYT-07): the PLATFORM row (all DLRs) and
 * one row per operator that has at least one DLR in the window. Whole days come from
 * metrics_daily while current, everything else from metrics_hourly (see window-totals.ts).
 */
import type { Sql } from '../client.js';
import { rangesCte, type WindowQuery } from './window-totals.js';

export interface StatusCounts {
  delivered: string;
  failed: string;
  expired: string;
  rejected: string;
  undeliverable: string;
  unknown: string;
}

export interface DeliveryBreakdown {
  platform: StatusCounts;
  /** Operators with at least one DLR in the window, in no particular order. */
  operators: (StatusCounts & { operatorId: string })[];
}

type Row = StatusCounts & { scope: 'PLATFORM' | 'OPERATOR'; scopeId: string };

const ZERO: StatusCounts = {
  delivered: '0',
  failed: '0',
  expired: '0',
  rejected: '0',
  undeliverable: '0',
  unknown: '0',
};

export async function readDeliveryBreakdown(
  sql: Sql,
  q: Omit<WindowQuery, 'scope' | 'scopeId'>,
): Promise<DeliveryBreakdown> {
  const rows = await sql<Row[]>`
    with ${rangesCte(sql, q)},
    picked as (
      select scope, scope_id, status_delivered, status_failed, status_expired, status_rejected,
             status_undeliverable, status_unknown
      from anlyt.metrics_daily
      where scope in ('PLATFORM', 'OPERATOR') and day in (select day from current_days)
      union all
      select m.scope, m.scope_id, m.status_delivered, m.status_failed, m.status_expired,
             m.status_rejected, m.status_undeliverable, m.status_unknown
      from hour_ranges r cross join lateral (
        select * from anlyt.metrics_hourly h
        where h.scope in ('PLATFORM', 'OPERATOR') and h.hour >= r.f and h.hour < r.t
        offset 0 -- see HOURLY BRANCHES in window-totals.ts
      ) m
    )
    select scope, scope_id as "scopeId",
           sum(status_delivered)::text as delivered, sum(status_failed)::text as failed,
           sum(status_expired)::text as expired, sum(status_rejected)::text as rejected,
           sum(status_undeliverable)::text as undeliverable, sum(status_unknown)::text as unknown
    from picked
    group by scope, scope_id
    having sum(status_delivered + status_failed + status_expired + status_rejected
               + status_undeliverable + status_unknown) > 0`;
  let platform = ZERO;
  const operators: DeliveryBreakdown['operators'] = [];
  for (const { scope, scopeId, ...counts } of rows) {
    if (scope === 'PLATFORM') platform = counts;
    else operators.push({ operatorId: scopeId, ...counts });
  }
  return { platform, operators };
}
