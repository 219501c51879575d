/**
 * US-ANLYT-04 to US-ANLYT-07 and US-ANLYT-14: a client generated from the served document
 * works. The types come from openapi-typescript (named: components.schemas.Summary, Money,
 * Problem, QueryResponse …); the client in ./client/ is written with openapi-fetch against
 * them, compiled with `tsc --strict --noEmit` (the workspace's TypeScript) and run against the
 * live API, where every operation — the query DSL's POST too, over its ClickHouse — must
 * answer 200 with the shape its type promises.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACCOUNT,
  APP_DIR,
  DAY,
  OPERATOR,
  QUERY_FACTS,
  QUERY_TENANT,
  REPO_ROOT,
  startLiveApi,
  type LiveApi,
} from './live-api.js';

const run = promisify(execFile);
const CLIENT_DIR = join(APP_DIR, 'test/conformance/client');
// Where client/tsconfig.json maps `anlyt-api-openapi` to: under node_modules, so it exists on
// any installed clone, is ignored by git, eslint and prettier, and stays for a look after a run.
const TYPES_DIR = join(APP_DIR, 'node_modules/.cache/anlyt-api-conformance');
const TYPES = join(TYPES_DIR, 'openapi.d.ts');

/** Micro-units as the API's 6-decimal Money string. */
const money = (micros: bigint) => {
  const abs = micros < 0n ? -micros : micros;
  return `${micros < 0n ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
};

let api: LiveApi;
let dir: string;
beforeAll(async () => {
  api = await startLiveApi();
  dir = await mkdtemp(join(tmpdir(), 'anlyt-client-'));
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('openapi-typescript generates named types from the served document', async () => {
  const doc = join(dir, 'openapi.json');
  await writeFile(doc, JSON.stringify(api.document));
  await mkdir(TYPES_DIR, { recursive: true });
  await rm(TYPES, { force: true });
  await run(join(APP_DIR, 'node_modules/.bin/openapi-typescript'), [doc, '--output', TYPES], {
    cwd: dir,
  });
  const types = await readFile(TYPES, 'utf8');
  for (const name of [
    'Summary',
    'OperatorPerformance',
    'AccountUsage',
    'Throughput',
    'Problem',
    'QueryRow',
    'QueryResponse',
  ])
    expect(types).toMatch(new RegExp(`^ {8}${name}: \\{`, 'm'));
  expect(types).toMatch(/^ {8}Money: string;$/m);
  expect(types).toMatch(/^ {8}Rate: number \| null;$/m);
  expect(types).toMatch(/totalCost: components\["schemas"\]\["Money"\];/);
  expect(types).toMatch(/rows: components\["schemas"\]\["QueryRow"\]\[\];/);
  expect(types).toMatch(/dataset: "dlr" \| "cdr" \| "compliance";/);
});

it('the openapi-fetch client compiles with tsc --strict (TypeScript 5.9.3)', async () => {
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  expect((await run(process.execPath, [tsc, '--version'])).stdout.trim()).toBe('Version 5.9.3');
  const compiled = await run(process.execPath, [
    tsc,
    '-p',
    join(CLIENT_DIR, 'tsconfig.json'),
    '--strict',
    '--noEmit',
  ]).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
  expect(compiled.stdout).toBe('');
  expect('failed' in compiled).toBe(false);
});

it('the client calls every operation of the running API and gets its typed 200s', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(CLIENT_DIR, 'run.ts'),
      api.base,
      api.tokens.admin,
      api.tokens.portal,
      DAY,
      OPERATOR,
      ACCOUNT,
      api.servers.clickhouse,
      QUERY_TENANT,
    ],
    { cwd: APP_DIR },
  ).catch((err: { stdout: string; stderr: string }) => {
    // Exit 1 = a check failed: the report says which.
    if (err.stdout) return { stdout: err.stdout };
    throw new Error(err.stderr);
  });
  const report = JSON.parse(stdout) as {
    operationId: string;
    status: number;
    contentType: string;
    body: Record<string, unknown>;
    failures: string[];
  }[];
  expect(report.filter((r) => r.failures.length > 0)).toEqual([]);
  const ok = report.filter((r) => r.status === 200);
  expect(new Set(ok.map((r) => r.operationId))).toEqual(
    new Set([
      'getPlatformSummary',
      'getOperatorPerformance',
      'getAccountUsage',
      'getThroughput',
      'getDeliveryBreakdown',
      'runQuery',
    ]),
  );
  for (const r of ok) expect(r.contentType).toMatch(/^application\/json/);
  // The data the harness loaded is what came back (so the client read real answers).
  const summary = ok.find((r) => r.operationId === 'getPlatformSummary')!.body;
  expect(summary).toMatchObject({ totalMessages: 2, totalCost: '1.012501' });
  for (const status of [401, 403]) {
    const problem = report.find((r) => r.status === status)!;
    expect(problem.contentType).toMatch(/^application\/problem\+json/);
  }

  // The query DSL's answers are the facts the ClickHouse server holds: the day's DLRs, then
  // one tenant's CDR cost per destination prefix over every page the cursors led to.
  const from = Date.parse(DAY);
  const onDay = (ms: number) => ms >= from && ms < from + 86_400_000;
  const [total, ...pages] = ok
    .filter((r) => r.operationId === 'runQuery')
    .map((r) => r.body as { rows: Record<string, unknown>[]; nextCursor: string | null });
  expect(total!.rows).toEqual([
    {
      dlrs: QUERY_FACTS.dlrs.filter((f) => onDay(f.occurredAtMs)).length,
      deliveryRate: expect.any(Number),
    },
  ]);
  const cdrs = QUERY_FACTS.cdrs.filter((f) => f.tenantId === QUERY_TENANT && onDay(f.occurredAtMs));
  const prefixes = [...new Set(cdrs.map((f) => f.destinationPrefix))].sort();
  expect(pages.length).toBe(Math.ceil(prefixes.length / 2));
  expect(pages.length).toBeGreaterThan(1);
  expect(pages.map((p) => p.nextCursor === null)).toEqual(
    pages.map((_, i) => i === pages.length - 1),
  );
  expect(pages.flatMap((p) => p.rows)).toEqual(
    prefixes.map((prefix) => {
      const mine = cdrs.filter((f) => f.destinationPrefix === prefix);
      return {
        destinationPrefix: prefix,
        cdrs: mine.length,
        cost: money(mine.reduce((sum, f) => sum + f.amountMicros, 0n)),
      };
    }),
  );
});
