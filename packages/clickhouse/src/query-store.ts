// Reads and writes of the query DSL (contract §6.2): one named function per statement. The
// DSL's own SELECT is shaped by @anlyt/query's planner; this file only runs it.
import type { Readable } from 'node:stream';
import { exec, rows, type ClickHouseClient } from './client.js';
import { INGEST_WATERMARK, QUERY_RESULTS } from './ddl/query.js';
import { qualified, type Topology } from './ddl/topology.js';
import { sqlDateTime, sqlString, sqlUInt } from './escape.js';
import type { FactSource } from './facts.js';

/** Settings of every DSL statement: bounded time, and the log entry a fuzz test reads. */
export interface DslSettings {
  maxExecutionTimeS: number;
}

/** Streams the rows of a planner-shaped SELECT (JSONEachRow objects, one at a time). */
export async function* streamDslRows(
  ch: ClickHouseClient,
  sql: string,
  s: DslSettings,
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  const rs = await ch.query({
    query: sql,
    format: 'JSONEachRow',
    clickhouse_settings: { max_execution_time: s.maxExecutionTimeS, log_queries: 1 },
    ...(signal ? { abort_signal: signal } : {}),
  });
  for await (const batch of rs.stream<Record<string, unknown>>())
    for (const r of batch) yield r.json<Record<string, unknown>>();
}

/** Stores a result's rows ({resultId, rowNo from 1, row: JSON text}) as one streamed INSERT. */
export async function insertQueryResult(
  ch: ClickHouseClient,
  t: Topology,
  rowsJson: Readable,
): Promise<void> {
  await ch.insert({
    table: qualified(t, QUERY_RESULTS.name),
    values: rowsJson,
    format: 'JSONEachRow',
    columns: ['resultId', 'rowNo', 'row'],
  });
}

/** Rows afterRow+1 … afterRow+count of a stored result, in order, as their JSON texts. */
export async function readQueryResultPage(
  ch: ClickHouseClient,
  t: Topology,
  resultId: string,
  afterRow: number,
  count: number,
): Promise<string[]> {
  const found = await rows<{ row: string }>(
    ch,
    `SELECT row FROM ${qualified(t, QUERY_RESULTS.name)}
     WHERE resultId = ${sqlString(resultId)} AND rowNo > ${sqlUInt(afterRow)}
     ORDER BY rowNo LIMIT ${sqlUInt(count)}`,
  );
  return found.map((r) => r.row);
}

/** Drops the stored results of UTC days before `dayMs` (whole partitions: cheap). */
export async function dropQueryResultsBefore(
  ch: ClickHouseClient,
  t: Topology,
  dayMs: number,
): Promise<number> {
  const day = Number(new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', ''));
  const parts = await rows<{ partition: string }>(
    ch,
    `SELECT DISTINCT partition FROM system.parts
     WHERE database = ${sqlString(t.database)} AND table = ${sqlString(QUERY_RESULTS.name)} AND active`,
  );
  const old = parts.map((p) => p.partition).filter((p) => /^\d{8}$/.test(p) && Number(p) < day);
  for (const p of old)
    await exec(
      ch,
      `ALTER TABLE ${qualified(t, QUERY_RESULTS.name)} DROP PARTITION ${sqlUInt(Number(p))}`,
    );
  return old.length;
}

/** After a batch: the largest occurredAt its facts reached. */
export async function writeIngestWatermark(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  maxOccurredAtMs: number,
): Promise<void> {
  await exec(
    ch,
    `INSERT INTO ${qualified(t, INGEST_WATERMARK.name)} (source, maxOccurredAtMs)
     VALUES (${sqlString(source)}, ${sqlUInt(maxOccurredAtMs)})`,
  );
}

/**
 * The largest occurredAt in a source's facts (upToS: only batches written by then, epoch s;
 * the cube builder's watermark for the cubes). Null before the first batch. Read from the
 * last two days of batches (an index range), all of them only when those are none.
 */
export async function readDataAsOf(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  upToS?: number,
): Promise<number | null> {
  const end = upToS === undefined ? 'now()' : sqlDateTime(upToS * 1000);
  const recent = await dataAsOfWhere(
    ch,
    t,
    source,
    `markedAt <= ${end} AND markedAt >= ${end} - 172800`,
  );
  return recent ?? dataAsOfWhere(ch, t, source, `markedAt <= ${end}`);
}

async function dataAsOfWhere(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  condition: string,
): Promise<number | null> {
  const [r] = await rows<{ n: string; ms: string }>(
    ch,
    `SELECT count() AS n, max(maxOccurredAtMs) AS ms FROM ${qualified(t, INGEST_WATERMARK.name)}
     WHERE source = ${sqlString(source)} AND ${condition}`,
  );
  return r === undefined || r.n === '0' ? null : Number(r.ms);
}
