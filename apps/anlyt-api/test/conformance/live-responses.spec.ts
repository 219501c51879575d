/**
 * US-ANLYT-04 to US-ANLYT-07: what the running API sends is what its document declares. Every
 * call of LIVE_CALLS (all five operations, and 400, 401, 403 and 404) is made over TCP; the
 * answer's status must be declared for the operation, its media type must be the declared
 * one (application/problem+json for every error), its body must validate against the
 * declared schema (ajv, JSON Schema 2020-12 with formats, against the served document), and
 * the headers the response declares (a 401's WWW-Authenticate) must be there.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEARER_REALM } from '../../src/plugins/auth.js';
import {
  headersFor,
  LIVE_CALLS,
  startLiveApi,
  type LiveApi,
  type OpenApiDocument,
  type ResponseObject,
} from './live-api.js';

const DOC_ID = 'https://anlyt.internal/openapi.json';

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

/** The validator of one declared response body, by JSON pointer into the served document. */
function validatorOf(path: string, status: string, media: string) {
  const ref = `${DOC_ID}#/${pointer('paths', path, 'get', 'responses', status, 'content', media, 'schema')}`;
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

const declared = (doc: OpenApiDocument, path: string, status: number): ResponseObject | undefined =>
  doc.paths[path]?.['get']?.responses[String(status)];

describe('every live response validates against its declared schema', () => {
  it.each(LIVE_CALLS.map((c) => [c.name, c] as const))('%s', async (_name, call) => {
    const res = await fetch(`${api.base}${call.url}`, { headers: headersFor(api, call) });
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(call.status);

    const response = declared(api.document, call.path, res.status);
    expect(response, `${call.path} does not declare ${res.status}`).toBeDefined();
    const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(response!.content ?? {})).toEqual([media]);
    expect(media).toBe(res.status === 200 ? 'application/json' : 'application/problem+json');

    const validate = validatorOf(call.path, String(res.status), media);
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
  });

  it('covers every operation with a 200 and every declared error status', () => {
    const seen = new Set(LIVE_CALLS.map((c) => `${c.path} ${c.status}`));
    for (const [path, item] of Object.entries(api.document.paths)) {
      expect(seen.has(`${path} 200`), `${path} 200`).toBe(true);
      for (const status of Object.keys(item['get']!.responses)) {
        // A 500 cannot be provoked from outside; its schema is the same Problem.
        if (status !== '500') expect(seen.has(`${path} ${status}`), `${path} ${status}`).toBe(true);
      }
    }
  });

  it("every documented example validates against its response's schema", () => {
    let checked = 0;
    for (const [path, item] of Object.entries(api.document.paths)) {
      for (const [status, response] of Object.entries(item['get']!.responses)) {
        for (const [media, content] of Object.entries(response.content ?? {})) {
          const validate = validatorOf(path, status, media);
          for (const [name, example] of Object.entries(content.examples ?? {})) {
            expect(validate(example.value), `${path} ${status} ${name}`).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
