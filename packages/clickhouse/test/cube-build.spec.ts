// Cubes rebuilt from the facts stay exact however often a fact was inserted: duplicates,
// conflicting copies (the lower stream sequence wins) and late facts for an old day.
// The expectation is computed here, in TypeScript, from the rows the test inserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouseDatabase, TEST_CLICKHOUSE_URL } from '@anlyt/testing';
import {
  alignDerivedCubes,
  createClickHouse,
  MIGRATIONS,
  insertFacts,
  markDirtyDays,
  readDirtyDays,
  rebuildCubeDay,
  rows,
  runClickHouseMigrations,
  type CdrFactRow,
  type DlrFactRow,
  type Topology,
} from '../src/index.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let db: Awaited<ReturnType<typeof createTestClickHouseDatabase>>;
let t: Topology;
let version = 10;
/** Build versions: increasing, 2 apart (tombstones take version − 1). */
const nextVersion = () => (version += 2);
const DAY1 = Date.UTC(2026, 10, 27);
const DAY2 = Date.UTC(2026, 10, 28);
const HOUR = 3_600_000;
const STATUSES = ['DELIVERED', 'FAILED', 'UNKNOWN'];

beforeAll(async () => {
  db = await createTestClickHouseDatabase('anlyt_cube');
  t = { database: db.name, cluster: null };
  await runClickHouseMigrations(ch, { topology: t });
});
afterAll(async () => {
  await db.drop();
  await ch.close();
});

/** A deterministic little generator (no Math.random: failures must replay). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % n);
}

const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const hourText = (ms: number) =>
  new Date(ms).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';

function dlrRow(i: number, r: (n: number) => number, seq: number): DlrFactRow {
  const hourMs = (r(2) === 0 ? DAY1 : DAY2) + r(24) * HOUR;
  return {
    eventId: uuid(i),
    tenantId: `acc_${r(3)}`,
    hour: hourText(hourMs),
    occurredAtMs: hourMs + r(HOUR),
    messageId: `m${i}`,
    mno: `mno-${r(2)}`,
    status: STATUSES[r(3)]!,
    errorCode: null,
    latencyMs: 100 + r(5000),
    submittedAtMs: hourMs,
    direction: 'MT',
    lane: r(2) === 0 ? 'OTP' : 'TRANSACTIONAL',
    destinationPrefix: '+2547',
    streamSeq: String(seq),
    payloadHash: String(i),
  };
}

const dlrCube = () =>
  rows<{ k: string; dlrs: string; latencySumMs: string }>(
    ch,
    `SELECT concat(toString(hour), '|', tenantId, '|', mno, '|', toString(status), '|', toString(lane)) AS k,
       dlrs, latencySumMs FROM ${db.name}.cube_dlr_hourly FINAL WHERE dlrs > 0 ORDER BY k`,
  );

/** DLRs and their latency sum per key, sorted by key (the cube readers' shape). */
function expectedBy(winners: DlrFactRow[], keyOf: (w: DlrFactRow) => string) {
  const m = new Map<string, { dlrs: number; latencySumMs: number }>();
  for (const w of winners) {
    const k = keyOf(w);
    const c = m.get(k) ?? { dlrs: 0, latencySumMs: 0 };
    c.dlrs++;
    c.latencySumMs += w.latencyMs;
    m.set(k, c);
  }
  return [...m]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => ({ k, dlrs: String(v.dlrs), latencySumMs: String(v.latencySumMs) }));
}

const expectedDlr = (winners: DlrFactRow[]) =>
  expectedBy(winners, (w) => `${w.hour}|${w.tenantId}|${w.mno}|${w.status}|${w.lane}`);

/** The daily cube in the same shape: the day instead of the hour. */
const dlrDailyCube = (database = db.name) =>
  rows<{ k: string; dlrs: string; latencySumMs: string }>(
    ch,
    `SELECT concat(toString(day), '|', tenantId, '|', mno, '|', toString(status), '|', toString(lane)) AS k,
       dlrs, latencySumMs FROM ${database}.cube_dlr_daily FINAL WHERE dlrs > 0 ORDER BY k`,
  );

/** The expectation by day: the same rows with the hour cut to its date. */
const expectedDlrDaily = (winners: DlrFactRow[]) =>
  expectedDlr(winners.map((w) => ({ ...w, hour: w.hour.slice(0, 10) })));

/** The latency cube: DLRs and their latency sum by (day, tenant). */
const latencyCube = (database = db.name) =>
  rows<{ k: string; dlrs: string; latencySumMs: string }>(
    ch,
    `SELECT concat(toString(day), '|', tenantId) AS k, dlrs, latencySumMs
     FROM ${database}.cube_dlr_latency_daily FINAL WHERE dlrs > 0 ORDER BY k`,
  );

const expectedLatency = (winners: DlrFactRow[]) =>
  expectedBy(winners, (w) => `${w.hour.slice(0, 10)}|${w.tenantId}`);

describe('cube rebuilds from deduplicated facts', () => {
  it('counts each DLR once after duplicates and conflicts, the lower sequence winning', async () => {
    const r = lcg(7);
    const originals = Array.from({ length: 3000 }, (_, i) => dlrRow(i, r, 1000 + i));
    await insertFacts(ch, t, 'dlr', originals.slice(0, 2000));
    await insertFacts(ch, t, 'dlr', originals.slice(1000)); // 1000 inserted twice
    await insertFacts(ch, t, 'dlr', originals.slice(500, 800)); // and some three times
    // Conflicting copies: same key, another status, a HIGHER sequence → must lose.
    const losers = originals.slice(0, 200).map((o) => ({
      ...o,
      status: 'FAILED',
      latencyMs: 1,
      streamSeq: String(9000 + Number(o.messageId.slice(1))),
      payloadHash: '1',
    }));
    await insertFacts(ch, t, 'dlr', losers);
    // Conflicting copies with a LOWER sequence → must win over the originals.
    const winners2 = originals.slice(200, 300).map((o, j) => ({
      ...o,
      status: 'UNKNOWN',
      latencyMs: 7,
      streamSeq: String(10 + j),
      payloadHash: '2',
    }));
    await insertFacts(ch, t, 'dlr', winners2);
    await markDirtyDays(ch, t, 'dlr', [DAY1, DAY2]);
    for (const d of await readDirtyDays(ch, t, 0))
      await rebuildCubeDay(ch, t, d.source, d.dayMs, nextVersion());

    const truth = [...originals.slice(0, 200), ...winners2, ...originals.slice(300)];
    expect(await dlrCube()).toEqual(expectedDlr(truth));
    expect(await dlrDailyCube()).toEqual(expectedDlrDaily(truth));
    expect(await latencyCube()).toEqual(expectedLatency(truth));
  });

  it('rebuilding a day again changes nothing, and a late fact re-opens only its own day', async () => {
    const before = await dlrCube();
    const dailyBefore = await dlrDailyCube();
    await rebuildCubeDay(ch, t, 'dlr', DAY1, nextVersion());
    await rebuildCubeDay(ch, t, 'dlr', DAY2, nextVersion());
    expect(await dlrCube()).toEqual(before);
    expect(await dlrDailyCube()).toEqual(dailyBefore);
    const late = {
      ...dlrRow(99_999, lcg(3), 50_000),
      hour: hourText(DAY1 + 5 * HOUR),
      tenantId: 'acc_late',
    };
    await insertFacts(ch, t, 'dlr', [late, late]);
    await rebuildCubeDay(ch, t, 'dlr', DAY1, nextVersion());
    const after = await dlrCube();
    const added = after.filter((row) => !before.some((b) => b.k === row.k));
    expect(added).toEqual([
      {
        k: `${hourText(DAY1 + 5 * HOUR)}|acc_late|${late.mno}|${late.status}|${late.lane}`,
        dlrs: '1',
        latencySumMs: String(late.latencyMs),
      },
    ]);
  });

  it('drops a cube row whose only fact moved to another group (a lower sequence displaced it)', async () => {
    const x = {
      ...dlrRow(77_777, lcg(5), 800),
      tenantId: 'acc_moved',
      status: 'DELIVERED',
      hour: hourText(DAY2 + 7 * HOUR),
    };
    await insertFacts(ch, t, 'dlr', [x]);
    await rebuildCubeDay(ch, t, 'dlr', DAY2, nextVersion());
    const moved = async () =>
      (await dlrCube())
        .filter((r) => r.k.includes('acc_moved'))
        .map((r) => [r.k.split('|')[3], r.dlrs]);
    expect(await moved()).toEqual([['DELIVERED', '1']]);
    await insertFacts(ch, t, 'dlr', [
      { ...x, status: 'EXPIRED', streamSeq: '400', payloadHash: '3' },
    ]);
    await rebuildCubeDay(ch, t, 'dlr', DAY2, nextVersion());
    expect(await moved()).toEqual([['EXPIRED', '1']]);
    const movedDaily = (await dlrDailyCube())
      .filter((r) => r.k.includes('acc_moved'))
      .map((r) => [r.k.split('|')[3], r.dlrs]);
    expect(movedDaily).toEqual([['EXPIRED', '1']]);
  });

  it('reads p50/p95/p99 back from the merged t-digest states close to the exact values', async () => {
    const [exact] = await rows<{ q: number[] }>(
      ch,
      `SELECT quantilesExact(0.5, 0.95, 0.99)(latencyMs) AS q FROM ${db.name}.facts_dlr FINAL`,
    );
    for (const cube of ['cube_dlr_hourly', 'cube_dlr_latency_daily']) {
      const [q] = await rows<{ q: number[] }>(
        ch,
        `SELECT quantilesTDigestMerge(0.5, 0.95, 0.99)(latencyQuantiles) AS q FROM ${db.name}.${cube} FINAL`,
      );
      q!.q.forEach((v, i) =>
        expect(Math.abs(v - exact!.q[i]!) / exact!.q[i]!, cube).toBeLessThan(0.02),
      );
    }
  });

  it('fills the daily cube from the hourly one when migration 6 meets cubes built before it, and levels nothing twice', async () => {
    const old = await createTestClickHouseDatabase('anlyt_cube6');
    const o: Topology = { database: old.name, cluster: null };
    try {
      // A database at migration 5 whose hourly cube was built by a builder without the daily.
      await runClickHouseMigrations(ch, {
        topology: o,
        migrations: MIGRATIONS.filter((m) => m.id < 6),
      });
      const r = lcg(11);
      const facts = Array.from({ length: 1500 }, (_, i) => dlrRow(i, r, 1 + i));
      await insertFacts(ch, o, 'dlr', facts);
      // The hourly statement of each day runs; the daily one finds no table (as an older
      // builder would never have written it).
      for (const day of [DAY1, DAY2])
        await expect(rebuildCubeDay(ch, o, 'dlr', day, nextVersion())).rejects.toThrow(
          /cube_dlr_daily/,
        );
      const hourly = await rows<{ n: string }>(
        ch,
        `SELECT toString(sum(dlrs)) AS n FROM ${old.name}.cube_dlr_hourly FINAL`,
      );
      expect(hourly[0]!.n).toBe('1500'); // both days in the hourly cube, no daily table
      const report = await runClickHouseMigrations(ch, {
        topology: o,
        migrations: MIGRATIONS.filter((m) => m.id < 7),
      });
      expect(report.applied).toEqual([6]);
      expect(await dlrDailyCube(old.name)).toEqual(expectedDlrDaily(facts));
      expect(await latencyCube(old.name)).toEqual(expectedLatency(facts));
      expect(await alignDerivedCubes(ch, o)).toEqual({
        cube_dlr_daily: [],
        cube_dlr_latency_daily: [],
      });
    } finally {
      await old.drop();
    }
  });

  it('builds the CDR daily and compliance hourly cubes with exact money', async () => {
    const big = '9000000000000000000'; // 9e18 micro-units: beyond 2^53, exact only as Int64
    const cdr = (i: number, over: Partial<CdrFactRow>): CdrFactRow => ({
      eventId: uuid(500_000 + i),
      tenantId: 'acc_0',
      hour: hourText(DAY2 + 3 * HOUR),
      occurredAtMs: DAY2 + 3 * HOUR + i,
      messageId: `c${i}`,
      mno: 'mno-0',
      direction: 'MT',
      lane: 'OTP',
      destinationPrefix: '+2547',
      senderId: 'ACME',
      segments: 2,
      amountMicros: '12500',
      currency: 'USD',
      submitStatus: 'ACCEPTED',
      esmeErrorCode: null,
      verdict: 'ALLOWED',
      rule: null,
      streamSeq: String(i + 1),
      payloadHash: String(i),
      ...over,
    });
    const facts = [
      cdr(0, { amountMicros: big }),
      cdr(1, {}),
      cdr(2, { submitStatus: 'REJECTED', esmeErrorCode: '0x00000045' }),
      cdr(3, { verdict: 'BLOCKED', rule: 'DND', amountMicros: '0' }),
    ];
    await insertFacts(ch, t, 'cdr', facts);
    await insertFacts(ch, t, 'cdr', facts); // all twice
    await rebuildCubeDay(ch, t, 'cdr', DAY2, nextVersion());
    const daily = await rows<Record<string, string>>(
      ch,
      `SELECT toString(day) AS day, toString(submitStatus) AS s, cdrs, segments, costMicros, esmeErrors
       FROM ${db.name}.cube_cdr_daily FINAL ORDER BY s`,
    );
    expect(daily).toEqual([
      {
        day: '2026-11-28',
        s: 'ACCEPTED',
        cdrs: '3',
        segments: '6',
        costMicros: String(BigInt(big) + 12500n),
        esmeErrors: '0',
      },
      {
        day: '2026-11-28',
        s: 'REJECTED',
        cdrs: '1',
        segments: '2',
        costMicros: '12500',
        esmeErrors: '1',
      },
    ]);
    const compliance = await rows<Record<string, string>>(
      ch,
      `SELECT toString(verdict) AS v, rule, checked FROM ${db.name}.cube_compliance_hourly FINAL ORDER BY v`,
    );
    expect(compliance).toEqual([
      { v: 'ALLOWED', rule: '', checked: '3' },
      { v: 'BLOCKED', rule: 'DND', checked: '1' },
    ]);
    // The quality feed's cube: the four CDRs of that hour, one with an ESME error code.
    expect(await cdrMnoHourly(db.name)).toEqual([
      { hour: '2026-11-28 03:00:00', mno: 'mno-0', d: 'MT', cdrs: '4', esmeErrors: '1' },
    ]);
  });

  it('fills the hourly MNO CDR cube when migration 7 meets CDR days built before it', async () => {
    const old = await createTestClickHouseDatabase('anlyt_cube7');
    const o: Topology = { database: old.name, cluster: null };
    try {
      await runClickHouseMigrations(ch, {
        topology: o,
        migrations: MIGRATIONS.filter((m) => m.id < 7),
      });
      const r = lcg(7);
      const facts = Array.from({ length: 600 }, (_, i) => cdrFact(i, r));
      await insertFacts(ch, o, 'cdr', facts);
      // An older builder: the daily and compliance statements run, the new cube has no table.
      for (const day of [DAY1, DAY2])
        await expect(rebuildCubeDay(ch, o, 'cdr', day, nextVersion())).rejects.toThrow(
          /cube_cdr_mno_hourly/,
        );
      expect((await runClickHouseMigrations(ch, { topology: o })).applied).toEqual([7]);
      const expected = new Map<string, { cdrs: number; esmeErrors: number }>();
      for (const f of facts) {
        const k = `${f.hour}|${f.mno}`;
        const c = expected.get(k) ?? { cdrs: 0, esmeErrors: 0 };
        c.cdrs++;
        if (f.esmeErrorCode !== null) c.esmeErrors++;
        expected.set(k, c);
      }
      const want = [...expected]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => ({
          hour: k.split('|')[0],
          mno: k.split('|')[1],
          d: 'MO',
          cdrs: String(v.cdrs),
          esmeErrors: String(v.esmeErrors),
        }));
      expect(await cdrMnoHourly(old.name)).toEqual(want);
      // A rebuild of the day afterwards supersedes the migration's rows, changing nothing.
      await rebuildCubeDay(ch, o, 'cdr', DAY1, nextVersion());
      expect(await cdrMnoHourly(old.name)).toEqual(want);
    } finally {
      await old.drop();
    }
  });
});

const cdrMnoHourly = (database: string) =>
  rows<Record<string, string>>(
    ch,
    `SELECT toString(hour) AS hour, mno, toString(direction) AS d, cdrs, esmeErrors
     FROM ${database}.cube_cdr_mno_hourly FINAL WHERE cdrs > 0 ORDER BY hour, mno`,
  );

/** A CDR fact for the migration test: spread over both days, some with an ESME error. */
function cdrFact(i: number, r: (n: number) => number): CdrFactRow {
  const hourMs = (r(2) === 0 ? DAY1 : DAY2) + r(24) * HOUR;
  return {
    eventId: uuid(900_000 + i),
    tenantId: `acc_${r(3)}`,
    hour: hourText(hourMs),
    occurredAtMs: hourMs + r(HOUR),
    messageId: `c${i}`,
    mno: `mno-${r(3)}`,
    direction: 'MO',
    lane: 'OTP',
    destinationPrefix: '+2547',
    senderId: 'ACME',
    segments: 1,
    amountMicros: '1000',
    currency: 'USD',
    submitStatus: 'ACCEPTED',
    esmeErrorCode: r(4) === 0 ? '0x00000045' : null,
    verdict: 'ALLOWED',
    rule: null,
    streamSeq: String(i + 1),
    payloadHash: String(i),
  };
}
