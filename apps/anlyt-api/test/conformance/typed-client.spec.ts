/**
 * US-ANLYT-04 to US-ANLYT-07: a client generated from the served document works. The types
 * come from openapi-typescript (named: components.schemas.Summary, Money, Problem …); the
 * client in ./client/ is written with openapi-fetch against them, compiled with
 * `tsc --strict --noEmit` (the workspace's TypeScript) and run against the live API, where
 * every operation must answer 200 with the shape its type promises.
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
  for (const name of ['Summary', 'OperatorPerformance', 'AccountUsage', 'Throughput', 'Problem'])
    expect(types).toMatch(new RegExp(`^ {8}${name}: \\{`, 'm'));
  expect(types).toMatch(/^ {8}Money: string;$/m);
  expect(types).toMatch(/^ {8}Rate: number \| null;$/m);
  expect(types).toMatch(/totalCost: components\["schemas"\]\["Money"\];/);
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
    ]),
  );
  for (const r of ok) expect(r.contentType).toMatch(/^application\/json/);
  // The data the harness loaded is what came back (so the client read real answers).
  const summary = ok.find((r) => r.operationId === 'getPlatformSummary')!.body;
  expect(summary).toMatchObject({ totalMessages: 2, totalCost: '1.012501' });
  const problem = report.find((r) => r.status === 401)!;
  expect(problem.contentType).toMatch(/^application\/problem\+json/);
});
