/**
 * bench:query's data set: DLR facts generated inside ClickHouse with set-based
 * `INSERT … SELECT … FROM numbers(offset, count)` (no row leaves the server), then the hourly
 * cube rebuilt day by day with the cube builder's own statement (rebuildCubeDay) and the two
 * watermarks the query API reads for dataAsOf, written as anlyt-ingest and its builder would.
 *
 * Every attribute is a pure function of the row number (cityHash64(n, k) → a uniform u_k in
 * [0, 1)), so two loads of the same size hold the same facts; only eventId
 * (generateUUIDv4()) differs. Shapes:
 * - tenants `acc_1` … `acc_<tenants>`: Zipf-like (s = 1, log-uniform: rank ⌊(T+1)^u⌋), so
 *   acc_1 has ln 2 / ln(T+1) of all facts (7.5 % at 10 000), the top 10 together 26 %, the
 *   median tenant ~0.002 %;
 * - `occurredAt` uniform over `days` UTC days ending at `endMs` (exclusive), `hour` its bucket;
 * - MNOs `mno-1` … `mno-<mnos>`: power-skewed (⌊M·u²⌋ + 1: mno-1 ~10 %);
 * - status: DELIVERED 78–94 % depending on the MNO, the rest FAILED 35 %, EXPIRED 25 %,
 *   UNDELIVERABLE 20 %, REJECTED 10 %, UNKNOWN 10 %; errorCode NULL when delivered;
 * - latencyMs: Pareto (800 ms · (1−u)^−0.7: median ~1.3 s, P95 ~6 s, P99 ~20 s; EXPIRED × 20),
 *   capped at one day;
 * - lanes TRANSACTIONAL 50 % / PROMOTIONAL 30 % / OTP 20 %; direction MT 95 % / MO 5 %;
 * - destinationPrefix: `prefixes` values (`+1000`, `+1007`, …), power-skewed.
 */
import {
  FACTS_DLR,
  qualified,
  rebuildCubeDay,
  rows,
  serverNowS,
  writeCubeWatermark,
  writeIngestWatermark,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';

export const DAY_MS = 86_400_000;

export interface FactsShape {
  /** Exclusive end of the data (a UTC midnight): the facts cover [endMs − days, endMs). */
  endMs: number;
  days: number;
  tenants: number;
  mnos: number;
  prefixes: number;
}

export const tenantId = (rank: number) => `acc_${rank}`;

/** Share of all facts that tenant rank r holds (the log-uniform draw above). */
export const tenantShare = (rank: number, tenants: number) =>
  Math.log((rank + 1) / rank) / Math.log(tenants + 1);

/** The INSERT … SELECT of facts number offset … offset+count−1. */
export function factsInsert(t: Topology, s: FactsShape, offset: number, count: number): string {
  const u = (k: number) => `(cityHash64(number, ${k}) % 4294967296) / 4294967296.`;
  const startMs = s.endMs - s.days * DAY_MS;
  return `INSERT INTO ${qualified(t, FACTS_DLR.name)}
  (eventId, tenantId, hour, occurredAtMs, messageId, mno, status, errorCode, latencyMs,
   submittedAtMs, direction, lane, destinationPrefix, streamSeq, payloadHash)
SELECT eventId, tenantId, hour, occurredAtMs, messageId, mno, status, errorCode, latencyMs,
   submittedAtMs, direction, lane, destinationPrefix, streamSeq, payloadHash
FROM (
  SELECT
    generateUUIDv4() AS eventId,
    concat('acc_', toString(least(toUInt32(pow(${s.tenants + 1}, ${u(1)})), ${s.tenants}))) AS tenantId,
    toUInt64(${startMs}) + cityHash64(number, 2) % ${s.days * DAY_MS} AS occurredAtMs,
    toDateTime(intDiv(occurredAtMs, 3600000) * 3600, 'UTC') AS hour,
    concat('msg-', toString(number)) AS messageId,
    least(toUInt32(${s.mnos} * pow(${u(3)}, 2)), ${s.mnos - 1}) + 1 AS mnoNo,
    concat('mno-', toString(mnoNo)) AS mno,
    0.78 + (mnoNo % 17) / 100 AS deliveredShare,
    1 - deliveredShare AS rest,
    ${u(4)} AS u4,
    multiIf(u4 < deliveredShare, 'DELIVERED',
      u4 < deliveredShare + rest * 0.35, 'FAILED',
      u4 < deliveredShare + rest * 0.60, 'EXPIRED',
      u4 < deliveredShare + rest * 0.80, 'UNDELIVERABLE',
      u4 < deliveredShare + rest * 0.90, 'REJECTED', 'UNKNOWN') AS statusText,
    CAST(statusText AS ${columnType('status')}) AS status,
    if(statusText = 'DELIVERED', NULL,
      concat('0x', lower(hex(toUInt8(cityHash64(number, 5) % 64))))) AS errorCode,
    toUInt32(least(86400000,
      800 * pow(1 - ${u(6)}, -0.7) * if(statusText = 'EXPIRED', 20, 1))) AS latencyMs,
    occurredAtMs - latencyMs AS submittedAtMs,
    CAST(if(${u(7)} < 0.95, 'MT', 'MO') AS ${columnType('direction')}) AS direction,
    ${u(8)} AS u8,
    CAST(multiIf(u8 < 0.5, 'TRANSACTIONAL', u8 < 0.8, 'PROMOTIONAL', 'OTP')
      AS ${columnType('lane')}) AS lane,
    concat('+', toString(1000 + 7 * least(toUInt32(${s.prefixes} * pow(${u(9)}, 1.5)), ${s.prefixes - 1}))) AS destinationPrefix,
    number + 1 AS streamSeq,
    cityHash64(number, 10) AS payloadHash
  FROM numbers(${offset}, ${count})
)`;
}

/** A column's type as the migrations declare it (the enums). */
function columnType(name: string): string {
  const col = FACTS_DLR.columns.find((c) => c.startsWith(`${name} `));
  if (!col) throw new Error(`facts_dlr has no column ${name}`);
  return col.slice(name.length + 1);
}

/**
 * Inserts facts number offset … offset+count−1 as one statement, squashed into blocks of
 * `blockRows` rows (one part per month partition per block: fewer parts to merge later).
 */
export async function insertFactsChunk(
  ch: ClickHouseClient,
  t: Topology,
  s: FactsShape,
  offset: number,
  count: number,
  blockRows: number,
): Promise<void> {
  await ch.command({
    query: factsInsert(t, s, offset, count),
    clickhouse_settings: {
      min_insert_block_size_rows: String(blockRows),
      min_insert_block_size_bytes: '0',
    },
  });
}

/**
 * Rebuilds the DLR cube of every day of the data, as the cube builder would (one statement
 * per day, `parallel` days at once: each statement's FINAL read is one thread).
 */
export async function buildCubes(
  ch: ClickHouseClient,
  t: Topology,
  s: FactsShape,
  parallel: number,
  onDay: (dayMs: number, seconds: number) => void,
): Promise<void> {
  let version = Date.now();
  const days = Array.from({ length: s.days }, (_, i) => s.endMs - (s.days - i) * DAY_MS);
  const worker = async () => {
    for (let d = days.shift(); d !== undefined; d = days.shift()) {
      const t0 = performance.now();
      await rebuildCubeDay(ch, t, 'dlr', d, (version += 2));
      onDay(d, (performance.now() - t0) / 1000);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The ingest watermark (max occurredAtMs of the facts) and the cube builder's, as of now. */
export async function writeWatermarks(
  ch: ClickHouseClient,
  t: Topology,
  builder: string,
): Promise<number> {
  const [r] = await rows<{ ms: string }>(
    ch,
    `SELECT max(occurredAtMs) AS ms FROM ${qualified(t, FACTS_DLR.name)}`,
  );
  const maxMs = Number(r!.ms);
  await writeIngestWatermark(ch, t, 'dlr', maxMs);
  await writeCubeWatermark(ch, t, builder, await serverNowS(ch));
  return maxMs;
}

export interface TableBytes {
  table: string;
  rows: number;
  parts: number;
  bytesOnDisk: number;
  uncompressed: number;
}

/** Active parts of the database's tables (system.parts). */
export async function tableBytes(ch: ClickHouseClient, database: string): Promise<TableBytes[]> {
  const found = await rows<{
    table: string;
    rows: string;
    parts: string;
    bytes: string;
    uncompressed: string;
  }>(
    ch,
    `SELECT table, sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS bytes,
        sum(data_uncompressed_bytes) AS uncompressed
     FROM system.parts WHERE database = '${database}' AND active
     GROUP BY table ORDER BY table`,
  );
  return found.map((r) => ({
    table: r.table,
    rows: Number(r.rows),
    parts: Number(r.parts),
    bytesOnDisk: Number(r.bytes),
    uncompressed: Number(r.uncompressed),
  }));
}

/** Merges of the database still running (background work that competes with the queries). */
export async function runningMerges(ch: ClickHouseClient, database: string): Promise<number> {
  const [r] = await rows<{ n: string }>(
    ch,
    `SELECT count() AS n FROM system.merges WHERE database = '${database}'`,
  );
  return Number(r?.n ?? 0);
}
