/**
 * US-ANLYT-19 AC1: the page a person looks at, /insights/mno-quality, in headless Chromium
 * against the real API listening on a port (real PostgreSQL and ClickHouse loaded with
 * simulated traffic: insights-harness.ts, insights-data.ts). It shows the labels the API
 * answers, numbers equal to those computed from the facts (insights-oracle.ts), never a real
 * MNO id unless an addendum is on record, a rendered chart, API refusals as text, and no
 * console error. The anonymised case is photographed into docs/insights-mno-quality.png.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DSL_PREFIX } from '../src/app.js';
import { token } from './harness.js';
import { CDR_ONLY, D1, DATA_AS_OF, DAY_MS, END, FACTS, dateOf } from './insights-data.js';
import { startInsightsHarness, type InsightsHarness } from './insights-harness.js';
import { expectedMnos, p95Band, type ExpectedMno } from './insights-oracle.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = fileURLToPath(
  new URL('../../../docs/insights-mno-quality.png', import.meta.url),
);
const PAGE = '/insights/mno-quality';
const WINDOW = { from: dateOf(D1), to: dateOf(END - DAY_MS) }; // a date-only `to`: its whole day
/** The harness's default minimum of final DLRs (contract §6.5). */
const MIN_SAMPLE = 100;
/** The simulator's operator ids (mno-ke-01 …), and every id the loaded facts carry. */
const REAL_ID = /mno-[a-z]{2}-\d{2}/;
const REAL_IDS = [...new Set([...FACTS.dlrs, ...FACTS.cdrs].map((f) => f.mno))];
/** Anonymised: it has an MNO with CDRs and no DLR (suppressed, nothing to chart). */
const ANONYMOUS = CDR_ONLY.tenant;
/** Gets an addendum on record in its own test (no other test reads it). */
const SHARING = 'acc_1003';

let h: InsightsHarness;
let browser: Browser;
let base: string;
const bearer = { admin: '', portal: '' };

beforeAll(async () => {
  h = await startInsightsHarness();
  await h.load(FACTS.dlrs, FACTS.cdrs);
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  bearer.admin = await token('admin', { sub: 'admin-dashboard:jane' });
  bearer.portal = await token('portal', { sub: 'customer-portal' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

interface Answer {
  window: { from: string; to: string };
  mnos: { label: string; mno: string | null; deliveryRate: number | null }[];
}

/** The JSON endpoint, called as the page calls it. */
async function apiAnswer(tenant: string): Promise<Answer> {
  const res = await fetch(
    `${base}${DSL_PREFIX}/insights/mno-quality?${new URLSearchParams(WINDOW)}`,
    {
      headers: { authorization: `Bearer ${bearer.portal}`, 'x-account-id': tenant },
    },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

/** Opens the page at a fragment; collects console errors/warnings and uncaught errors. */
async function openPage(fragment: Record<string, string> | null) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const logged: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') logged.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => logged.push(`uncaught: ${e.message}`));
  await page.goto(`${base}${PAGE}${fragment ? `#${new URLSearchParams(fragment)}` : ''}`);
  return { page, logged };
}

// A selector wait, not waitForFunction: a string predicate is eval'd in the page, which the
// page's CSP (no 'unsafe-eval') refuses whenever the first check does not already pass.
const settled = (page: Page) =>
  page.locator('body[data-state="ready"], body[data-state="error"]').waitFor({ state: 'attached' });

interface View {
  url: string;
  text: string;
  html: string;
  /** The text without the operator id cells. */
  textWithoutIds: string;
  headers: string[];
  rows: string[][];
  window: string;
  asOf: string;
  chart: { labels: string[]; data: (number | null)[]; width: number; painted: number };
}

/** What a person sees (the DOM has no types here: the tests' lib has no DOM). */
const viewOf = (page: Page) =>
  page.evaluate(`(() => {
    const visible = (el) => el.offsetParent !== null;
    const canvas = document.getElementById('chart');
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
    const chart = Chart.getChart(canvas);
    const clone = document.body.cloneNode(true);
    for (const el of clone.querySelectorAll('.real-id')) el.remove();
    return {
      url: location.href,
      text: document.body.innerText,
      html: document.documentElement.outerHTML,
      textWithoutIds: clone.textContent,
      headers: [...document.querySelectorAll('#mnos th')].filter(visible).map((th) => th.textContent),
      rows: [...document.querySelectorAll('#mnos tbody tr')].map((tr) =>
        [...tr.cells].map((td) => td.textContent)),
      window: document.getElementById('window').textContent,
      asOf: document.getElementById('as-of').textContent,
      chart: {
        labels: chart.data.labels,
        data: chart.data.datasets[0].data,
        width: canvas.width,
        painted,
      },
    };
  })()`) as Promise<View>;

// The page's formats: a rate as a percentage with one decimal, "—" for none.
const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);
const TOO_FEW = 'too few messages to be meaningful';
/** The cells after label (and operator id) the facts predict for an MNO, P95 left out. */
const predicted = (e: ExpectedMno) => {
  const suppressed = e.sampleSize < MIN_SAMPLE;
  return [
    suppressed ? '—' : percent(e.deliveryRate),
    String(e.sampleSize),
    suppressed ? TOO_FEW : '',
  ];
};

describe('the MNO quality page', () => {
  it('shows the API labels, numbers from the facts, a chart and no real MNO id', async () => {
    const expected = expectedMnos(FACTS, ANONYMOUS, D1, END);
    const answer = await apiAnswer(ANONYMOUS);
    const labels = answer.mnos.map((m) => m.label);
    const { page, logged } = await openPage({
      token: bearer.portal,
      account: ANONYMOUS,
      ...WINDOW,
    });
    await settled(page);
    const view = await viewOf(page);

    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
    expect(labels).toHaveLength(expected.size);
    expect(view.rows.map((r) => r[0])).toEqual(labels);
    expect(view.chart.labels).toEqual(labels);
    expect(view.headers).toEqual(['MNO', 'Delivery rate', 'Latency P95', 'Final DLRs', 'Note']);
    // Without the real ids the rows cannot be matched to MNOs: compare them as a multiset.
    const shown = view.rows.map(([, rate, , size, note]) => [rate, size, note]);
    expect(shown.map((r) => r.join('|')).sort()).toEqual(
      [...expected.values()].map((e) => predicted(e).join('|')).sort(),
    );
    expect(view.rows.filter((r) => r[4] === TOO_FEW)).not.toHaveLength(0); // the CDR-only MNO
    expect(view.chart.data).toEqual(
      answer.mnos.map((m) => (m.deliveryRate === null ? null : m.deliveryRate * 100)),
    );

    for (const where of [view.text, view.html, view.chart.labels.join(' ')])
      expect(where).not.toMatch(REAL_ID);
    for (const id of REAL_IDS) expect(view.html).not.toContain(id);

    expect(view.chart.width).toBeGreaterThan(0);
    expect(view.chart.painted).toBeGreaterThan(0);
    expect(view.window).toContain(answer.window.from);
    expect(view.window).toContain(answer.window.to);
    expect(view.asOf).toBe(DATA_AS_OF);
    // The token left the address bar (and the history entry) once read.
    expect(view.url).toBe(`${base}${PAGE}`);
    expect(logged).toEqual([]);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('shows the real ids in their own column when the tenant has a data-share addendum', async () => {
    const put = await fetch(`${base}${DSL_PREFIX}/admin/tenants/${SHARING}/data-share-addendum`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${bearer.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'DSA-2026-0107', signedAt: '2026-11-18T09:30:00Z' }),
    });
    expect(put.status).toBe(200);
    const expected = expectedMnos(FACTS, SHARING, D1, END);
    const answer = await apiAnswer(SHARING);
    const { page, logged } = await openPage({ token: bearer.portal, account: SHARING, ...WINDOW });
    await settled(page);
    const view = await viewOf(page);

    expect(view.headers).toEqual([
      'MNO',
      'Operator id',
      'Delivery rate',
      'Latency P95',
      'Final DLRs',
      'Note',
    ]);
    expect(view.rows.map((r) => [r[0], r[1]])).toEqual(answer.mnos.map((m) => [m.label, m.mno]));
    expect(view.rows.map((r) => r[1]).sort()).toEqual([...expected.keys()].sort());
    for (const [, mno, rate, p95, size, note] of view.rows) {
      const e = expected.get(mno!)!;
      expect([rate, size, note]).toEqual(predicted(e));
      if (e.sampleSize < MIN_SAMPLE) continue;
      // The t-digest estimate, shown rounded to whole ms, within the exact ranks 94–96 %.
      const [lo, hi] = p95Band(e.latencies);
      const ms = Number(p95!.replace(/ ms$/, ''));
      expect(ms).toBeGreaterThanOrEqual(lo - 1);
      expect(ms).toBeLessThanOrEqual(hi + 1);
    }
    // The ids appear in their column only: not in the chart, the labels or anywhere else.
    expect(view.chart.labels).toEqual(answer.mnos.map((m) => m.label));
    expect(view.textWithoutIds).not.toMatch(REAL_ID);
    expect(view.chart.painted).toBeGreaterThan(0);
    expect(logged).toEqual([]);
    await page.close();
  });

  it('shows API refusals as text (the form, and a bad window in the fragment)', async () => {
    const failedLoad =
      /^error: Failed to load resource: the server responded with a status of 4\d\d/;

    const viaForm = await openPage(null);
    await viaForm.page.fill('#token', 'not-a-token');
    await viaForm.page.fill('#account', ANONYMOUS);
    await viaForm.page.click('button[type=submit]');
    await settled(viaForm.page);
    expect(await viaForm.page.getAttribute('body', 'data-state')).toBe('error');
    expect(await viaForm.page.textContent('#error')).toMatch(
      /^Unauthorized \(HTTP 401\) UNAUTHORIZED/,
    );
    expect(await viaForm.page.isHidden('#result')).toBe(true);

    const badWindow = await openPage({
      token: bearer.portal,
      account: ANONYMOUS,
      from: WINDOW.to,
      to: WINDOW.from,
    });
    await settled(badWindow.page);
    expect(await badWindow.page.textContent('#error')).toMatch(
      /^Bad Request \(HTTP 400\) INVALID_WINDOW: /,
    );
    // The browser's own report of the 4xx is the only console line: no script error.
    for (const { logged } of [viaForm, badWindow]) {
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(failedLoad);
    }
    await viaForm.page.close();
    await badWindow.page.close();
  });

  it('is public static content with a strict CSP, outside the OpenAPI document', async () => {
    const res = await fetch(`${base}${PAGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'"]),
    );
    expect(csp).not.toMatch(/unsafe-|https?:/);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g)!;
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toMatch(/ src="assets\/[a-z.-]+\.js"/);
    expect(html).not.toMatch(/<style|\son[a-z]+=|style="/i);

    for (const [path, type] of [
      ['mno-quality.js', 'text/javascript'],
      ['mno-quality.css', 'text/css'],
      ['chart.umd.min.js', 'text/javascript'],
    ] as const) {
      const asset = await fetch(`${base}/insights/assets/${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(asset.headers.get('content-security-policy')).toBe(csp);
    }
    const chartJs = await (await fetch(`${base}/insights/assets/chart.umd.min.js`)).text();
    expect(chartJs.slice(0, 40)).toContain('Chart.js v4.5.1');

    const missing = await fetch(`${base}/insights/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');

    const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/insights'))).toEqual([]);
    expect(Object.keys(openapi.paths)).toContain(`${DSL_PREFIX}/insights/mno-quality`);
  });
});
