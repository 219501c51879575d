// US-ANLYT-16 / US-ANLYT-18: every panel and variable query of the committed dashboards, run
// on the machine's ClickHouse (18.16) as Grafana and the ClickHouse plugin would send it, over
// simulated traffic in this test's own database; shapes checked against what each panel reads,
// values against figures computed independently from the traffic's facts.
import {
  ALL_PREFIXES,
  FINANCE_UID,
  LANES,
  listQueries,
  MNO_QUALITY_UID,
  type ListedQuery,
  type QuerySpec,
} from '@anlyt/dashboards';
import { formatMicros } from '@anlyt/traffic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaSql, type VariableValue } from './support/grafana-sql.js';
import {
  costAndQuality,
  deliveryCounts,
  esmeErrorCounts,
  latencies,
  mnosOn,
  peakSubmitsPerSecond,
  recentPrefixes,
  type Range,
  type Slice,
} from './support/oracle.js';
import { createTrafficDatabase, type TrafficDatabase } from './support/traffic-database.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 27);
/** The NOC dashboard's default, "now-7d" to "now", with "now" just after the traffic's 3 days. */
const WEEK: Range = { fromMs: START - 4 * DAY, toMs: START + 3 * DAY };
/** The finance dashboard's default, "now-1d/d" to "now-1d/d": yesterday, whole. */
const YESTERDAY: Range = { fromMs: START + DAY, toMs: START + 2 * DAY - 1 };
/** The `tps_capacity` text variable: the simulated traffic peaks at a few submits a second. */
const CAPACITY = 5;

/** Grafana's interval for each panel over the week: its minimum, or 10 min at ~1 000 px. */
const INTERVAL_S: Record<string, number> = {
  deliveryRate: 3600,
  latencyP95: 3600,
  esmeErrors: 3600,
  tpsUtilisation: 600,
};

let db: TrafficDatabase;
let mno: string; // the busiest MNO: the repeated row the scenarios look at
let other: string;
let prefixOf: (m: string) => string;
let allMnos: string[];
let allPrefixes: string[];

beforeAll(async () => {
  db = await createTrafficDatabase({
    seed: 16,
    startMs: START,
    spanMs: 3 * DAY,
    messages: 20_000,
    accounts: 50,
  });
  const volume = new Map<string, number>();
  const prefix = new Map<string, string>();
  for (const f of db.facts.dlrFacts().values()) {
    volume.set(f.mno, (volume.get(f.mno) ?? 0) + 1);
    prefix.set(f.mno, f.destinationPrefix); // one routing prefix per simulated MNO
  }
  [mno, other] = [...volume].sort((a, b) => b[1] - a[1]).map(([m]) => m) as [string, string];
  prefixOf = (m) => prefix.get(m)!;
  allMnos = [...volume.keys()].sort();
  allPrefixes = [...new Set(prefix.values())].sort();
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

interface Scenario {
  name: string;
  vars: () => Record<string, VariableValue>;
  slice: () => Slice;
}

/** "All" and specific values of every variable; `mno` as a repeated row sees it, or unrepeated. */
const SCENARIOS: Scenario[] = [
  {
    name: 'one MNO row, every lane (All), every prefix (All: the cubes)',
    vars: () => ({
      mno: { kind: 'single', value: mno },
      lane: { kind: 'all', options: LANES },
      prefix: { kind: 'all', options: allPrefixes, allValue: ALL_PREFIXES },
    }),
    slice: () => ({ mnos: [mno], lanes: LANES, prefixes: null }),
  },
  {
    name: "one MNO row, lane OTP, the MNO's prefix (the facts)",
    vars: () => ({
      mno: { kind: 'single', value: mno },
      lane: { kind: 'multi', values: ['OTP'] },
      prefix: { kind: 'multi', values: [prefixOf(mno)] },
    }),
    slice: () => ({ mnos: [mno], lanes: ['OTP'], prefixes: [prefixOf(mno)] }),
  },
  {
    name: 'every MNO (All, not repeated), two lanes, two prefixes',
    vars: () => ({
      mno: { kind: 'all', options: allMnos },
      lane: { kind: 'multi', values: ['TRANSACTIONAL', 'PROMOTIONAL'] },
      prefix: { kind: 'multi', values: [prefixOf(mno), prefixOf(other)] },
    }),
    slice: () => ({
      mnos: allMnos,
      lanes: ['TRANSACTIONAL', 'PROMOTIONAL'],
      prefixes: [prefixOf(mno), prefixOf(other)],
    }),
  },
];

const QUERIES = listQueries();
const panelKey = (q: ListedQuery) => q.usedBy.key;
const find = (dashboardUid: string, key: string): QuerySpec =>
  QUERIES.find((q) => q.dashboardUid === dashboardUid && q.usedBy.key === key)!.spec;
const NOC = MNO_QUALITY_UID;
const FINANCE = FINANCE_UID;

/** Runs a query as Grafana would for the range, the panel's interval and the variables. */
async function run(
  spec: QuerySpec,
  range: Range,
  vars: Record<string, VariableValue>,
  intervalS = 3600,
) {
  const sql = grafanaSql(spec.sql, {
    ...range,
    intervalS,
    vars: {
      database: { kind: 'single', value: db.name },
      tps_capacity: { kind: 'single', value: String(CAPACITY) },
      ...vars,
    },
  });
  const { meta, data } = await db.select(sql);
  const rows = data.map((r) => Object.fromEntries(meta.map((m, i) => [m.name, r[i]])));
  return { meta, rows };
}

const KIND_OF_TYPE: [RegExp, string][] = [
  [/^(Nullable\()?(DateTime|Date)\b/, 'time'],
  [/^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/, 'number'],
  [/^(Nullable\()?String\)?$/, 'string'],
];
const kindOf = (type: string) => KIND_OF_TYPE.find(([re]) => re.test(type))?.[1] ?? type;

function expectShape(spec: QuerySpec, meta: { name: string; type: string }[], n: number) {
  expect(meta.map((m) => ({ name: m.name, kind: kindOf(m.type) }))).toEqual(
    spec.columns.map((c) => ({ name: c.name, kind: c.kind })),
  );
  expect(n).toBeGreaterThan(0);
}

/** A DateTime('UTC') column's text ('2026-11-27 05:00:00') as epoch seconds. */
const timeS = (v: unknown) => Date.parse(`${String(v).replace(' ', 'T')}Z`) / 1000;

describe('every query runs on ClickHouse 18.16 and returns the shape its panel reads', () => {
  const variables = QUERIES.filter((q) => q.usedBy.kind === 'variable');
  const nocPanels = QUERIES.filter((q) => q.usedBy.kind === 'panel' && q.dashboardUid === NOC);
  const financePanels = QUERIES.filter(
    (q) => q.usedBy.kind === 'panel' && q.dashboardUid === FINANCE,
  );

  it('lists the queries of both dashboards', () => {
    expect(variables.map(panelKey).sort()).toEqual(['mno', 'prefix']);
    expect(nocPanels.map(panelKey).sort()).toEqual(Object.keys(INTERVAL_S).sort());
    expect(financePanels.map(panelKey)).toEqual(['costVsQuality']);
  });

  it.each(variables.map((q) => [q.spec.id, q] as const))('variable %s', async (_, q) => {
    const { meta, rows } = await run(q.spec, WEEK, {});
    expectShape(q.spec, meta, rows.length);
  });

  for (const s of SCENARIOS)
    it.each(nocPanels.map((q) => [q.spec.id, q] as const))(`%s: ${s.name}`, async (_, q) => {
      const { meta, rows } = await run(q.spec, WEEK, s.vars(), INTERVAL_S[panelKey(q)]);
      expectShape(q.spec, meta, rows.length);
    });

  it.each(financePanels.map((q) => [q.spec.id, q] as const))('%s, yesterday', async (_, q) => {
    const { meta, rows } = await run(q.spec, YESTERDAY, {});
    expectShape(q.spec, meta, rows.length);
  });
});

describe('the variables list what the facts hold', () => {
  it('mno: every MNO with traffic on the days of the range', async () => {
    const { rows } = await run(find(NOC, 'mno'), WEEK, {});
    expect(rows.map((r) => r['mno'])).toEqual(mnosOn(db.facts, WEEK));
  });

  it("prefix: the prefixes of the range's last 24 hours", async () => {
    const lastDay: Range = { fromMs: WEEK.fromMs, toMs: START + 2 * DAY + 12 * HOUR };
    const { rows } = await run(find(NOC, 'prefix'), lastDay, {});
    expect(rows.map((r) => r['destinationPrefix'])).toEqual(recentPrefixes(db.facts, lastDay));
  });
});

describe.each(SCENARIOS)('the NOC panels agree with the facts: $name', (s) => {
  it('delivery rate: every hour, delivered / final DLRs (cube or facts alike)', async () => {
    const { rows } = await run(find(NOC, 'deliveryRate'), WEEK, s.vars());
    const want = deliveryCounts(db.facts, WEEK, s.slice(), 3600);
    expect(rows.map((r) => timeS(r['time']))).toEqual([...want.finals.keys()].sort());
    for (const r of rows) {
      const finals = want.finals.get(timeS(r['time']))!;
      const delivered = want.delivered.get(timeS(r['time']))!;
      expect(Number(r['finalDlrs'])).toBe(finals);
      if (finals === 0) expect(r['deliveryRate']).toBeNull();
      else expect(r['deliveryRate']).toBeCloseTo(delivered / finals, 12);
    }
  });

  it('ESME errors: every hour and code, the count of CDRs with that code', async () => {
    const { rows } = await run(find(NOC, 'esmeErrors'), WEEK, s.vars());
    const got = new Map(rows.map((r) => [`${timeS(r['time'])}|${r['code']}`, Number(r['errors'])]));
    expect(got).toEqual(esmeErrorCounts(db.facts, WEEK, s.slice(), 3600));
  });

  it('TPS: the busiest second of every 10 minutes, over the capacity', async () => {
    const { rows } = await run(find(NOC, 'tpsUtilisation'), WEEK, s.vars(), 600);
    const want = peakSubmitsPerSecond(db.facts, WEEK, s.slice(), 600);
    expect(new Map(rows.map((r) => [timeS(r['time']), Number(r['peakTps'])]))).toEqual(want);
    for (const r of rows) expect(r['utilisation']).toBeCloseTo(Number(r['peakTps']) / CAPACITY, 12);
  });

  it.each([3600, 86_400])(
    'latency P95 per %i s and lane: between the samples around rank 0.95·n',
    async (intervalS) => {
      const { rows } = await run(find(NOC, 'latencyP95'), WEEK, s.vars(), intervalS);
      let cells = 0;
      for (const lane of LANES) {
        // A lane the variable leaves out is an empty row of the heatmap.
        const lanes = s.slice().lanes.includes(lane) ? [lane] : [];
        const byBucket = latencies(db.facts, WEEK, { ...s.slice(), lanes }, intervalS);
        for (const r of rows) {
          const exact = byBucket.get(timeS(r['time'])) ?? [];
          if (exact.length === 0) {
            expect(r[lane]).toBeNull();
            continue;
          }
          // t-digest interpolates between neighbouring samples (with few samples, between
          // the two largest: one late DLR sets the cell); 2 % for its compression.
          const rank = Math.ceil(0.95 * exact.length) - 1;
          const lo = exact[Math.max(0, rank - 1)]!;
          const hi = exact[Math.min(exact.length - 1, rank + 1)]!;
          expect(Number(r[lane])).toBeGreaterThanOrEqual(lo * 0.98);
          expect(Number(r[lane])).toBeLessThanOrEqual(hi * 1.02);
          cells++;
        }
      }
      expect(cells).toBeGreaterThan(0);
    },
  );
});

describe('the finance scatter agrees with the facts', () => {
  it('per MNO yesterday: exact cost, messages, delivered, rate, cost per delivered SMS', async () => {
    const { rows } = await run(find(FINANCE, 'costVsQuality'), YESTERDAY, {});
    const want = costAndQuality(db.facts, YESTERDAY.fromMs, YESTERDAY.fromMs);
    expect(rows.map((r) => r['mno'])).toEqual([...want.keys()].sort());
    for (const r of rows) {
      const w = want.get(String(r['mno']))!;
      expect(r['totalCost']).toBe(formatMicros(w.costMicros));
      expect(Number(r['messages'])).toBe(w.cdrs);
      expect(Number(r['deliveredDlrs'])).toBe(w.delivered);
      expect(r['deliveryRate']).toBeCloseTo(w.delivered / w.finals, 12);
      // Cost per delivered SMS in 10⁻¹² currency units: exact bigint on our side, the plotted
      // Float64 (one final division in ClickHouse) within one unit of it.
      const exactPico = (w.costMicros * 1_000_000n) / BigInt(w.delivered);
      const gotPico = BigInt(Math.round(Number(r['costPerDeliveredSms']) * 1e12));
      expect(gotPico - exactPico <= 1n && exactPico - gotPico <= 1n).toBe(true);
    }
  });
});
