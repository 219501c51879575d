// US-ANLYT-16 / US-ANLYT-18: the committed dashboards are the generator's output, and they
// have the structure the stories ask for. No server: dashboard-queries.spec.ts runs the SQL.
import { readFile } from 'node:fs/promises';
import { FACTS_DLR } from '@anlyt/clickhouse';
import {
  ALL_PREFIXES,
  buildDashboards,
  FINANCE_UID,
  listQueries,
  MNO_QUALITY_UID,
  RUNBOOK_ANCHORS,
  RUNBOOK_PATH,
  SCATTER_FIELDS,
  toPrettyJson,
} from '@anlyt/dashboards';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../../../', import.meta.url);
const GENERATE = 'regenerate: pnpm --filter @anlyt/dashboards generate:dev';

// The dashboard JSON as plain data, for reading it the way Grafana does.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const generated = buildDashboards();
const committed = async (file: string): Promise<Json> =>
  JSON.parse(await readFile(new URL(`dashboards/${file}`, REPO), 'utf8')) as Json;
const dashboard = (uid: string): Json =>
  JSON.parse(toPrettyJson(generated.find((d) => d.dashboard.uid === uid)!.dashboard)) as Json;

const panelsOf = (d: Json): Json[] => d['panels'] as Json[];
const nonRows = (d: Json) => panelsOf(d).filter((p) => p['type'] !== 'row');
const specOf = (p: Json) => {
  const sql = (p['targets'] as Json[])[0]!['rawSql'];
  return listQueries().find((q) => q.spec.sql === sql)?.spec;
};

describe('the committed JSON', () => {
  it.each(generated.map((d) => [d.file, d] as const))(
    'dashboards/%s is what the generator produces',
    async (file, d) => {
      expect(await committed(file), GENERATE).toEqual(JSON.parse(toPrettyJson(d.dashboard)));
    },
  );

  it.each(generated.map((d) => [d.file, d] as const))(
    'dashboards/%s is written as prettier writes it',
    async (file, d) => {
      const filepath = new URL(`dashboards/${file}`, REPO).pathname;
      const options = (await prettier.resolveConfig(filepath)) ?? {};
      expect(await prettier.check(toPrettyJson(d.dashboard), { ...options, filepath })).toBe(true);
    },
  );
});

describe('MNO quality (US-ANLYT-16)', () => {
  const d = dashboard(MNO_QUALITY_UID);

  it('shows the last 7 days in UTC', () => {
    expect(d['time']).toEqual({ from: 'now-7d', to: 'now' });
    expect(d['timezone']).toBe('utc');
  });

  it('has one row per MNO: a single row, repeated by mno, holding every panel', () => {
    const rows = panelsOf(d).filter((p) => p['type'] === 'row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!['repeat']).toBe('mno');
    expect(rows[0]!['collapsed']).toBe(false);
    expect(panelsOf(d)[0]).toBe(rows[0]); // every other panel follows it, so Grafana repeats it
    const mno = (d['templating']['list'] as Json[]).find((v) => v['name'] === 'mno')!;
    expect(mno).toMatchObject({ type: 'query', multi: true, includeAll: true });
  });

  it('has the four panel kinds of AC2', () => {
    const byQuery = new Map(nonRows(d).map((p) => [specOf(p)?.id, p]));
    const rate = byQuery.get(`${MNO_QUALITY_UID}/delivery-rate`)!;
    expect(rate['type']).toBe('timeseries');
    expect(rate['fieldConfig']['defaults']['custom']['drawStyle'] ?? 'line').toBe('line');
    const latency = byQuery.get(`${MNO_QUALITY_UID}/latency-p95`)!;
    expect(latency['type']).toBe('heatmap');
    expect(latency['options']['calculate']).toBe(false);
    const errors = byQuery.get(`${MNO_QUALITY_UID}/esme-errors`)!;
    expect(errors['fieldConfig']['defaults']['custom']).toMatchObject({
      drawStyle: 'bars',
      stacking: { mode: 'normal' },
    });
    const tps = byQuery.get(`${MNO_QUALITY_UID}/tps-utilisation`)!;
    expect(tps['fieldConfig']['defaults']['unit']).toBe('percentunit');
    expect(tps['fieldConfig']['defaults']['thresholds']['steps']).toContainEqual({
      value: 1,
      color: 'red',
    });
    expect(nonRows(d)).toHaveLength(4);
  });

  it('filters by lane (the contract lanes, as the facts store them) and destination prefix', () => {
    const vars = d['templating']['list'] as Json[];
    const lane = vars.find((v) => v['name'] === 'lane')!;
    const factsLanes = /^lane Enum8\((.*)\)$/
      .exec(FACTS_DLR.columns.find((c) => c.startsWith('lane '))!)![1]!
      .split(', ')
      .map((e) => /^'(\w+)'/.exec(e)![1]);
    expect(String(lane['query']).split(',')).toEqual(factsLanes);
    expect(lane).toMatchObject({ multi: true, includeAll: true });
    const prefix = vars.find((v) => v['name'] === 'prefix')!;
    expect(prefix).toMatchObject({ multi: true, includeAll: true, allValue: ALL_PREFIXES });
    for (const p of nonRows(d)) {
      expect(specOf(p)!.sql).toContain('${lane:singlequote}');
      expect(specOf(p)!.sql).toContain(`has([\${prefix:singlequote}], ${ALL_PREFIXES})`);
    }
  });
});

describe('runbook links (US-ANLYT-16 AC4)', () => {
  const slug = (heading: string) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');

  it('every panel of both dashboards links to a section of the runbook that exists', async () => {
    const md = await readFile(new URL(RUNBOOK_PATH, REPO), 'utf8');
    const anchors = new Set([...md.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    expect([...anchors]).toEqual(expect.arrayContaining(Object.values(RUNBOOK_ANCHORS)));
    for (const d of [dashboard(MNO_QUALITY_UID), dashboard(FINANCE_UID)])
      for (const p of nonRows(d)) {
        const urls = ((p['links'] ?? []) as Json[]).map((l) => String(l['url']));
        const runbook = urls.filter((u) => u.startsWith(`${RUNBOOK_PATH}#`));
        expect(runbook, `${d['uid']}: ${p['title']}`).toHaveLength(1);
        expect(anchors).toContain(runbook[0]!.split('#')[1]);
      }
  });
});

describe('cost vs quality (US-ANLYT-18)', () => {
  const d = dashboard(FINANCE_UID);

  it('is refreshed daily and shows yesterday by default', () => {
    expect(d['refresh']).toBe('1d');
    expect(d['time']).toEqual({ from: 'now-1d/d', to: 'now-1d/d' });
  });

  it('plots X = cost per delivered SMS, Y = delivery rate, size = volume from its query', () => {
    const scatter = nonRows(d).find((p) => p['type'] === 'xychart')!;
    expect(scatter['options']['mapping']).toBe('manual');
    const [series] = scatter['options']['series'] as Json[];
    const columns = specOf(scatter)!.columns;
    for (const axis of ['x', 'y', 'size'] as const) {
      expect(series![axis]['matcher']).toEqual({ id: 'byName', options: SCATTER_FIELDS[axis] });
      expect(columns).toContainEqual({ name: SCATTER_FIELDS[axis], kind: 'number' });
    }
    expect(SCATTER_FIELDS).toEqual({
      x: 'costPerDeliveredSms',
      y: 'deliveryRate',
      size: 'messages',
    });
  });

  it("the table shows the scatter's rows through the dashboard datasource (no second query)", () => {
    const t = nonRows(d).find((p) => p['type'] === 'table')!;
    const scatter = nonRows(d).find((p) => p['type'] === 'xychart')!;
    expect(t['targets']).toEqual([
      expect.objectContaining({ panelId: scatter['id'], datasource: t['datasource'] }),
    ]);
    expect(t['datasource']).toEqual({ type: 'datasource', uid: '-- Dashboard --' });
  });
});

describe('the queries', () => {
  const all = [dashboard(MNO_QUALITY_UID), dashboard(FINANCE_UID)];
  const inJson = all.flatMap((d) => [
    ...panelsOf(d)
      .flatMap((p) => (p['targets'] ?? []) as Json[])
      .filter((t) => t['rawSql'] !== undefined)
      .map((t) => String(t['rawSql'])),
    ...(d['templating']['list'] as Json[])
      .filter((v) => v['type'] === 'query')
      .map((v) => String(v['query'])),
  ]);

  it('listQueries() holds every panel and variable query of the JSON, and nothing else', () => {
    expect(
      listQueries()
        .map((q) => q.spec.sql)
        .sort(),
    ).toEqual([...inJson].sort());
    const ids = listQueries().map((q) => q.spec.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every ClickHouse target uses the datasource variable and a format the plugin knows', () => {
    for (const d of all)
      for (const t of panelsOf(d).flatMap((p) => (p['targets'] ?? []) as Json[]))
        if (t['rawSql'] !== undefined) {
          expect(t['datasource']).toEqual({
            type: 'grafana-clickhouse-datasource',
            uid: '${datasource}',
          });
          expect(t).toMatchObject({ editorType: 'sql' });
          expect([0, 1]).toContain(t['format']);
        }
  });

  it('names only variables its dashboard defines, and only plugin macros 18.16 can run', () => {
    for (const d of all) {
      const defined = new Set((d['templating']['list'] as Json[]).map((v) => v['name']));
      const sqls = listQueries()
        .filter((q) => q.dashboardUid === d['uid'])
        .map((q) => q.spec.sql);
      for (const sql of sqls) {
        for (const m of sql.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(?!__)(\w+)/g))
          expect(defined, sql).toContain(m[1] ?? m[2]);
        for (const m of sql.matchAll(/\$__(\w+)/g))
          expect(['timeFilter', 'dateFilter', 'fromTime', 'toTime', 'interval_s']).toContain(m[1]);
      }
    }
  });
});
