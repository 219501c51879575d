/**
 * Loads a national-size data set straight into the aggregate tables, set-based (one INSERT …
 * SELECT per table from generate_series), the way the consumer would have left them:
 *
 * - ACCOUNT hourly rows: `accounts` accounts, rank r active in an hour with probability
 *   min(1, 8/√r)·diurnal (≈ 3 hours a day on average, the top ~60 every hour), sending
 *   ~60 000/r^0.9·diurnal messages in an active hour; per-account price and delivery rate;
 *   no latency sketch (the consumer keeps none on ACCOUNT rows). Rows are written hour by
 *   hour, so the heap is laid out in time order as the consumer's would be.
 * - PLATFORM hourly rows: the sums of the ACCOUNT rows of each hour, plus a sketch.
 * - OPERATOR hourly rows: each PLATFORM hour split across `operators` operators (Zipf
 *   shares, per-operator delivery quality) by cumulative shares, so counts and costs sum
 *   exactly to PLATFORM; operator_performance copies them and adds ESME error codes.
 * - tps_seconds: PLATFORM for the last two days, the 10 largest operators for the last day,
 *   each hour's seconds summing exactly to its hour; those hours' peak_tps are their max.
 * - updated_at: the end of the hour + 5 min, but at least an hour before the load, so the
 *   rollup that follows (rolled_at = now()) makes every day current (margin 900 s).
 * The daily tables are then filled by the real anlyt-rollup (see api.bench.ts).
 */
import type { Sql } from '@anlyt/pg';

export interface LoadOptions {
  /** Midnight (UTC, ms) of the first day after the data set: the data ends the day before. */
  endMs: number;
  days: number;
  accounts: number;
  operators: number;
  seed: number;
}

export interface Step {
  name: string;
  /** Rows written, for the INSERT/UPDATE steps. */
  rows: number | null;
  seconds: number;
}

const ACCOUNT_ID = (r: string) => `'acc_' || lpad(${r}::text, 5, '0')`;
const OPERATOR_ID = (o: string) => `'mno-' || lpad(${o}::text, 3, '0')`;

export const accountId = (r: number) => `acc_${String(r).padStart(5, '0')}`;
export const operatorId = (o: number) => `mno-${String(o).padStart(3, '0')}`;

/** The statements, in order; each is one set-based statement run on one session. */
function statements(o: LoadOptions): [string, string][] {
  const t1 = new Date(o.endMs).toISOString();
  const t0 = new Date(o.endMs - o.days * 86_400_000).toISOString();
  const hourlyCols = `scope, scope_id, hour, billed_count, refunded_count, total_cost, segments,
    status_delivered, status_failed, status_expired, status_rejected, status_undeliverable,
    status_unknown, latency_sum_ms, latency_count`;
  return [
    [
      'setup',
      `create schema bench_gen;
      create table bench_gen.params as
        select '${t0}'::timestamptz as t0, '${t1}'::timestamptz as t1,
               now() - interval '1 hour' as stamp_cap;
      create table bench_gen.hours as
        select h as hour,
               (0.25 + 1.35 * power(sin(pi() * greatest(0, extract(hour from h) - 5) / 19), 2))
                 * (case when extract(isodow from h) >= 6 then 0.75 else 1 end) as df
        from bench_gen.params p, generate_series(p.t0, p.t1 - interval '1 hour', interval '1 hour') h;
      create table bench_gen.accounts as
        select r, ${ACCOUNT_ID('r')} as id, least(1.0, 8 / sqrt(r)) as p,
               60000 / power(r, 0.9) as base,
               (0.250000 + (r % 53) * 0.011 + (r % 7) * 0.000137)::numeric(20, 6) as price,
               0.86 + 0.12 * random() as dr
        from generate_series(1, ${o.accounts}) r;
      create table bench_gen.operators as
        with w as (
          select o, ${OPERATOR_ID('o')} as id, (1 / power(o, 1.1))::numeric as wb,
                 (0.90 + 0.08 * ((o * 37) % 10) / 10.0)::numeric as q
          from generate_series(1, ${o.operators}) o
        ), c as (
          select o, id,
                 sum(wb) over (order by o) / sum(wb) over () as cb,
                 sum(wb * q) over (order by o) / sum(wb * q) over () as cd,
                 sum(wb * (1.15 - q)) over (order by o) / sum(wb * (1.15 - q)) over () as cf
          from w
        )
        select o, id,
               case when o = ${o.operators} then 1 else round(cb, 20) end as cb,
               coalesce(round(lag(cb) over (order by o), 20), 0) as pb,
               case when o = ${o.operators} then 1 else round(cd, 20) end as cd,
               coalesce(round(lag(cd) over (order by o), 20), 0) as pd,
               case when o = ${o.operators} then 1 else round(cf, 20) end as cf,
               coalesce(round(lag(cf) over (order by o), 20), 0) as pf
        from c;
      -- A DDSketch-keyed latency histogram (keys 330..455 ≈ 0.7..9 s) whose counts sum to c.
      create function bench_gen.sketch(c bigint, k int) returns jsonb
      language sql immutable as $$
        select jsonb_build_object(
          (330 + k)::text, floor(c * 0.05)::bigint,
          (355 + k)::text, floor(c * 0.20)::bigint - floor(c * 0.05)::bigint,
          (375 + k)::text, floor(c * 0.50)::bigint - floor(c * 0.20)::bigint,
          (390 + k)::text, floor(c * 0.75)::bigint - floor(c * 0.50)::bigint,
          (405 + k)::text, floor(c * 0.88)::bigint - floor(c * 0.75)::bigint,
          (425 + k)::text, floor(c * 0.96)::bigint - floor(c * 0.88)::bigint,
          (455 + k)::text, c - floor(c * 0.96)::bigint)
      $$;
      analyze bench_gen.params, bench_gen.hours, bench_gen.accounts, bench_gen.operators;`,
    ],
    [
      'metrics_hourly ACCOUNT',
      `insert into anlyt.metrics_hourly (${hourlyCols}, updated_at)
      select 'ACCOUNT', x.id, x.hour, x.b, x.rf, (x.b - x.rf) * x.price,
             x.b + floor(x.b * 0.12 + random())::bigint, x.dl, x.fa, x.ex, x.rj, x.ud, x.uk,
             (x.dl + x.fa + x.ex + x.rj + x.ud + x.uk) * (1500 + floor(random() * 2000))::bigint,
             x.dl + x.fa + x.ex + x.rj + x.ud + x.uk, least(x.hour + interval '65 minutes', x.cap)
      from (
        select y.*, floor(y.b * y.dr + random())::bigint as dl,
               floor(y.b * 0.022 + random())::bigint as fa, floor(y.b * 0.011 + random())::bigint as ex,
               floor(y.b * 0.004 + random())::bigint as rj, floor(y.b * 0.003 + random())::bigint as ud,
               floor(y.b * 0.005 + random())::bigint as uk, floor(y.b * 0.003 + random())::bigint as rf
        from (
          select h.hour, p.stamp_cap as cap, a.id, a.price, a.dr,
                 greatest(1, round(a.base * h.df * (0.5 + random())))::bigint as b
          from bench_gen.params p, bench_gen.hours h,
               lateral (select * from bench_gen.accounts a where random() < a.p * h.df offset 0) a
        ) y
      ) x`,
    ],
    [
      'metrics_hourly PLATFORM',
      `insert into anlyt.metrics_hourly (${hourlyCols}, latency_sketch, peak_tps, updated_at)
      select 'PLATFORM', '*', hour, sum(billed_count), sum(refunded_count), sum(total_cost),
             sum(segments), sum(status_delivered), sum(status_failed), sum(status_expired),
             sum(status_rejected), sum(status_undeliverable), sum(status_unknown),
             sum(latency_sum_ms), sum(latency_count), bench_gen.sketch(sum(latency_count)::bigint, 0),
             ceil(sum(billed_count) / 3600.0 * (1.8 + 0.6 * random()))::int, max(updated_at)
      from anlyt.metrics_hourly where scope = 'ACCOUNT' group by hour order by hour`,
    ],
    [
      'metrics_hourly OPERATOR',
      `insert into anlyt.metrics_hourly (${hourlyCols}, latency_sketch, peak_tps, updated_at)
      select 'OPERATOR', x.id, x.hour, x.b, x.rf, x.cost, x.seg, x.dl, x.fa, x.ex, x.rj, x.ud, x.uk,
             round(x.lc * x.avg_ms * (0.8 + 0.4 * ((x.o * 13) % 10) / 10.0))::bigint, x.lc,
             bench_gen.sketch(x.lc, x.o % 23 - 8), ceil(x.b / 3600.0 * (2 + random()))::int,
             x.updated_at
      from (
        select z.*, z.dl + z.fa + z.ex + z.rj + z.ud + z.uk as lc from (
          select o.o, o.id, m.hour, m.updated_at,
                 m.latency_sum_ms::float8 / greatest(m.latency_count, 1) as avg_ms,
                 floor(m.billed_count * o.cb)::bigint - floor(m.billed_count * o.pb)::bigint as b,
                 floor(m.refunded_count * o.cb)::bigint - floor(m.refunded_count * o.pb)::bigint as rf,
                 round(m.total_cost * o.cb, 6) - round(m.total_cost * o.pb, 6) as cost,
                 floor(m.segments * o.cb)::bigint - floor(m.segments * o.pb)::bigint as seg,
                 floor(m.status_delivered * o.cd)::bigint - floor(m.status_delivered * o.pd)::bigint as dl,
                 floor(m.status_failed * o.cf)::bigint - floor(m.status_failed * o.pf)::bigint as fa,
                 floor(m.status_expired * o.cf)::bigint - floor(m.status_expired * o.pf)::bigint as ex,
                 floor(m.status_rejected * o.cf)::bigint - floor(m.status_rejected * o.pf)::bigint as rj,
                 floor(m.status_undeliverable * o.cf)::bigint
                   - floor(m.status_undeliverable * o.pf)::bigint as ud,
                 floor(m.status_unknown * o.cb)::bigint - floor(m.status_unknown * o.pb)::bigint as uk
          from anlyt.metrics_hourly m cross join bench_gen.operators o
          where m.scope = 'PLATFORM'
          order by m.hour, o.o
        ) z
      ) x
      where x.b > 0 or x.lc > 0`,
    ],
    [
      'operator_performance',
      `insert into anlyt.operator_performance
        (operator_id, hour, status_delivered, status_failed, status_expired, status_rejected,
         status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch,
         error_codes, updated_at)
      select scope_id, hour, status_delivered, status_failed, status_expired, status_rejected,
             status_undeliverable, status_unknown, latency_sum_ms, latency_count, latency_sketch,
             jsonb_strip_nulls(jsonb_build_object(
               '0x0000000B', nullif(status_rejected, 0),
               '0x00000045', nullif(status_failed - status_failed / 3, 0),
               '0x00000058', nullif(status_failed / 3, 0),
               '0x00000061', nullif(status_undeliverable, 0))),
             updated_at
      from anlyt.metrics_hourly where scope = 'OPERATOR' order by hour, scope_id`,
    ],
    [
      'tps_seconds',
      // count(s) = floor(B·F(s+1)) − floor(B·F(s)) for a monotone F with F(0)=0, F(3600)=1:
      // uneven seconds that sum exactly to the hour's billed count.
      `insert into anlyt.tps_seconds (scope, scope_id, second, billed_count)
      select scope, scope_id, second, n from (
        select scope, scope_id, hour + make_interval(secs => s) as second,
               (case when s = 3599 then b else floor(b * f1)::bigint end) - floor(b * f0)::bigint as n
        from (
          select m.scope, m.scope_id, m.hour, m.b, s,
                 s / 3600.0 + 0.3 * (sin(2 * pi() * 3 * s / 3600.0 + ph) - sin(ph)) / (2 * pi() * 3)
                   + 0.2 * (sin(2 * pi() * 7 * s / 3600.0 + 2 * ph) - sin(2 * ph)) / (2 * pi() * 7) as f0,
                 (s + 1) / 3600.0
                   + 0.3 * (sin(2 * pi() * 3 * (s + 1) / 3600.0 + ph) - sin(ph)) / (2 * pi() * 3)
                   + 0.2 * (sin(2 * pi() * 7 * (s + 1) / 3600.0 + 2 * ph) - sin(2 * ph)) / (2 * pi() * 7) as f1
          from (
            select m.scope, m.scope_id, m.hour, m.billed_count as b,
                   (extract(epoch from m.hour) / 3600 + length(m.scope_id))::float8 * 1.7 as ph
            from anlyt.metrics_hourly m, bench_gen.params p
            where (m.scope = 'PLATFORM' and m.hour >= p.t1 - interval '2 days')
               or (m.scope = 'OPERATOR' and m.scope_id <= ${OPERATOR_ID('10')}
                   and m.hour >= p.t1 - interval '1 day')
          ) m, generate_series(0, 3599) s
          order by m.hour, s, m.scope_id
        ) x
      ) y where n > 0`,
    ],
    [
      'peak_tps from tps_seconds',
      `update anlyt.metrics_hourly m set peak_tps = t.peak
      from (select scope, scope_id, date_trunc('hour', second, 'UTC') as hour, max(billed_count) as peak
            from anlyt.tps_seconds group by 1, 2, 3) t
      where m.scope = t.scope and m.scope_id = t.scope_id and m.hour = t.hour`,
    ],
    [
      'tps_minutes from tps_seconds',
      `insert into anlyt.tps_minutes (scope, scope_id, minute, billed_count, peak_tps)
      select scope, scope_id, date_trunc('minute', second, 'UTC'), sum(billed_count), max(billed_count)
      from anlyt.tps_seconds group by 1, 2, 3`,
    ],
    [
      // What the consumer's bucket upserts keep (one fold per event), for the answer cache.
      'day_versions',
      `insert into anlyt.day_versions (day, folds, updated_at)
      select (hour at time zone 'UTC')::date,
             sum(billed_count + refunded_count + status_delivered + status_failed + status_expired
                 + status_rejected + status_undeliverable + status_unknown),
             max(updated_at)
      from anlyt.metrics_hourly where scope = 'PLATFORM' group by 1`,
    ],
    ['drop generator', `drop schema bench_gen cascade`],
  ];
}

/** Runs the load on one reserved session (seeded random(), bulk-load settings). */
export async function loadAggregates(
  sql: Sql,
  o: LoadOptions,
  onStep: (s: Step) => void,
): Promise<void> {
  const s = await sql.reserve();
  try {
    await s.unsafe(`set work_mem = '256MB'; set synchronous_commit = off; set jit = off`);
    await s`select setseed(${o.seed})`;
    for (const [name, text] of statements(o)) {
      const t = performance.now();
      const r = await s.unsafe(text);
      const rows = /^\s*(insert|update)/.test(text) ? r.count : null;
      onStep({ name, rows, seconds: (performance.now() - t) / 1000 });
    }
  } finally {
    s.release();
  }
}

/** The watermarks the consumer would have left: the last events just before midnight. */
export async function writeWatermarks(sql: Sql, endMs: number): Promise<void> {
  await sql`
    insert into anlyt.watermarks (projection, data_as_of, updated_at) values
      ('billing', ${new Date(endMs - 127).toISOString()}::timestamptz, now()),
      ('dlr', ${new Date(endMs - 1385).toISOString()}::timestamptz, now())`;
}

/** Row counts of every table the API reads, for the report. */
export async function tableCounts(sql: Sql): Promise<Record<string, number>> {
  const rows = await sql<{ t: string; n: number }[]>`
    select 'metrics_hourly ' || scope as t, count(*)::int as n from anlyt.metrics_hourly group by scope
    union all select 'metrics_daily ' || scope, count(*)::int from anlyt.metrics_daily group by scope
    union all select 'operator_performance', count(*)::int from anlyt.operator_performance
    union all select 'operator_performance_daily', count(*)::int from anlyt.operator_performance_daily
    union all select 'tps_seconds ' || scope, count(*)::int from anlyt.tps_seconds group by scope
    union all select 'rollup_days', count(*)::int from anlyt.rollup_days
    union all select 'watermarks', count(*)::int from anlyt.watermarks
    order by 1`;
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** How many of the window's days the API will read from metrics_daily (the "current" rule). */
export async function currentDays(
  sql: Sql,
  days: readonly string[],
  marginSeconds: number,
): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    select count(*)::int as n
    from unnest(${days as string[]}::date[]) d(day)
    join anlyt.rollup_days r on r.day = d.day
    where not exists (
      select 1 from anlyt.metrics_hourly h
      where h.scope = 'PLATFORM'
        and h.hour >= d.day::timestamp at time zone 'UTC'
        and h.hour < (d.day + 1)::timestamp at time zone 'UTC'
        and h.updated_at > r.rolled_at - make_interval(secs => ${marginSeconds}))`;
  return r!.n;
}
