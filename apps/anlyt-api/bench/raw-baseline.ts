/**
 * The baseline the API replaces: the platform summary computed ad hoc from raw event rows.
 * bench_raw.billed / bench_raw.dlr hold one row per event over the same 90-day window, the
 * same account and operator id spaces (Zipf-like), 0.3 % refunds and the usual DLR mix. They
 * are UNLOGGED and have no index (none would help a scan of the whole window), so the load
 * is as large as the time budget allows; the query is what an analyst would write.
 */
import type { Sql } from '@anlyt/pg';

export interface RawLoad {
  billedRows: number;
  dlrRows: number;
  bytes: number;
  seconds: number;
}

const CHUNK = 1_000_000;

function chunkSql(
  table: 'billed' | 'dlr',
  t0: string,
  days: number,
  accounts: number,
  ops: number,
) {
  const when = `'${t0}'::timestamptz + random() * interval '${days} days'`;
  const account = `'acc_' || lpad((1 + floor(${accounts} * power(random(), 3)))::int::text, 5, '0')`;
  const operator = `'mno-' || lpad((1 + floor(${ops} * power(random(), 2.5)))::int::text, 3, '0')`;
  return table === 'billed'
    ? `insert into bench_raw.billed
       select gen_random_uuid(), ${when}, ${account}, ${operator},
              case when random() < 0.003 then 'REFUNDED' else 'BILLED' end,
              round((0.25 + random() * 0.6)::numeric, 6)
       from generate_series(1, ${CHUNK})`
    : `insert into bench_raw.dlr
       select gen_random_uuid(), ${when}, ${account}, ${operator},
              case when r < 0.93 then 'DELIVERED' when r < 0.955 then 'FAILED'
                   when r < 0.97 then 'EXPIRED' when r < 0.98 then 'REJECTED'
                   when r < 0.99 then 'UNDELIVERABLE' else 'UNKNOWN' end,
              (300 + 5000 * power(random(), 2))::int
       from (select random() as r from generate_series(1, ${CHUNK})) g`;
}

/**
 * Fills both tables in 1M-row chunks, one of each at a time on two sessions, until
 * `budgetSeconds` has passed (every chunk spans the whole window, so any number of chunks is
 * a uniform sample), then VACUUM ANALYZE so the timed queries do not pay for hint bits.
 */
export async function loadRaw(
  sql: Sql,
  o: { fromMs: number; days: number; accounts: number; operators: number; budgetSeconds: number },
): Promise<RawLoad> {
  const t0 = new Date(o.fromMs).toISOString();
  await sql.unsafe(`
    create schema bench_raw;
    create unlogged table bench_raw.billed (
      event_id uuid not null, occurred_at timestamptz not null, account_id text not null,
      operator_id text not null, status text not null, amount numeric(20, 6) not null);
    create unlogged table bench_raw.dlr (
      event_id uuid not null, occurred_at timestamptz not null, account_id text not null,
      operator_id text not null, delivery_status text not null, latency_ms integer not null)`);
  const start = performance.now();
  const deadline = start + o.budgetSeconds * 1000;
  const [b, d] = [await sql.reserve(), await sql.reserve()];
  let chunks = 0;
  try {
    for (const s of [b, d]) await s.unsafe(`set synchronous_commit = off; set jit = off`);
    const billed = chunkSql('billed', t0, o.days, o.accounts, o.operators);
    const dlr = chunkSql('dlr', t0, o.days, o.accounts, o.operators);
    // One chunk of each at a time, in parallel: equal sizes, both cores busy.
    while (performance.now() < deadline) {
      await Promise.all([b.unsafe(billed), d.unsafe(dlr)]);
      chunks++;
    }
  } finally {
    b.release();
    d.release();
  }
  const billedRows = chunks * CHUNK;
  const dlrRows = chunks * CHUNK;
  await sql.unsafe(`vacuum analyze bench_raw.billed, bench_raw.dlr`);
  const [size] = await sql<{ b: string }[]>`
    select (pg_total_relation_size('bench_raw.billed') + pg_total_relation_size('bench_raw.dlr'))::text as b`;
  return {
    billedRows,
    dlrRows,
    bytes: Number(size!.b),
    seconds: (performance.now() - start) / 1000,
  };
}

export interface AdHocSummary {
  totalMessages: string;
  totalCost: string;
  deliveredMessages: string;
  failedMessages: string;
  activeAccounts: number;
}

/** The summary's totals straight from the raw rows, one round trip. */
export async function adHocSummary(sql: Sql, fromMs: number, toMs: number): Promise<AdHocSummary> {
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const [r] = await sql<AdHocSummary[]>`
    select b.total_messages::text as "totalMessages", b.total_cost::text as "totalCost",
           b.active_accounts::int as "activeAccounts",
           d.delivered::text as "deliveredMessages", d.failed::text as "failedMessages"
    from (
      select count(*) filter (where status = 'BILLED')
               - count(*) filter (where status = 'REFUNDED') as total_messages,
             coalesce(sum(amount) filter (where status = 'BILLED'), 0)
               - coalesce(sum(amount) filter (where status = 'REFUNDED'), 0) as total_cost,
             count(distinct account_id) filter (where status = 'BILLED') as active_accounts
      from bench_raw.billed
      where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
    ) b, (
      select count(*) filter (where delivery_status = 'DELIVERED') as delivered,
             count(*) filter (
               where delivery_status in ('FAILED', 'EXPIRED', 'REJECTED', 'UNDELIVERABLE')) as failed
      from bench_raw.dlr
      where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
    ) d`;
  return r!;
}
