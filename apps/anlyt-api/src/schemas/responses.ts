/**
 * The `response` maps of the routes, built one way: a 200 as application/json, every error as
 * application/problem+json with the Problem component (fastify picks the serialiser by status
 * AND media type, so these are also what the server sends), each with a real description and
 * examples taken from real responses (examples.ts). A 401 documents its WWW-Authenticate
 * challenge (plugins/auth.ts).
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { BEARER_REALM } from '../plugins/auth.js';
import { PROBLEM_JSON } from '../problem.js';
import { Problem, ref } from './common.js';
import { PROBLEM_EXAMPLES, type ProblemExamples } from './examples.js';

export const JSON_MEDIA = 'application/json';

interface Example<T> {
  summary: string;
  value: T;
}

/** A 200 response of `schema` (a named component) with named examples. */
export function ok<T extends TSchema>(
  schema: T,
  description: string,
  examples: Record<string, Example<Static<T>>>,
) {
  return { description, content: { [JSON_MEDIA]: { schema: ref(schema), examples } } };
}

const problemContent = (examples: ProblemExamples) => ({
  [PROBLEM_JSON]: { schema: ref(Problem), examples },
});

const DESCRIPTIONS = {
  400: 'INVALID_WINDOW (from ≥ to, longer than allowed, outside the supported range, not a date) or INVALID_REQUEST (a parameter fails its schema)',
  401: 'No bearer token, or one that is not valid (bad signature, expired, unknown role, algorithm not accepted); the reason is never given',
  403: "The token's role may not call this operation",
  404: 'Not found',
  413: 'RESULT_TOO_LARGE: the answer would exceed the rows one result may hold; narrow the query',
  415: 'INVALID_REQUEST: the body is not application/json',
  500: 'An unexpected failure; the details are only in the server log',
  503: 'UNAVAILABLE: a store the answer needs is down, overloaded or too slow; retry later',
} as const;

type Status = keyof typeof DESCRIPTIONS;

const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    type: 'string',
    description:
      `Always sent with a 401 (RFC 9110 §15.5.2): an RFC 6750 Bearer challenge, ` +
      `\`Bearer realm="${BEARER_REALM}"\` when no token was sent, ` +
      `\`Bearer realm="${BEARER_REALM}", error="invalid_token"\` when the token is not valid.`,
  },
};

/** An error response; `description` and `examples` default to the status's usual ones. */
export function problem(
  status: Status,
  o: { description?: string; examples?: ProblemExamples } = {},
) {
  return {
    description: o.description ?? DESCRIPTIONS[status],
    ...(status === 401 ? { headers: WWW_AUTHENTICATE } : {}),
    content: problemContent(o.examples ?? PROBLEM_EXAMPLES[status]),
  };
}

/** The usual error responses of an authenticated analytics route. */
export function problems<S extends Status>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, problem(s)])) as Record<
    S,
    ReturnType<typeof problem>
  >;
}
