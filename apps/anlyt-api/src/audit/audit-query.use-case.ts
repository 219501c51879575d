/**
 * POST /v1/anlyt/audit/query (US-ANLYT-15, contract §6.3): one tenant's CDR or compliance facts
 * of a window of up to 5 years, counted first, then streamed.
 * - The window is contract §4's (RFC 3339 or YYYY-MM-DD, half-open, a date-only `to` is the
 *   end of that day), both bounds required, and EXACT: facts are raw events, so nothing is
 *   widened to hours here (unlike the aggregates).
 * - "Up to 5 years" is any 5 calendar years: at most 1 827 days (5 × 365 + 2 leap days).
 * - More than `maxRows` → RESULT_TOO_LARGE before a single row is sent: a response cut off at
 *   the cap would look like a complete answer. The export has no cap.
 * Refusals are thrown as AuditRefused (the route answers them as problem+json).
 */
import { parseWindow } from '@anlyt/domain';

export type AuditDataset = 'cdr' | 'compliance';

export interface AuditBody {
  tenantId: string;
  from: string;
  to: string;
  dataset: AuditDataset;
}

/** What the facts port reads: one tenant, one dataset, [fromMs, toMs) exactly. */
export interface AuditSlice {
  tenantId: string;
  dataset: AuditDataset;
  fromMs: number;
  toMs: number;
}

/** NDJSON text, whole lines only, and how many rows (lines) it holds. */
export interface FactChunk {
  text: string;
  rows: number;
}

/** The port to the facts (adapter: clickhouse-audit-facts.ts). */
export interface AuditFacts {
  count(s: AuditSlice): Promise<number>;
  /** The slice's rows in a stable order, read as they are pulled; `signal` cancels. */
  stream(s: AuditSlice, signal: AbortSignal): AsyncIterable<FactChunk>;
}

export const MAX_AUDIT_DAYS = 5 * 365 + 2;

export class AuditRefused extends Error {
  constructor(
    readonly code: 'INVALID_WINDOW' | 'RESULT_TOO_LARGE',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'AuditRefused';
  }
}

/** The body's slice, or AuditRefused INVALID_WINDOW. */
export function sliceOf(body: AuditBody, nowMs: number): AuditSlice {
  const w = parseWindow(body.from, body.to, nowMs, MAX_AUDIT_DAYS);
  if (!w.ok)
    throw new AuditRefused('INVALID_WINDOW', w.detail.replace(/maximum is \d+$/, '$& (5 years)'));
  return {
    tenantId: body.tenantId,
    dataset: body.dataset,
    fromMs: Date.parse(w.window.requestedFrom),
    toMs: Date.parse(w.window.requestedTo),
  };
}

export interface OpenedAuditQuery {
  /** Rows counted before streaming (facts arriving meanwhile may add a few). */
  counted: number;
  chunks(signal: AbortSignal): AsyncIterable<FactChunk>;
}

export class AuditQueryUseCase {
  constructor(private readonly d: { facts: AuditFacts; maxRows: number }) {}

  async open(body: AuditBody, nowMs: number): Promise<OpenedAuditQuery> {
    const slice = sliceOf(body, nowMs);
    const counted = await this.d.facts.count(slice);
    if (counted > this.d.maxRows)
      throw new AuditRefused(
        'RESULT_TOO_LARGE',
        `the query matches ${counted} rows, more than the ${this.d.maxRows} a query may return; ` +
          'export it instead: POST /v1/anlyt/audit/exports with the same body',
      );
    return { counted, chunks: (signal) => this.d.facts.stream(slice, signal) };
  }
}
