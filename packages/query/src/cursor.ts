// The keyset cursor of POST /v1/anlyt/query (contract §6.2): opaque to callers, signed so
// that a changed byte is refused (HMAC-SHA256 with the API's key), bound to the body and the
// caller's scope (a cursor is not a capability to another tenant's result), and expiring.
// It names a stored result and the last row number served: pages are read from that stored
// result, computed once, so rows arriving between pages never shift them.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { QueryBody } from './schema.js';
import type { Scope } from './plan.js';

export interface CursorState {
  /** The stored result. */
  resultId: string;
  /** Rows 1..afterRow were served. */
  afterRow: number;
  /** bindingOf(body, scope) of the first page. */
  binding: string;
  /** The first page's dataAsOf (epoch ms; null when there was no data). */
  dataAsOfMs: number | null;
  expiresAtMs: number;
}

export type OpenedCursor = { ok: true; state: CursorState } | { ok: false; detail: string };

const b64 = (b: Buffer) => b.toString('base64url');

export function signCursor(state: CursorState, key: Buffer): string {
  const payload = b64(Buffer.from(JSON.stringify(state)));
  return `${payload}.${b64(createHmac('sha256', key).update(payload).digest())}`;
}

export function openCursor(text: string, key: Buffer, nowMs: number): OpenedCursor {
  const [payload, mac, extra] = text.split('.');
  if (payload === undefined || mac === undefined || extra !== undefined)
    return { ok: false, detail: 'cursor is not one this API issued' };
  const want = createHmac('sha256', key).update(payload).digest();
  const got = Buffer.from(mac, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want))
    return { ok: false, detail: 'cursor is not one this API issued' };
  const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorState;
  if (state.expiresAtMs <= nowMs)
    return { ok: false, detail: 'cursor has expired; start again without a cursor' };
  return { ok: true, state };
}

/**
 * What a cursor is bound to: the body without `cursor` and `limit` (pages may differ in
 * size) and the caller's scope, as a hash of their canonical JSON (keys sorted).
 */
export function bindingOf(body: QueryBody, scope: Scope): string {
  const question = { ...body, cursor: undefined, limit: undefined }; // canonical() drops them
  return createHash('sha256').update(canonical({ question, scope })).digest('base64url');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
