// The statements of a cube rebuild: one UTC day of one cube, from the deduplicated facts
// (FINAL applies ReplacingMergeTree's rule — one row per event, the lowest stream sequence —
// even to parts not merged yet), written as build `version` of every row of the day, with a
// zero tombstone (version − 1) for every row the cube had: a row the new build lacks keeps
// the tombstone, every other row the new build. One INSERT, so a reader of `FINAL` sees the
// day before or after (a crash in between at worst leaves the day to the next pass, whose
// mark is still unbuilt).
import { exec, rows, type ClickHouseClient } from './client.js';
import {
  CUBE_CDR_DAILY,
  CUBE_CDR_MNO_HOURLY,
  CUBE_COMPLIANCE_HOURLY,
  CUBE_DIRTY,
  CUBE_DLR_DAILY,
  CUBE_DLR_HOURLY,
  CUBE_DLR_LATENCY_DAILY,
  CUBE_WATERMARK,
  LATENCY_QUANTILES,
} from './ddl/cubes.js';
import { FACTS_CDR, FACTS_DLR } from './ddl/facts.js';
import { qualified, type TableSpec, type Topology } from './ddl/topology.js';
import { sqlDate, sqlDateTime, sqlString, sqlUInt } from './escape.js';
import type { FactSource } from './facts.js';

const DAY_MS = 86_400_000;

interface CubeRecipe {
  spec: TableSpec;
  /** What `$FROM` is: the source's facts, or a cube built before this one in the same pass. */
  from?: TableSpec;
  /** The cube's key columns, in table order. */
  keys: string;
  /** The time column the day is cut by. */
  time: 'hour' | 'day';
  /** The day's rows from the facts ($FROM, $DAY_START, $DAY_END filled in): keys, measures. */
  select: string;
  /** The measures of a tombstone, in table order. */
  zeros: string;
  /** True for a row that counts something (not a tombstone). */
  live: string;
  /** The keys to tombstone, when not the cube's own live rows of the day (read FINAL). */
  tombstoneKeys?: string;
}

const DLR_HOURLY: CubeRecipe = {
  spec: CUBE_DLR_HOURLY,
  keys: 'hour, tenantId, mno, status, lane, direction',
  time: 'hour',
  select: `SELECT hour, tenantId, mno, status, lane, direction,
      count(), sum(latencyMs), ${LATENCY_QUANTILES.replace('(', 'State(')}(latencyMs)
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END
    GROUP BY hour, tenantId, mno, status, lane, direction`,
  live: 'dlrs > 0',
  zeros: `toUInt64(0), toUInt64(0), arrayReduce('${LATENCY_QUANTILES.replace('(', 'State(')}', emptyArrayUInt32())`,
};

/**
 * Derived from the hourly cube's rows of the day, just rebuilt on the same connection. Its
 * tombstones: every daily key the hourly cube has ever held for the day (any version, so no
 * FINAL) — a superset of the daily cube's live keys, since each of those came from an hourly
 * row and a cube row is never deleted, only superseded. Reading the daily cube's own rows of
 * the day instead would scan its whole month partition (it is ordered by tenant first).
 */
const DLR_DAILY: CubeRecipe = {
  spec: CUBE_DLR_DAILY,
  from: CUBE_DLR_HOURLY,
  keys: 'day, tenantId, mno, status, lane, direction',
  time: 'day',
  select: `SELECT toDate(hour) AS day, tenantId, mno, status, lane, direction,
      sum(dlrs), sum(latencySumMs)
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END AND dlrs > 0
    GROUP BY day, tenantId, mno, status, lane, direction`,
  live: 'dlrs > 0',
  zeros: 'toUInt64(0), toUInt64(0)',
  tombstoneKeys: `SELECT DISTINCT toDate(hour) AS day, tenantId, mno, status, lane, direction
    FROM $FROM WHERE hour >= $DAY_START AND hour < $DAY_END`,
};

/** Derived like DLR_DAILY, by (day, tenant) only, with the t-digest states merged. */
const DLR_LATENCY_DAILY: CubeRecipe = {
  spec: CUBE_DLR_LATENCY_DAILY,
  from: CUBE_DLR_HOURLY,
  keys: 'day, tenantId',
  time: 'day',
  select: `SELECT toDate(hour) AS day, tenantId, sum(dlrs), sum(latencySumMs),
      ${LATENCY_QUANTILES.replace('(', 'MergeState(')}(latencyQuantiles)
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END AND dlrs > 0
    GROUP BY day, tenantId`,
  live: 'dlrs > 0',
  zeros: DLR_HOURLY.zeros,
  tombstoneKeys: `SELECT DISTINCT toDate(hour) AS day, tenantId
    FROM $FROM WHERE hour >= $DAY_START AND hour < $DAY_END`,
};

/** The cubes derived from another cube rather than from the facts. */
const DERIVED = [DLR_DAILY, DLR_LATENCY_DAILY];

const CDR_DAILY: CubeRecipe = {
  spec: CUBE_CDR_DAILY,
  keys: 'day, tenantId, mno, submitStatus, lane, direction',
  time: 'day',
  select: `SELECT toDate(hour) AS day, tenantId, mno, submitStatus, lane, direction,
      count(), sum(toUInt64(segments)), sum(amountMicros), countIf(esmeErrorCode IS NOT NULL)
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END
    GROUP BY day, tenantId, mno, submitStatus, lane, direction`,
  live: 'cdrs > 0',
  zeros: 'toUInt64(0), toUInt64(0), toInt64(0), toUInt64(0)',
};

/** Tenant-less, by hour: the quality publisher's esmeErrorRate (ddl/cubes.ts). */
const CDR_MNO_HOURLY: CubeRecipe = {
  spec: CUBE_CDR_MNO_HOURLY,
  keys: 'hour, mno, direction',
  time: 'hour',
  select: `SELECT hour, mno, direction, count(), countIf(esmeErrorCode IS NOT NULL)
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END
    GROUP BY hour, mno, direction`,
  live: 'cdrs > 0',
  zeros: 'toUInt64(0), toUInt64(0)',
};

const COMPLIANCE_HOURLY: CubeRecipe = {
  spec: CUBE_COMPLIANCE_HOURLY,
  keys: 'hour, tenantId, mno, verdict, rule, lane, direction',
  time: 'hour',
  select: `SELECT hour, tenantId, mno, verdict, ifNull(rule, '') AS rule, lane, direction, count()
    FROM $FROM FINAL WHERE hour >= $DAY_START AND hour < $DAY_END
    GROUP BY hour, tenantId, mno, verdict, rule, lane, direction`,
  live: 'checked > 0',
  zeros: 'toUInt64(0)',
};

/** Which cubes a source's facts feed, and the facts table they read. */
export const CUBES_OF: Record<FactSource, { facts: string; cubes: CubeRecipe[] }> = {
  dlr: { facts: FACTS_DLR.name, cubes: [DLR_HOURLY, ...DERIVED] },
  cdr: { facts: FACTS_CDR.name, cubes: [CDR_DAILY, COMPLIANCE_HOURLY, CDR_MNO_HOURLY] },
};

export const CUBE_NAMES = [
  CUBE_DLR_HOURLY.name,
  CUBE_DLR_DAILY.name,
  CUBE_DLR_LATENCY_DAILY.name,
  CUBE_CDR_DAILY.name,
  CUBE_COMPLIANCE_HOURLY.name,
  CUBE_CDR_MNO_HOURLY.name,
];

/**
 * Rebuilds every cube the source feeds for the UTC day starting at dayMs, as build `version`
 * (> 1, and greater than any earlier build of the day: the builder uses its clock in ms).
 */
export async function rebuildCubeDay(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  dayMs: number,
  version: number,
): Promise<void> {
  const { facts, cubes } = CUBES_OF[source];
  const v = sqlUInt(version);
  const tomb = sqlUInt(version - 1);
  // In order: a derived cube reads the one built just before it (a crash between the two
  // leaves the day's mark unbuilt, so the next pass builds both again).
  for (const c of cubes) await exec(ch, cubeDayStatement(t, c, facts, dayMs, v, tomb));
}

/** One cube's day as build `v`: the new rows, and a tombstone (`tomb`) for every old one. */
function cubeDayStatement(
  t: Topology,
  c: CubeRecipe,
  facts: string,
  dayMs: number,
  v: string,
  tomb: string,
): string {
  const cube = qualified(t, c.spec.name);
  const fill = (sql: string) =>
    sql
      .replace('$FROM', qualified(t, c.from?.name ?? facts))
      .replace('$DAY_START', sqlDateTime(dayMs))
      .replace('$DAY_END', sqlDateTime(dayMs + DAY_MS));
  const inDay =
    c.time === 'hour'
      ? `hour >= ${sqlDateTime(dayMs)} AND hour < ${sqlDateTime(dayMs + DAY_MS)}`
      : `day = ${sqlDate(dayMs)}`;
  const old =
    c.tombstoneKeys === undefined
      ? `SELECT ${c.keys} FROM ${cube} FINAL WHERE ${inDay} AND ${c.live}`
      : fill(c.tombstoneKeys);
  return `INSERT INTO ${cube}
     SELECT *, ${v} FROM (${fill(c.select)})
     UNION ALL
     SELECT ${c.keys}, ${c.zeros}, ${tomb} FROM (${old})`;
}

/**
 * Brings the cubes derived from `cube_dlr_hourly` (the daily ones) level with it: every day
 * whose newest build in the hourly cube is not the derived cube's newest build of that day is
 * derived again, as the hourly build's version. Run by migration 6 (their first fill) and by
 * the builder at start, which covers days an older builder (one that knew no derived cube)
 * rebuilt during a rollout. Reads two small columns of each cube without FINAL: the newest
 * live version of a day is the max over its rows (a build writes every live row of the day).
 * Returns the days derived again, per cube.
 */
export async function alignDerivedCubes(
  ch: ClickHouseClient,
  t: Topology,
): Promise<Record<string, number[]>> {
  const hourly = await newestBuildPerDay(ch, t, 'toDate(hour)', CUBE_DLR_HOURLY.name, 'dlrs > 0');
  const out: Record<string, number[]> = {};
  for (const c of DERIVED) {
    const derived = await newestBuildPerDay(ch, t, 'day', c.spec.name, c.live);
    out[c.spec.name] = [];
    for (const [day, v] of hourly) {
      if (derived.get(day) === v) continue;
      const dayMs = Date.parse(`${day}T00:00:00Z`);
      await exec(ch, cubeDayStatement(t, c, FACTS_DLR.name, dayMs, sqlUInt(v), sqlUInt(v - 1n)));
      out[c.spec.name]!.push(dayMs);
    }
  }
  return out;
}

/**
 * Migration 7's fill of `cube_cdr_mno_hourly`: every day `cube_cdr_daily` has, built from the
 * facts as that day's build version, so the next rebuild of the day (a newer version)
 * supersedes it as usual. Re-runnable: a second run writes the same rows at the same version.
 */
export async function fillCdrMnoHourly(ch: ClickHouseClient, t: Topology): Promise<number[]> {
  const days = await newestBuildPerDay(ch, t, 'day', CUBE_CDR_DAILY.name, CDR_DAILY.live);
  const filled: number[] = [];
  for (const [day, v] of days) {
    const dayMs = Date.parse(`${day}T00:00:00Z`);
    const statement = cubeDayStatement(
      t,
      CDR_MNO_HOURLY,
      FACTS_CDR.name,
      dayMs,
      sqlUInt(v),
      sqlUInt(v - 1n),
    );
    await exec(ch, statement);
    filled.push(dayMs);
  }
  return filled;
}

/** YYYY-MM-DD → the newest build version among a cube's live rows of that day. */
async function newestBuildPerDay(
  ch: ClickHouseClient,
  t: Topology,
  day: string,
  table: string,
  live: string,
): Promise<Map<string, bigint>> {
  const found = await rows<{ d: string; v: string }>(
    ch,
    `SELECT toString(${day}) AS d, toString(max(buildVersion)) AS v
     FROM ${qualified(t, table)} WHERE ${live} GROUP BY d ORDER BY d`,
  );
  return new Map(found.map((r) => [r.d, BigInt(r.v)]));
}

/** Records that the facts of these UTC days changed (after the facts insert). */
export async function markDirtyDays(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  daysMs: readonly number[],
): Promise<void> {
  if (daysMs.length === 0) return;
  const values = daysMs.map((d) => `(${sqlString(source)}, ${sqlDate(d)})`).join(', ');
  await exec(ch, `INSERT INTO ${qualified(t, CUBE_DIRTY.name)} (source, day) VALUES ${values}`);
}

export interface DirtyDay {
  source: FactSource;
  dayMs: number;
  /** Epoch seconds of its first and last mark in the range read. */
  firstMarkS: number;
  lastMarkS: number;
}

/** Days marked at or after `sinceS` (epoch seconds). */
export async function readDirtyDays(
  ch: ClickHouseClient,
  t: Topology,
  sinceS: number,
): Promise<DirtyDay[]> {
  const found = await rows<{ source: FactSource; day: string; firstS: number; lastS: number }>(
    ch,
    `SELECT source, toString(day) AS day,
        toUnixTimestamp(min(markedAt)) AS firstS, toUnixTimestamp(max(markedAt)) AS lastS
     FROM ${qualified(t, CUBE_DIRTY.name)} WHERE markedAt >= ${sqlDateTime(sinceS * 1000)}
     GROUP BY source, day ORDER BY day`,
  );
  return found.map((r) => ({
    source: r.source,
    dayMs: Date.parse(`${r.day}T00:00:00Z`),
    firstMarkS: Number(r.firstS),
    lastMarkS: Number(r.lastS),
  }));
}

/** The server's clock (epoch s): marks are stamped by it, so the builder reads by it. */
export async function serverNowS(ch: ClickHouseClient): Promise<number> {
  const [r] = await rows<{ s: number }>(ch, 'SELECT toUnixTimestamp(now()) AS s');
  return Number(r!.s);
}

export async function readCubeWatermark(ch: ClickHouseClient, t: Topology, builder: string) {
  const [r] = await rows<{ s: number }>(
    ch,
    `SELECT toUnixTimestamp(max(watermark)) AS s FROM ${qualified(t, CUBE_WATERMARK.name)}
     WHERE builder = ${sqlString(builder)}`,
  );
  return Number(r?.s ?? 0);
}

export async function writeCubeWatermark(
  ch: ClickHouseClient,
  t: Topology,
  builder: string,
  s: number,
) {
  await exec(
    ch,
    `INSERT INTO ${qualified(t, CUBE_WATERMARK.name)} (builder, watermark)
     VALUES (${sqlString(builder)}, toDateTime(${sqlUInt(s)}, 'UTC'))`,
  );
}

/** Epoch s of the oldest mark after `afterS` (a fact not in the cubes yet), or null. */
export async function oldestMarkAfter(ch: ClickHouseClient, t: Topology, afterS: number) {
  const [r] = await rows<{ n: string; s: number }>(
    ch,
    `SELECT count() AS n, toUnixTimestamp(min(markedAt)) AS s FROM ${qualified(t, CUBE_DIRTY.name)}
     WHERE markedAt > ${sqlDateTime(afterS * 1000)}`,
  );
  return r === undefined || r.n === '0' ? null : Number(r.s);
}
