/**
 * Removal of personal data by key, at any depth and inside arrays (docs/OBSERVABILITY.md).
 * pino's own `redact` takes fixed paths, so `*.*.msisdn` stopped at depth 3 and an msisdn
 * nested deeper (an event inside a batch inside an error) was logged as it was.
 */

/** Keys whose values never reach a log line, wherever they are in the logged object. */
export const REDACTED_KEYS: ReadonlySet<string> = new Set(['msisdn', 'payload', 'data']);

export const CENSOR = '[redacted]';

/** Objects nested deeper than this are censored whole: a log object is never that deep, and
 *  walking on would risk the stack on a pathological one. */
const MAX_DEPTH = 64;

/**
 * `value` with every REDACTED_KEYS property set to CENSOR, at any depth. Copy-on-write: the
 * caller's objects are never changed, and a subtree with nothing to redact is returned as it
 * is, so an object without such keys costs one pass over its keys and no allocation.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, [], 0) as T;
}

function walk(value: unknown, ancestors: object[], depth: number): unknown {
  // Typed arrays and Buffers hold bytes, not keys (and can be large): nothing to look at.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  // A cycle: pino would print "[Circular]" here. Keeping the reference instead would point a
  // redacted copy back at the original, whose keys would then be printed unredacted.
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return CENSOR;
  ancestors.push(value);
  try {
    return Array.isArray(value)
      ? walkArray(value, ancestors, depth)
      : walkObject(value, ancestors, depth);
  } finally {
    ancestors.pop();
  }
}

function walkArray(a: unknown[], ancestors: object[], depth: number): unknown[] {
  let copy: unknown[] | null = null;
  for (let i = 0; i < a.length; i++) {
    const redacted = walk(a[i], ancestors, depth + 1);
    if (redacted !== a[i]) (copy ??= a.slice())[i] = redacted;
  }
  return copy ?? a;
}

function walkObject(o: object, ancestors: object[], depth: number): object {
  let copy: object | null = null;
  for (const key in o) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    const v: unknown = (o as Record<string, unknown>)[key];
    const redacted =
      REDACTED_KEYS.has(key) && v !== undefined ? CENSOR : walk(v, ancestors, depth + 1);
    if (redacted === v) continue;
    copy ??= shallowCopy(o);
    Object.defineProperty(copy, key, {
      value: redacted,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy ?? o;
}

/** Same prototype and own properties (an Error keeps its message, stack and class, so pino's
 *  err serialiser treats the copy as it would the original); all made configurable. */
function shallowCopy(o: object): object {
  const descriptors = Object.getOwnPropertyDescriptors(o);
  for (const d of Object.values(descriptors)) d.configurable = true;
  return Object.create(Object.getPrototypeOf(o) as object | null, descriptors) as object;
}
