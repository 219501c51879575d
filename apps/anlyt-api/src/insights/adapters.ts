/** The insights' ports on ClickHouse (the cubes) and PostgreSQL (labels, addenda); the named
 *  statements live in @anlyt/clickhouse (insights-read.ts) and @anlyt/pg. */
import {
  readCubeWatermark,
  readDataAsOf,
  readTenantCdrMnos,
  readTenantMnoDlrCounts,
  readTenantMnoLatencyP95,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import {
  assignMnoLabels,
  readDataShareAddendum,
  readDataShareAddendumHistory,
  readMnoLabels,
  revokeDataShareAddendum,
  setDataShareAddendum,
  type Sql,
} from '@anlyt/pg';
import type { DataShareAddenda } from './addendum-routes.js';
import { mnoLabel } from './labels.js';
import type {
  AddendumOnRecord,
  InsightsTraffic,
  LabelStore,
  MnoTraffic,
} from './mno-quality.use-case.js';

/** The end of ClickHouse's DateTime (2106-02-07): no fact lies later, and later bounds would
 *  overflow in SQL, so the reads stop at this UTC midnight before it. */
const CLICKHOUSE_END_MS = Date.UTC(2106, 0, 1);

export function clickhouseInsightsTraffic(
  ch: ClickHouseClient,
  t: Topology,
  o: { cubeBuilder: string },
): InsightsTraffic {
  return {
    async mnoTraffic(tenantId, w) {
      const s = { tenantId, fromMs: w.fromMs, toMs: Math.min(w.toMs, CLICKHOUSE_END_MS) };
      if (s.fromMs >= s.toMs) return [];
      const [counts, p95s, cdrMnos] = await Promise.all([
        readTenantMnoDlrCounts(ch, t, s),
        readTenantMnoLatencyP95(ch, t, s),
        readTenantCdrMnos(ch, t, s),
      ]);
      const byMno = new Map<string, MnoTraffic>();
      const of = (mno: string) => {
        let e = byMno.get(mno);
        if (!e) byMno.set(mno, (e = { mno, delivered: 0, failed: 0, p95LatencyMs: null }));
        return e;
      };
      for (const c of counts)
        Object.assign(of(c.mno), { delivered: c.delivered, failed: c.failed });
      for (const p of p95s) of(p.mno).p95LatencyMs = p.p95;
      for (const m of cdrMnos) of(m);
      return [...byMno.values()];
    },
    async dataAsOf() {
      // As the DSL dates a cube answer: the batches whose dirty marks the builder has read.
      const built = await readCubeWatermark(ch, t, o.cubeBuilder);
      const [dlr, cdr] = await Promise.all([
        readDataAsOf(ch, t, 'dlr', built),
        readDataAsOf(ch, t, 'cdr', built),
      ]);
      return { dlr, cdr };
    },
  };
}

export function pgLabelStore(sql: Sql): LabelStore {
  return {
    read: (tenantId, mnos) => readMnoLabels(sql, tenantId, mnos),
    assign: (tenantId, ordered) => assignMnoLabels(sql, tenantId, ordered, mnoLabel),
  };
}

export const pgAddendumOnRecord =
  (sql: Sql): AddendumOnRecord =>
  async (tenantId) =>
    (await readDataShareAddendum(sql, tenantId)) !== null;

export function pgDataShareAddenda(sql: Sql): DataShareAddenda {
  return {
    read: (tenantId) => readDataShareAddendum(sql, tenantId),
    history: (tenantId) => readDataShareAddendumHistory(sql, tenantId),
    set: (a) => setDataShareAddendum(sql, a),
    revoke: (tenantId, actor) => revokeDataShareAddendum(sql, tenantId, actor),
  };
}
