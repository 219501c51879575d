/**
 * Hourly rows written straight into the tables the rollup reads (the consumer's own tests
 * cover how they get there), and a deliberately naive oracle of the daily rows.
 */
import fc from 'fast-check';
import type { Sql } from '@anlyt/pg';

export interface HourRow {
  scope: 'PLATFORM' | 'OPERATOR' | 'ACCOUNT';
  scopeId: string;
  hour: string; // ISO, UTC hour start
  billed: number;
  refunded: number;
  costMicros: bigint;
  segments: number;
  status: [number, number, number, number, number, number]; // delivered, failed, expired, rejected, undeliverable, unknown
  latencySum: number;
  latencyCount: number;
  sketch: Record<string, number>;
  peakTps: number;
  errorCodes: Record<string, number>; // operator rows only
}

const DAYS = ['2026-11-26', '2026-11-27', '2026-11-28'];
const counts = (keys: string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.integer({ min: 1, max: 5000 }), { maxKeys: 6 });

export const hourRow: fc.Arbitrary<HourRow> = fc
  .record({
    scope: fc.constantFrom('PLATFORM', 'OPERATOR', 'ACCOUNT'),
    scopeN: fc.integer({ min: 0, max: 3 }),
    day: fc.constantFrom(...DAYS),
    h: fc.constantFrom(0, 1, 12, 22, 23),
    billed: fc.integer({ min: 0, max: 100_000 }),
    refunded: fc.integer({ min: 0, max: 1000 }),
    costMicros: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 15n }),
    segments: fc.integer({ min: -100, max: 200_000 }),
    status: fc.tuple(
      ...Array.from({ length: 6 }, () => fc.integer({ min: 0, max: 50_000 })),
    ) as fc.Arbitrary<HourRow['status']>,
    latencySum: fc.integer({ min: 0, max: 2 ** 40 }),
    latencyCount: fc.integer({ min: 0, max: 100_000 }),
    sketch: counts(['-1000000', '0', '1', '350', '351', '700', '1011']),
    peakTps: fc.integer({ min: 0, max: 20_000 }),
    errorCodes: counts(['0x00000045', '0x0000000B', 'E1']),
  })
  .map(({ scope, scopeN, day, h, ...m }) => ({
    ...m,
    scope: scope as HourRow['scope'],
    scopeId: scope === 'PLATFORM' ? '*' : `${scope === 'OPERATOR' ? 'op' : 'acc'}_${scopeN}`,
    hour: `${day}T${String(h).padStart(2, '0')}:00:00.000Z`,
  }));

/**
 * Distinct keys: one row per (scope, scopeId, hour), as the table's primary key requires; and,
 * as the consumer guarantees (every event updates its hour's PLATFORM row), a PLATFORM row in
 * every hour that has any row.
 */
export const hourRows = fc
  .uniqueArray(hourRow, {
    selector: (r) => `${r.scope}|${r.scopeId}|${r.hour}`,
    minLength: 1,
    maxLength: 60,
  })
  .map((rows) => {
    const platformHours = new Set(rows.filter((r) => r.scope === 'PLATFORM').map((r) => r.hour));
    const missing = [...new Set(rows.map((r) => r.hour))].filter((h) => !platformHours.has(h));
    return [...rows, ...missing.map((hour) => emptyRow('PLATFORM', '*', hour))];
  });

function emptyRow(scope: HourRow['scope'], scopeId: string, hour: string): HourRow {
  const zero = [0, 0, 0, 0, 0, 0] as HourRow['status'];
  return {
    scope,
    scopeId,
    hour,
    billed: 0,
    refunded: 0,
    costMicros: 0n,
    segments: 0,
    status: zero,
    latencySum: 0,
    latencyCount: 0,
    sketch: {},
    peakTps: 0,
    errorCodes: {},
  };
}

const micros = (m: bigint) => {
  const sign = m < 0n ? '-' : '';
  const a = m < 0n ? -m : m;
  return `${sign}${a / 1_000_000n}.${String(a % 1_000_000n).padStart(6, '0')}`;
};

export async function insertHourly(sql: Sql, rows: readonly HourRow[]): Promise<void> {
  for (const r of rows) {
    await sql`
      insert into anlyt.metrics_hourly (scope, scope_id, hour, billed_count, refunded_count,
        total_cost, segments, status_delivered, status_failed, status_expired, status_rejected,
        status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch, peak_tps)
      values (${r.scope}, ${r.scopeId}, ${r.hour}, ${r.billed}, ${r.refunded}, ${micros(r.costMicros)},
        ${r.segments}, ${r.status[0]}, ${r.status[1]}, ${r.status[2]}, ${r.status[3]}, ${r.status[4]},
        ${r.status[5]}, ${r.latencySum}, ${r.latencyCount}, ${sql.json(r.sketch)}, ${r.peakTps})`;
    if (r.scope === 'OPERATOR') {
      await sql`
        insert into anlyt.operator_performance (operator_id, hour, status_delivered, status_failed,
          status_expired, status_rejected, status_undeliverable, status_unknown, latency_sum_ms,
          latency_count, latency_sketch, error_codes)
        values (${r.scopeId}, ${r.hour}, ${r.status[0]}, ${r.status[1]}, ${r.status[2]}, ${r.status[3]},
          ${r.status[4]}, ${r.status[5]}, ${r.latencySum}, ${r.latencyCount}, ${sql.json(r.sketch)},
          ${sql.json(r.errorCodes)})`;
    }
  }
}

type Daily = Record<string, string | Record<string, number>>;

const addCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** metrics_daily as it must be: every measure summed per (scope, scopeId, UTC day), peak = max. */
export function oracleDaily(rows: readonly HourRow[]): Map<string, Daily> {
  const acc = new Map<string, HourRow & { day: string }>();
  for (const r of rows) {
    const day = r.hour.slice(0, 10);
    const key = `${r.scope}|${r.scopeId}|${day}`;
    const a = acc.get(key);
    if (!a) {
      acc.set(key, { ...r, day, status: [...r.status] as HourRow['status'] });
      continue;
    }
    a.billed += r.billed;
    a.refunded += r.refunded;
    a.costMicros += r.costMicros;
    a.segments += r.segments;
    r.status.forEach((v, i) => (a.status[i]! += v));
    a.latencySum += r.latencySum;
    a.latencyCount += r.latencyCount;
    a.sketch = addCounts(a.sketch, r.sketch);
    a.errorCodes = addCounts(a.errorCodes, r.errorCodes);
    a.peakTps = Math.max(a.peakTps, r.peakTps);
  }
  const out = new Map<string, Daily>();
  for (const [key, a] of acc) {
    out.set(key, {
      billed_count: String(a.billed),
      refunded_count: String(a.refunded),
      total_messages: String(a.billed - a.refunded),
      total_cost: micros(a.costMicros),
      segments: String(a.segments),
      delivered_messages: String(a.status[0]),
      failed_messages: String(a.status[1] + a.status[2] + a.status[3] + a.status[4]),
      status_unknown: String(a.status[5]),
      latency_sum_ms: String(a.latencySum),
      latency_count: String(a.latencyCount),
      latency_sketch: a.sketch,
      peak_tps: String(a.peakTps),
    });
  }
  return out;
}

/** operator_performance_daily as it must be. */
export function oracleOperatorDaily(rows: readonly HourRow[]): Map<string, Daily> {
  const ops = rows.filter((r) => r.scope === 'OPERATOR');
  const out = new Map<string, Daily>();
  for (const [key, d] of oracleDaily(ops)) {
    const [, id, day] = key.split('|');
    const codes = ops
      .filter((r) => r.scopeId === id && r.hour.startsWith(day!))
      .reduce((c, r) => addCounts(c, r.errorCodes), {} as Record<string, number>);
    out.set(`${id}|${day}`, {
      delivered_messages: d['delivered_messages']!,
      failed_messages: d['failed_messages']!,
      latency_count: d['latency_count']!,
      latency_sketch: d['latency_sketch']!,
      error_codes: codes,
    });
  }
  return out;
}

export async function readDaily(sql: Sql): Promise<Map<string, Daily>> {
  const rows = await sql<Record<string, string>[]>`
    select scope, scope_id, day::text, billed_count::text, refunded_count::text,
      total_messages::text, total_cost::text, segments::text, delivered_messages::text,
      failed_messages::text, status_unknown::text, latency_sum_ms::text, latency_count::text,
      latency_sketch, peak_tps::text
    from anlyt.metrics_daily`;
  return new Map(rows.map(({ scope, scope_id, day, ...m }) => [`${scope}|${scope_id}|${day}`, m]));
}

export async function readOperatorDaily(sql: Sql): Promise<Map<string, Daily>> {
  const rows = await sql<Record<string, string>[]>`
    select operator_id, day::text, delivered_messages::text, failed_messages::text,
      latency_count::text, latency_sketch, error_codes
    from anlyt.operator_performance_daily`;
  return new Map(rows.map(({ operator_id, day, ...m }) => [`${operator_id}|${day}`, m]));
}
