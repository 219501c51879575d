/**
 * Registers every named schema with fastify (`addSchema`), which makes them what the route
 * schemas' `$ref`s resolve to — for serialisation and validation — and what @fastify/swagger
 * publishes as `#/components/schemas/<$id>` (its refResolver is told to name them by `$id`).
 */
import type { FastifyInstance } from 'fastify';
import { BODY_SCHEMAS } from './bodies.js';
import { COMMON_SCHEMAS } from './common.js';
import { QUERY_SCHEMAS } from '../query/schemas.js';
import { INSIGHTS_SCHEMAS } from '../insights/schemas.js';

export const API_SCHEMAS = [
  ...COMMON_SCHEMAS,
  ...BODY_SCHEMAS,
  ...QUERY_SCHEMAS,
  ...INSIGHTS_SCHEMAS,
];

export function registerSchemas(app: FastifyInstance): void {
  for (const schema of API_SCHEMAS) app.addSchema(schema);
}

/**
 * @fastify/swagger's `refResolver.buildLocalReference`: the component name of a registered
 * schema. Its default is `def-<n>` (in registration order), which is what clients would see
 * as type names; ours are the `$id`s (Money, Window, Problem …).
 */
export function componentName(json: { $id?: unknown }, _base: unknown, _frag: unknown, i: number) {
  return typeof json.$id === 'string' ? json.$id : `def-${i}`;
}
