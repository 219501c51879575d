import { hash } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';

// The parts shared by every decoder: bytes → object, errors → reason, event → hash.

/** At most this many distinct failing paths are listed in a reason. */
const MAX_REASONS = 3;

// fatal: a payload that is not valid UTF-8 is invalid, rather than silently "repaired"
// with U+FFFD (which could make two different payloads decode to the same event).
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedObject =
  { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

export function parseJsonObject(data: Uint8Array): ParsedObject {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, reason: 'not UTF-8: invalid byte sequence' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's SyntaxError message quotes the input (which may hold an msisdn), so it is not
    // passed on; the length is enough to tell an empty or truncated payload apart.
    return { ok: false, reason: `not JSON: syntax error in ${data.byteLength} bytes` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return { ok: false, reason: `not a JSON object: got ${kind}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * "path: message; …" for the first few failing paths. TypeBox's messages quote only the
 * schema (patterns, limits, constants), never the value, and paths are schema property
 * names, so the reason cannot leak an msisdn or any other field value. The one exception is
 * a member a closed object (cdr's `compliance`) must not have: TypeBox puts that member's
 * name, which comes from the payload, into the path, so it is reported on the object instead.
 * Only runs on the failure path, so its cost does not matter.
 */
export function describeErrors<T extends TSchema>(check: TypeCheck<T>, value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const error of check.Errors(value)) {
    const unexpected = error.type === ValueErrorType.ObjectAdditionalProperties;
    const path = unexpected ? error.path.slice(0, error.path.lastIndexOf('/')) : error.path;
    if (seen.has(path)) continue;
    seen.add(path);
    const custom: unknown = error.schema['errorMessage'];
    const message = unexpected
      ? 'Unexpected property'
      : typeof custom === 'string'
        ? custom
        : error.message;
    parts.push(`${path === '' ? '/' : path}: ${message}`);
    if (parts.length === MAX_REASONS) break;
  }
  return parts.length > 0 ? parts.join('; ') : 'schema violation';
}

// The schema's date-time format uses the same parser, so for a valid event this cannot
// fail; the check stays so that occurredAtMs can never be NaN even if the schema changes.
export const BAD_OCCURRED_AT = { ok: false, reason: '/occurredAt: not a valid instant' } as const;

/** The rejection of a schema-valid event in a currency other than the settlement currency. */
export function wrongCurrency(
  currency: string,
  settlementCurrency: string,
): { ok: false; reason: string } {
  // The currency passed ^[A-Z]{3}$, so quoting it cannot leak anything personal.
  return {
    ok: false,
    reason: `currency ${currency} is not the settlement currency ${settlementCurrency}`,
  };
}

/** The fields a payload hash covers, sorted, with their `"key":` JSON prefixes. */
export interface HashLayout {
  readonly keys: readonly string[];
  readonly prefixes: readonly string[];
}

/**
 * Lays out the hashed fields once, at module load: the hot path must not sort keys or
 * stringify key names per event. Typed so that adding a field to an event type without
 * listing it here, or listing a field the type lacks, is a compile error; occurredAtMs is
 * excluded because it is derived from occurredAt.
 */
export function hashLayout<E>(fields: Record<Exclude<keyof E, 'occurredAtMs'>, true>): HashLayout {
  const keys = Object.keys(fields).sort();
  const prefixes = keys.map((key, i) => `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`);
  return Object.freeze({ keys, prefixes });
}

/**
 * First 16 bytes of SHA-256 over the canonical form of a decoded event: its JSON with the
 * layout's keys in sorted order and no whitespace. Because it is taken over the decoded
 * event, msisdn and unknown extra fields are not part of it, nor are the payload's key
 * order and whitespace: a re-serialised identical event hashes the same, while the same
 * eventId with any different contract field hashes differently (a conflict, contract §2).
 * 128 bits keep accidental collisions out of reach for any realistic event volume.
 */
export function payloadHash(event: object, layout: HashLayout): Uint8Array {
  const values = event as Record<string, unknown>;
  const { keys, prefixes } = layout;
  let canonical = '';
  for (let i = 0; i < keys.length; i++) {
    canonical += `${prefixes[i] as string}${JSON.stringify(values[keys[i] as string])}`;
  }
  canonical += '}';
  return new Uint8Array(hash('sha256', canonical, 'buffer').subarray(0, 16));
}
