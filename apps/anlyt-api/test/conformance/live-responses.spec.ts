/**
 * US-ANLYT-04 to US-ANLYT-07 and US-ANLYT-14: what the running API sends is what its document
 * declares. Every call of LIVE_CALLS (every operation, GET and POST, with a 200 and each error
 * status it declares) is made over TCP; the answer's status must be declared for the
 * operation, its media type must be the declared one (application/problem+json for every
 * error), its body must validate against the declared schema (ajv, JSON Schema 2020-12 with
 * formats, against the served document), and the headers the response declares (a 401's
 * WWW-Authenticate) must be there. A request body the server took must validate against the
 * declared request schema; the documented examples, of request bodies too, against theirs;
 * and the documented request examples and a cursor's later pages are answered as declared.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEARER_REALM } from '../../src/plugins/auth.js';
import {
  DAY,
  LIVE_CALLS,
  QUERY,
  send,
  startLiveApi,
  type LiveApi,
  type OpenApiDocument,
  type ResponseObject,
} from './live-api.js';

const DOC_ID = 'https://anlyt.internal/openapi.json';
const JSON_MEDIA = 'application/json';

let api: LiveApi;
let ajv: Ajv2020;
beforeAll(async () => {
  api = await startLiveApi();
  ajv = new Ajv2020({ allErrors: true, strict: true });
  ajvFormats.default(ajv); // a CommonJS module: its default export is the plugin
  // The whole document under one id, so its `#/components/schemas/…` refs resolve inside it.
  // Its own top-level fields are not schema keywords: declared as such, so strict mode still
  // refuses any unknown keyword inside the schemas.
  ajv.addVocabulary(Object.keys(api.document));
  ajv.addSchema(api.document, DOC_ID);
});
afterAll(async () => {
  await api?.close();
});

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The validator of the schema at these JSON pointer parts of the served document. */
function validatorAt(...parts: string[]) {
  const ref = `${DOC_ID}#/${pointer(...parts)}`;
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

/** The validator of one declared response body. */
const responseValidator = (method: string, path: string, status: string, media: string) =>
  validatorAt('paths', path, method, 'responses', status, 'content', media, 'schema');

/** The validator of one declared request body. */
const requestValidator = (method: string, path: string, media: string) =>
  validatorAt('paths', path, method, 'requestBody', 'content', media, 'schema');

const declared = (
  doc: OpenApiDocument,
  method: string,
  path: string,
  status: number,
): ResponseObject | undefined => doc.paths[path]?.[method]?.responses[String(status)];

const operations = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe('every live response validates against its declared schema', () => {
  it.each(LIVE_CALLS.map((c) => [c.name, c] as const))('%s', async (_name, call) => {
    const res = await send(api, call);
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(call.status);
    if (call.code) expect((body as { code?: string }).code).toBe(call.code);

    const method = call.method ?? 'get';
    const response = declared(api.document, method, call.path, res.status);
    expect(response, `${method} ${call.path} does not declare ${res.status}`).toBeDefined();
    const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(response!.content ?? {})).toEqual([media]);
    expect(media).toBe(res.status === 200 ? JSON_MEDIA : 'application/problem+json');

    const validate = responseValidator(method, call.path, String(res.status), media);
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);

    for (const header of Object.keys(response!.headers ?? {}))
      expect(res.headers.get(header), `${header} is declared but missing`).toBeTruthy();
    if (res.status === 401) {
      // RFC 9110 §15.5.2 + RFC 6750 §3: a Bearer challenge; invalid_token only if one was sent.
      const challenge = res.headers.get('www-authenticate');
      expect(challenge).toBe(
        call.auth === 'none'
          ? `Bearer realm="${BEARER_REALM}"`
          : `Bearer realm="${BEARER_REALM}", error="invalid_token"`,
      );
    } else {
      expect(res.headers.get('www-authenticate')).toBeNull();
    }

    if (call.body !== undefined && call.status !== 400 && call.status !== 415) {
      // A JSON body the server did not refuse as a bad request is one the document admits: a
      // client validating with the published schema must not refuse what the server takes.
      // A string is the bytes sent: JSON the server was given, judged once parsed.
      const sent: unknown = typeof call.body === 'string' ? JSON.parse(call.body) : call.body;
      const request = requestValidator(method, call.path, JSON_MEDIA);
      expect(request(sent), ajv.errorsText(request.errors)).toBe(true);
    }
    if (method === 'post' && res.status === 200) {
      // Rows of the loaded traffic, not an empty page that any schema would admit.
      expect((body as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    }
  });

  it('covers every operation with a 200 and every declared error status', () => {
    const seen = new Set(LIVE_CALLS.map((c) => `${c.method ?? 'get'} ${c.path} ${c.status}`));
    const ops = operations(api.document);
    expect(ops.map((o) => o.method)).toContain('post');
    for (const { path, method, op } of ops) {
      expect(seen.has(`${method} ${path} 200`), `${method} ${path} 200`).toBe(true);
      for (const status of Object.keys(op.responses)) {
        // A 500 cannot be provoked from outside; its schema is the same Problem.
        if (status !== '500')
          expect(seen.has(`${method} ${path} ${status}`), `${method} ${path} ${status}`).toBe(true);
      }
    }
  });

  it('every documented example validates against its schema, request bodies included', () => {
    let checked = 0;
    let requests = 0;
    for (const { path, method, op } of operations(api.document)) {
      for (const [media, content] of Object.entries(op.requestBody?.content ?? {})) {
        const validate = requestValidator(method, path, media);
        for (const [name, example] of Object.entries(content.examples ?? {})) {
          expect(validate(example.value), `${method} ${path} request ${name}`).toBe(true);
          requests++;
        }
      }
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [media, content] of Object.entries(response.content ?? {})) {
          const validate = responseValidator(method, path, status, media);
          for (const [name, example] of Object.entries(content.examples ?? {})) {
            expect(validate(example.value), `${method} ${path} ${status} ${name}`).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(requests).toBeGreaterThan(0);
  });
});

describe('the query DSL answers as documented', () => {
  const post = async (url: string, body: unknown, method = 'post') => {
    const res = await fetch(url, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': JSON_MEDIA },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { rows: unknown[] } };
  };

  it('answers every documented request example 200, with a body its schema admits', async () => {
    let sent = 0;
    for (const { path, method, op } of operations(api.document)) {
      const examples = op.requestBody?.content[JSON_MEDIA]?.examples ?? {};
      // POST /v1/anlyt/query (the clickhouse server's) and PUT of a tenant's data-share
      // addendum (the postgres server's) are the operations with a body.
      for (const [name, example] of Object.entries(examples)) {
        expect(['post', 'put']).toContain(method);
        const url =
          method === 'post'
            ? `${api.servers.clickhouse}${path}`
            : `${api.servers.postgres}${path.replace('{tenantId}', 'acc_examples')}`;
        const r = await post(url, example.value, method);
        expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(200);
        const validate = responseValidator(method, path, '200', JSON_MEDIA);
        expect(validate(r.body), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(0);
  });

  it('follows a cursor through later pages that validate too and add up to the one-page answer', async () => {
    const url = `${api.servers.clickhouse}${QUERY}`;
    const body = {
      dataset: 'dlr',
      measures: ['dlrs', 'deliveryRate'],
      dimensions: ['hour', 'tenantId'],
      order: [{ member: 'dlrs', dir: 'desc' }],
      timeRange: { from: DAY, to: DAY },
    };
    const validate = responseValidator('post', QUERY, '200', JSON_MEDIA);
    const whole = await post(url, { ...body, limit: 1000 });
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ nextCursor: null });

    const pages: unknown[][] = [];
    let cursor: string | null = null;
    do {
      const page = await post(url, { ...body, limit: 7, cursor });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(validate(page.body), ajv.errorsText(validate.errors)).toBe(true);
      pages.push(page.body.rows);
      cursor = (page.body as unknown as { nextCursor: string | null }).nextCursor;
    } while (cursor !== null);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.flat()).toEqual(whole.body.rows);
  });
});
