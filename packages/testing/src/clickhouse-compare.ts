/**
 * The ClickHouse side against the FactsOracle: every fact (FINAL: one row per event) and every
 * cube row (FINAL: the newest build; tombstones left out), both ways — a row the oracle lacks is as wrong as a missing one. Counts and money
 * compared as exact strings. Returns the differences, at most `limit`: empty = exactly equal.
 */
import { cdrDailyKey, complianceHourlyKey, dlrHourlyKey, type FactsOracle } from '@anlyt/traffic';
import { clickhouseQuery } from './clickhouse.js';

type Row = Record<string, unknown>;

async function select(url: string, sql: string): Promise<Row[]> {
  const text = await clickhouseQuery(url, `${sql} FORMAT JSONEachRow`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

/** Both sides as key → comparable record; reports missing, extra and different entries. */
function diff(what: string, actual: Map<string, Row>, expected: Map<string, Row>, out: string[]) {
  for (const [k, e] of expected) {
    const a = actual.get(k);
    if (a === undefined) out.push(`${what} ${k}: missing (expected ${JSON.stringify(e)})`);
    else if (JSON.stringify(a) !== JSON.stringify(e))
      out.push(`${what} ${k}: ${JSON.stringify(a)} != expected ${JSON.stringify(e)}`);
  }
  for (const k of actual.keys()) if (!expected.has(k)) out.push(`${what} ${k}: not in the oracle`);
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const sortedKeys = (r: Row): Row =>
  Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );

export async function compareFactsWithOracle(
  url: string,
  database: string,
  oracle: FactsOracle,
  limit = 20,
): Promise<string[]> {
  const out: string[] = [];
  const db = database;

  const dlrCols = `toString(eventId) AS eventId, tenantId, mno, messageId, occurredAtMs, direction, lane,
    destinationPrefix, status, errorCode, latencyMs, submittedAtMs`;
  const dlrs = await select(url, `SELECT ${dlrCols} FROM ${db}.facts_dlr FINAL`);
  diff(
    'facts_dlr',
    new Map(dlrs.map((r) => [String(r['eventId']), sortedKeys(mapValues(r))])),
    new Map([...oracle.dlrFacts()].map(([id, f]) => [id, sortedKeys(mapValues({ ...f }))])),
    out,
  );
  const cdrCols = `toString(eventId) AS eventId, tenantId, mno, messageId, occurredAtMs, direction, lane,
    destinationPrefix, senderId, segments, amountMicros, currency, submitStatus, esmeErrorCode, verdict, rule`;
  const cdrs = await select(url, `SELECT ${cdrCols} FROM ${db}.facts_cdr FINAL`);
  diff(
    'facts_cdr',
    new Map(cdrs.map((r) => [String(r['eventId']), sortedKeys(mapValues(r))])),
    new Map([...oracle.cdrFacts()].map(([id, f]) => [id, sortedKeys(mapValues({ ...f }))])),
    out,
  );

  const dlrCubes = [
    { table: 'cube_dlr_hourly', time: 'hour', oracle: oracle.dlrHourly() },
    { table: 'cube_dlr_daily', time: "toDateTime(day, 'UTC')", oracle: oracle.dlrDaily() },
  ];
  for (const c of dlrCubes) {
    const cube = await select(
      url,
      `SELECT toUnixTimestamp(${c.time}) * 1000 AS hourMs, tenantId, mno, status, lane, direction, dlrs, latencySumMs
       FROM ${db}.${c.table} FINAL WHERE dlrs > 0`,
    );
    diff(
      c.table,
      new Map(
        cube.map((r) => [
          dlrHourlyKey(keyOf(r) as never),
          { dlrs: str(r['dlrs']), latencySumMs: str(r['latencySumMs']) },
        ]),
      ),
      new Map(
        [...c.oracle].map(([k, v]) => [
          k,
          { dlrs: str(v.dlrs), latencySumMs: str(v.latencySumMs) },
        ]),
      ),
      out,
    );
  }
  // The latency cube: by (day, tenant) only, compared with the daily oracle summed likewise.
  const latency = new Map<string, Row>();
  for (const v of oracle.dlrDaily().values()) {
    const k = JSON.stringify([v.hourMs, v.tenantId]);
    const c = latency.get(k) ?? { dlrs: '0', latencySumMs: '0' };
    latency.set(k, {
      dlrs: String(BigInt(c['dlrs'] as string) + BigInt(v.dlrs)),
      latencySumMs: String(BigInt(c['latencySumMs'] as string) + v.latencySumMs),
    });
  }
  const latencyCube = await select(
    url,
    `SELECT toUnixTimestamp(toDateTime(day, 'UTC')) * 1000 AS dayMs, tenantId, dlrs, latencySumMs
     FROM ${db}.cube_dlr_latency_daily FINAL WHERE dlrs > 0`,
  );
  diff(
    'cube_dlr_latency_daily',
    new Map(
      latencyCube.map((r) => [
        JSON.stringify([Number(r['dayMs']), r['tenantId']]),
        { dlrs: str(r['dlrs']), latencySumMs: str(r['latencySumMs']) },
      ]),
    ),
    latency,
    out,
  );
  const cdrCube = await select(
    url,
    `SELECT toUnixTimestamp(toDateTime(day, 'UTC')) * 1000 AS dayMs, tenantId, mno, submitStatus, lane, direction,
       cdrs, segments, costMicros, esmeErrors FROM ${db}.cube_cdr_daily FINAL WHERE cdrs > 0`,
  );
  const cdrMeasures = (r: Row) => ({
    cdrs: str(r['cdrs']),
    segments: str(r['segments']),
    costMicros: str(r['costMicros']),
    esmeErrors: str(r['esmeErrors']),
  });
  diff(
    'cube_cdr_daily',
    new Map(cdrCube.map((r) => [cdrDailyKey(keyOf(r) as never), cdrMeasures(r)])),
    new Map([...oracle.cdrDaily()].map(([k, v]) => [k, cdrMeasures(v as unknown as Row)])),
    out,
  );
  const compliance = await select(
    url,
    `SELECT toUnixTimestamp(hour) * 1000 AS hourMs, tenantId, mno, verdict, rule, lane, direction, checked
     FROM ${db}.cube_compliance_hourly FINAL WHERE checked > 0`,
  );
  diff(
    'cube_compliance_hourly',
    new Map(
      compliance.map((r) => [
        complianceHourlyKey({ ...keyOf(r), rule: r['rule'] === '' ? null : r['rule'] } as never),
        { checked: str(r['checked']) },
      ]),
    ),
    new Map([...oracle.complianceHourly()].map(([k, v]) => [k, { checked: str(v.checked) }])),
    out,
  );
  // The quality feed's tenant-less hourly CDR cube, counted straight from the oracle's facts.
  const byMnoHour = new Map<string, { cdrs: number; esmeErrors: number }>();
  for (const f of oracle.cdrFacts().values()) {
    const k = JSON.stringify([f.occurredAtMs - (f.occurredAtMs % 3_600_000), f.mno, f.direction]);
    const c = byMnoHour.get(k) ?? { cdrs: 0, esmeErrors: 0 };
    c.cdrs++;
    if (f.esmeErrorCode !== null) c.esmeErrors++;
    byMnoHour.set(k, c);
  }
  const mnoHourly = await select(
    url,
    `SELECT toUnixTimestamp(hour) * 1000 AS hourMs, mno, direction, cdrs, esmeErrors
     FROM ${db}.cube_cdr_mno_hourly FINAL WHERE cdrs > 0`,
  );
  diff(
    'cube_cdr_mno_hourly',
    new Map(
      mnoHourly.map((r) => [
        JSON.stringify([Number(r['hourMs']), r['mno'], r['direction']]),
        { cdrs: str(r['cdrs']), esmeErrors: str(r['esmeErrors']) },
      ]),
    ),
    new Map(
      [...byMnoHour].map(([k, v]) => [k, { cdrs: str(v.cdrs), esmeErrors: str(v.esmeErrors) }]),
    ),
    out,
  );
  return out.slice(0, limit);
}

/** Numbers (ClickHouse sends 64-bit ones quoted) and bigints as strings: one comparable form. */
function mapValues(r: Row): Row {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [
      k,
      typeof v === 'number' || typeof v === 'bigint' ? String(v) : v,
    ]),
  );
}

/** A cube row's key fields, with the time bucket as a number like the oracle's. */
function keyOf(r: Row): Row {
  const k: Row = { ...r };
  for (const t of ['hourMs', 'dayMs']) if (t in k) k[t] = Number(k[t]);
  return k;
}
