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
  CUBE_COMPLIANCE_HOURLY,
  CUBE_DIRTY,
  CUBE_DLR_HOURLY,
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
  dlr: { facts: FACTS_DLR.name, cubes: [DLR_HOURLY] },
  cdr: { facts: FACTS_CDR.name, cubes: [CDR_DAILY, COMPLIANCE_HOURLY] },
};

export const CUBE_NAMES = [CUBE_DLR_HOURLY.name, CUBE_CDR_DAILY.name, CUBE_COMPLIANCE_HOURLY.name];

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
  for (const c of cubes) {
    const cube = qualified(t, c.spec.name);
    const inDay =
      c.time === 'hour'
        ? `hour >= ${sqlDateTime(dayMs)} AND hour < ${sqlDateTime(dayMs + DAY_MS)}`
        : `day = ${sqlDate(dayMs)}`;
    const built = c.select
      .replace('$FROM', qualified(t, facts))
      .replace('$DAY_START', sqlDateTime(dayMs))
      .replace('$DAY_END', sqlDateTime(dayMs + DAY_MS));
    await exec(
      ch,
      `INSERT INTO ${cube}
       SELECT *, ${v} FROM (${built})
       UNION ALL
       SELECT ${c.keys}, ${c.zeros}, ${tomb} FROM ${cube} FINAL WHERE ${inDay} AND ${c.live}`,
    );
  }
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
