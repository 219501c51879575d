/**
 * The page a person can look at for US-ANLYT-19 AC1: `GET /insights/mno-quality` shows what
 * the customer portal shows — a tenant's anonymised per-MNO quality — by calling
 * `GET /v1/anlyt/insights/mno-quality` from the browser (contract §6.5).
 *
 * - Public static content: the page holds no data and needs no token; the browser brings the
 *   portal token itself (URL fragment or form) and sends it to the JSON endpoint, which does
 *   all the authentication and scoping. A fragment never reaches this server or its logs.
 * - No build step: plain HTML, CSS and one vanilla JS file in `public/`, read from the package
 *   root at run time (`src/insights-page/public` from both `src/` and `dist/`, which sit at the
 *   same depth), so `tsc` needs not copy anything. chart.js comes from node_modules (the
 *   machine serving the page may have no internet, and a CDN would widen the CSP).
 * - Strict CSP: only this origin's scripts, styles and fetches, no inline script or style.
 * - Hidden from the OpenAPI document: it is not part of the API.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

export const INSIGHTS_PAGE_PATH = '/insights/mno-quality';
const ASSETS = '/insights/assets';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The token lives in the fragment, which browsers never put in a Referer; this is belt
  // and braces for anything the page might link to later.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  cacheControl: string;
}

const PUBLIC_DIR = fileURLToPath(new URL('../../src/insights-page/public/', import.meta.url));

/** chart.js's exports map hides `dist/`; its CommonJS entry sits beside the UMD build. */
function chartJsUmdFile(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(entry), 'chart.umd.min.js');
}

/** Read once at registration: a missing file fails the start, not a request. */
function loadAssets(): Asset[] {
  const own = (file: string, type: string): Asset => ({
    path: `${ASSETS}/${file}`,
    type,
    body: readFileSync(join(PUBLIC_DIR, file)),
    // Our files change with each deploy under the same name: revalidate every time.
    cacheControl: 'no-cache',
  });
  return [
    {
      path: INSIGHTS_PAGE_PATH,
      type: 'text/html; charset=utf-8',
      body: readFileSync(join(PUBLIC_DIR, 'mno-quality.html')),
      cacheControl: 'no-cache',
    },
    own('mno-quality.js', 'text/javascript; charset=utf-8'),
    own('mno-quality.css', 'text/css; charset=utf-8'),
    {
      path: `${ASSETS}/chart.umd.min.js`,
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(chartJsUmdFile()),
      cacheControl: 'public, max-age=86400',
    },
  ];
}

/** Registered at the root (no prefix): the page and its assets, nothing else. */
export const insightsPage: FastifyPluginAsync = async (app) => {
  for (const a of loadAssets()) {
    app.get(a.path, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .headers(SECURITY_HEADERS)
        .header('cache-control', a.cacheControl)
        .type(a.type)
        .send(a.body),
    );
  }
};
