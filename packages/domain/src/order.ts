// Deterministic ordering of fold output. The database applies each delta array in array
// order (unnest … ON CONFLICT DO UPDATE), so that order is the order in which a transaction
// takes its row locks. Every writer sorting the same way means two consumers upserting
// overlapping buckets lock them in the same order and cannot deadlock. The order is JS
// code-unit order, not any database collation: it only has to be the same for all writers.

import type { Scope } from './buckets.js';

/** Code-unit string comparison (locale-independent, so identical on every replica). */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ScopedHour {
  scope: Scope;
  scopeId: string;
  hourMs: number;
}

interface ScopedSecond {
  scope: Scope;
  scopeId: string;
  secondMs: number;
}

/** Orders by (scope, scopeId, hourMs). */
export function byScopeIdHour(a: ScopedHour, b: ScopedHour): number {
  return cmpStr(a.scope, b.scope) || cmpStr(a.scopeId, b.scopeId) || a.hourMs - b.hourMs;
}

/** Orders by (scope, scopeId, secondMs). */
export function byScopeIdSecond(a: ScopedSecond, b: ScopedSecond): number {
  return cmpStr(a.scope, b.scope) || cmpStr(a.scopeId, b.scopeId) || a.secondMs - b.secondMs;
}
