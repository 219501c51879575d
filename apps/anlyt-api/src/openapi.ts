/**
 * The OpenAPI 3.1 document's frame (info, servers, tags, security scheme) and how
 * @fastify/swagger names the components. The operations come from the route schemas, the
 * components from schemas/. docs/openapi.json is this document as a default deployment
 * serves it (`pnpm --filter @anlyt/api openapi:write`; a conformance test fails on drift).
 */
import type { SwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import { componentName } from './schemas/components.js';

const DESCRIPTION = [
  'Read-only analytics for the admin dashboard, the customer portal and the routing engine,',
  'computed from exact hourly aggregates of billing events and delivery reports (DLRs).',
  '',
  '- **Authentication**: `Authorization: Bearer <JWT>` on every operation; the token’s `role`',
  '  decides what it may call (admin: everything; portal: its own account, named in',
  '  `X-Account-Id`: account usage, the query DSL scoped to it, its anonymised MNO quality).',
  '  A 401 carries a `WWW-Authenticate` Bearer challenge.',
  '- **Windows**: `from`/`to` take RFC 3339 timestamps or `YYYY-MM-DD` dates (UTC), half-open;',
  '  default today so far; at most 90 days. Bounds are widened outward to whole UTC hours (the',
  '  aggregates are hourly) and every answer echoes the requested and the effective window.',
  '- **Numbers**: money is an exact decimal string with 6 decimals (`Money`), counts are',
  '  integers, rates and latencies numbers; every P95 carries its error bound and sample size.',
  '- **Freshness**: every answer carries `dataAsOf` per projection and `lagSeconds`.',
  '- **Errors**: RFC 9457 `application/problem+json` (`Problem`) with a machine-readable `code`.',
  '- **Query DSL** (`POST /v1/anlyt/query`): a typed body over the ClickHouse facts and cubes,',
  '  tenant-scoped server-side, cursor-paged; windows up to 366 days (see the operation).',
  '- **Tenant insights** (`GET /v1/anlyt/insights/mno-quality`): per-MNO quality of the MNOs a',
  '  tenant used, anonymised (`MNO-A`, …) unless a data-share addendum is on record (admin).',
].join('\n');

export const TAGS = [
  { name: 'platform', description: 'The whole platform: totals, throughput, DLR outcomes' },
  { name: 'operators', description: 'One mobile network operator (MNO)' },
  { name: 'accounts', description: 'One customer account; portal callers see only their own' },
  {
    name: 'query',
    description: 'The query DSL over the ClickHouse facts and cubes (POST /v1/anlyt/query)',
  },
  {
    name: 'insights',
    description: 'Tenant-facing MNO quality, anonymised, and the data-share addendum behind it',
  },
];

export function openapiOptions(publicUrl: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'anlyt internal analytics API',
        version: '1',
        description: DESCRIPTION,
        // Internal to the platform: no open-source licence applies (an SPDX LicenseRef).
        license: { name: 'Proprietary, internal use only', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: publicUrl, description: 'this deployment (ANLYT_API_PUBLIC_URL)' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A JWT with `sub`, `exp` and `role` (admin, portal or regulator), HS256 with the ' +
              "deployment's secret or verified against its JWKS",
          },
        },
      },
    },
    refResolver: { buildLocalReference: componentName },
    transformObject: requireChallengeHeader,
  };
}

type Paths = Record<string, Record<string, { responses?: Record<string, ResponseWithHeaders> }>>;
interface ResponseWithHeaders {
  headers?: Record<string, { required?: boolean }>;
}

/**
 * @fastify/swagger writes a declared response header as `{ schema, description }`, with no way
 * to say `required`; a 401's challenge is a MUST (RFC 9110 §15.5.2), so it is marked here (and
 * generated clients type it as always present).
 */
const requireChallengeHeader: SwaggerTransformObject = (doc) => {
  if (!('openapiObject' in doc)) throw new Error('an OpenAPI 3 document was expected');
  for (const item of Object.values((doc.openapiObject.paths ?? {}) as Paths)) {
    for (const op of Object.values(item)) {
      const challenge = op.responses?.['401']?.headers?.['WWW-Authenticate'];
      if (challenge) challenge.required = true;
    }
  }
  return doc.openapiObject;
};
