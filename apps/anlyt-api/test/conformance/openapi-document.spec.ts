/**
 * US-ANLYT-04 to US-ANLYT-07 and US-ANLYT-14: the OpenAPI document the running API serves, checked with the
 * tools a dashboard developer uses — Redocly's recommended ruleset (zero errors, zero
 * warnings; rules turned off would be listed, with reasons, in the repo's redocly.yaml) and
 * swagger-parser — and compared with the published docs/openapi.json.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_URL } from '../../src/config.js';
import { API_SCHEMAS } from '../../src/schemas/components.js';
import { QUERY_REQUEST_EXAMPLES, QUERY_RESPONSE_EXAMPLES } from '../../src/query/schemas.js';
import { APP_DIR, PREFIX, QUERY, REPO_ROOT, startLiveApi, type LiveApi } from './live-api.js';

const run = promisify(execFile);
const PUBLISHED = join(REPO_ROOT, 'docs/openapi.json');
const REGENERATE = 'pnpm --filter @anlyt/api openapi:write';

let api: LiveApi;
let dir: string;
let served: string;
beforeAll(async () => {
  api = await startLiveApi();
  dir = await mkdtemp(join(tmpdir(), 'anlyt-openapi-'));
  served = join(dir, 'openapi.json');
  await writeFile(served, JSON.stringify(api.document, null, 2));
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the served OpenAPI document', () => {
  it('is docs/openapi.json, formatted as prettier formats it', async () => {
    const text = await readFile(PUBLISHED, 'utf8');
    expect(
      JSON.parse(text),
      `docs/openapi.json differs from the document the API serves: run \`${REGENERATE}\``,
    ).toEqual(api.document);
    const options = await prettier.resolveConfig(PUBLISHED);
    expect(
      await prettier.check(text, { ...options, filepath: PUBLISHED }),
      `docs/openapi.json is not formatted: run \`${REGENERATE}\``,
    ).toBe(true);
  });

  it('is the same on every server, with a query store or without', async () => {
    // The route and its schemas are registered whatever the dependencies: a document written
    // without ClickHouse (openapi:write) is the one a deployment serves.
    for (const [server, base] of Object.entries(api.servers)) {
      const res = await fetch(`${base}/openapi.json`);
      expect(await res.json(), server).toEqual(api.document);
    }
  });

  it('passes `redocly lint --extends=recommended` with no error and no warning', async () => {
    const { stdout } = await run(
      join(APP_DIR, 'node_modules/.bin/redocly'),
      [
        'lint',
        '--extends=recommended',
        `--config=${join(REPO_ROOT, 'redocly.yaml')}`,
        '--format=json',
        served,
      ],
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 2 ** 20,
      },
    ).catch((err: { stdout?: string; message: string }) => {
      // Exit code 1 = errors found: the report is still on stdout.
      if (err.stdout) return { stdout: err.stdout };
      throw err;
    });
    // Node 20 gets a deprecation notice before the report (on stdout with --format=json).
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    const found = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`);
    expect(found).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('is valid for @apidevtools/swagger-parser', async () => {
    const parsed = await SwaggerParser.validate(structuredClone(api.document) as never);
    expect('openapi' in parsed && parsed.openapi).toBe('3.1.0');
  });

  it('has servers from the config, a licence, and tags with descriptions', () => {
    const doc = api.document;
    expect(doc.servers).toEqual([expect.objectContaining({ url: DEFAULT_PUBLIC_URL })]);
    expect(doc.info.license).toEqual({ name: expect.any(String), identifier: expect.any(String) });
    for (const tag of doc.tags ?? []) expect(tag.description).toBeTruthy();
  });

  it('names the shared schemas as components, and every $ref points at one', () => {
    const names = Object.keys(api.document.components.schemas);
    expect(names.sort()).toEqual(API_SCHEMAS.map((s) => s.$id).sort());
    expect(names).toEqual(
      expect.arrayContaining(['Problem', 'Money', 'Window', 'P95Latency', 'DataAsOf', 'Summary']),
    );
    const refs = [...JSON.stringify(api.document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(names).toContain(ref!.slice('#/components/schemas/'.length));
    }
  });

  it('gives every operation an operationId, a tag, real descriptions and examples', () => {
    const ops = Object.entries(api.document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.map((o) => `${o.method} ${o.op.operationId}`).sort()).toEqual([
      'delete revokeDataShareAddendum',
      'get getAccountUsage',
      'get getDataShareAddendum',
      'get getDeliveryBreakdown',
      'get getMnoQualityInsights',
      'get getOperatorPerformance',
      'get getPlatformSummary',
      'get getThroughput',
      'post runQuery',
      'put setDataShareAddendum',
    ]);
    const tags = new Set((api.document.tags ?? []).map((t) => t.name));
    for (const { method, op } of ops) {
      expect(op.tags?.length).toBe(1);
      expect(tags.has(op.tags![0]!)).toBe(true);
      expect(op.summary, `${op.operationId} summary`).toBeTruthy();
      expect(op.description, `${op.operationId} description`).toBeTruthy();
      expect(op.security).toEqual([{ bearer: [] }]);
      for (const p of op.parameters ?? [])
        expect(p.description, `${op.operationId} ${p.in} ${p.name}`).toBeTruthy();
      if (method === 'get' || method === 'delete') {
        expect(op.requestBody, `${op.operationId} has a body`).toBeUndefined();
      } else {
        // A body is required JSON, closed to unknown members (the server refuses them 400),
        // with examples (live-responses.spec.ts validates them and sends them).
        expect(op.requestBody?.required, `${op.operationId} body required`).toBe(true);
        expect(Object.keys(op.requestBody!.content)).toEqual(['application/json']);
        const body = op.requestBody!.content['application/json']!;
        expect(body.schema).toMatchObject({ type: 'object', additionalProperties: false });
        const examples = Object.values(body.examples ?? {});
        expect(examples.length, `${op.operationId} body examples`).toBeGreaterThan(0);
      }
      for (const [status, res] of Object.entries(op.responses)) {
        expect(res.description).not.toBe('Default Response');
        const media = Object.keys(res.content ?? {});
        if (status === '200') {
          expect(media).toEqual(['application/json']);
        } else {
          expect(media, `${op.operationId} ${status}`).toEqual(['application/problem+json']);
          expect(res.content!['application/problem+json']!.schema).toEqual({
            $ref: '#/components/schemas/Problem',
          });
        }
        const examples = Object.values(res.content![media[0]!]!.examples ?? {});
        expect(examples.length, `${op.operationId} ${status} examples`).toBeGreaterThan(0);
        if (status === '401') {
          expect(Object.keys(res.headers ?? {})).toEqual(['WWW-Authenticate']);
          expect(res.headers!['WWW-Authenticate']).toMatchObject({ required: true });
        }
      }
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    }
  });

  it('documents granularity as optional, defaulting to hourly', () => {
    const op = api.document.paths[`${PREFIX}/operators/{id}/performance`]!.get!;
    const granularity = op.parameters!.find((p) => p.name === 'granularity')!;
    expect(granularity).toMatchObject({ in: 'query', required: false });
    expect(granularity.schema?.default).toBe('hourly');
    for (const p of op.parameters!) if (p.in === 'query') expect(p.required).toBe(false);
  });

  it('documents the query DSL: X-Account-Id optional, its refusals and the documented body examples', () => {
    const op = api.document.paths[QUERY]!.post!;
    expect(op.operationId).toBe('runQuery');
    expect(op.parameters).toEqual([
      expect.objectContaining({ in: 'header', name: 'x-account-id', required: false }),
    ]);
    // 413, 415 and 503 are this operation's own: a result or body too large, a body that is
    // not JSON, ClickHouse not answering.
    expect(Object.keys(op.responses).sort()).toEqual(
      ['200', '400', '401', '403', '413', '415', '500', '503'].sort(),
    );
    const body = op.requestBody!.content['application/json']!;
    expect(body.schema.required).toEqual(['dataset', 'measures']);
    // Named, with their summaries (x-examples), exactly the documented ones.
    expect(body.examples).toEqual(QUERY_REQUEST_EXAMPLES);
    const ok = op.responses['200']!.content!['application/json']!;
    expect(ok.schema).toEqual({ $ref: '#/components/schemas/QueryResponse' });
    expect(Object.keys(ok.examples!)).toEqual(Object.keys(QUERY_RESPONSE_EXAMPLES));
  });

  it('gives money a realistic decimal-string example, so no tool invents a 74-digit one', () => {
    const money = api.document.components.schemas['Money'] as { examples: string[] };
    expect(money.examples).toEqual(['1234.567800']);
    const summary = api.document.paths[`${PREFIX}/summary`]!.get!.responses['200']!;
    const example = Object.values(summary.content!['application/json']!.examples!)[0]!;
    expect((example.value as { totalCost: string }).totalCost).toMatch(/^\d{1,7}\.\d{6}$/);
  });
});
