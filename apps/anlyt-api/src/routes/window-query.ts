import { parseWindow, planWindow, type TimeWindow, type WindowPlan } from '@anlyt/domain';
import { Type } from '@sinclair/typebox';
import { ApiProblem } from '../problem.js';

// The range @anlyt/domain's parseWindow accepts (window.ts MIN_BOUND_MS / MAX_BOUND_MS).
const RANGE =
  'Bounds lie in 1970-01-01T00:00:00Z to 9999-12-31T23:00:00Z (so the latest date-only to is ' +
  '9999-12-30); outside it → 400 INVALID_WINDOW.';

/**
 * from/to as query-string properties. Routes with more parameters spread these into their own
 * Type.Object: an allOf/Intersect with additionalProperties: false would make fastify's ajv
 * (removeAdditional) silently drop the route's other parameters.
 */
export const windowQueryProps = {
  from: Type.Optional(
    Type.String({
      description: `RFC 3339 timestamp or YYYY-MM-DD (UTC); default: today 00:00Z. ${RANGE}`,
    }),
  ),
  to: Type.Optional(
    Type.String({
      description: `RFC 3339 timestamp (exclusive) or YYYY-MM-DD (inclusive: the end of that day); default: now. ${RANGE}`,
    }),
  ),
};

export const WindowQuerySchema = Type.Object(windowQueryProps, { additionalProperties: false });

/** Parses from/to per contract §4 or throws INVALID_WINDOW; returns the window and its plan. */
export function windowOf(
  q: { from?: string; to?: string },
  nowMs: number,
): { window: TimeWindow; plan: WindowPlan } {
  const r = parseWindow(q.from, q.to, nowMs);
  if (!r.ok) throw new ApiProblem(400, 'INVALID_WINDOW', r.detail);
  return { window: r.window, plan: planWindow(r.window) };
}

export function windowEcho(w: TimeWindow) {
  return {
    from: new Date(w.fromMs).toISOString(),
    to: new Date(w.toMs).toISOString(),
    requestedFrom: w.requestedFrom,
    requestedTo: w.requestedTo,
  };
}
