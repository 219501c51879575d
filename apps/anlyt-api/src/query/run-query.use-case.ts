/**
 * POST /v1/anlyt/query (contract §6.2): a planned query run once, its first page answered and,
 * when there is more than one page, the whole result stored so that every later page is read
 * from that same computation. That is what makes paging exact: every row once, in order, and
 * "as of the first page's dataAsOf" — a re-run per page would see rows arriving in between
 * and shift them (an order by a measure even moves rows across pages).
 * - The first page: plan → dataAsOf → the statement's rows streamed; the first `limit` kept;
 *   if another row follows, all rows (first page included) are streamed into the store under
 *   a new result id, at most `maxResultRows` of them (RESULT_TOO_LARGE beyond).
 * - A later page: the signed cursor opened, its binding (question + scope) compared with this
 *   request's, then `limit` rows read after the cursor's row.
 * Refusals are thrown as QueryRefused (the route answers them as problem+json).
 */
import { randomUUID } from 'node:crypto';
import {
  bindingOf,
  DEFAULT_LIMIT,
  openCursor,
  planQuery,
  renderRow,
  signCursor,
  type Dataset,
  type QueryBody,
  type QueryPlan,
  type ResponseRow,
  type Scope,
} from '@anlyt/query';

export interface QueryStore {
  /** Epoch ms of the largest occurredAt the plan's source holds; null before any data. */
  dataAsOf(dataset: Dataset, source: QueryPlan['source']): Promise<number | null>;
  /** The planned statement's rows, streamed. */
  rows(sql: string): AsyncIterable<Record<string, unknown>>;
  /** Stores numbered rows (from 1) of a result; resolves once stored. */
  saveResult(resultId: string, rows: AsyncIterable<{ rowNo: number; row: string }>): Promise<void>;
  /** Rows afterRow+1 … afterRow+count, as the JSON texts stored. */
  readResult(resultId: string, afterRow: number, count: number): Promise<string[]>;
  /** Forgets results created before this UTC day (called at most hourly). */
  dropResultsBefore(dayMs: number): Promise<void>;
}

export interface QueryAnswer {
  rows: ResponseRow[];
  nextCursor: string | null;
  dataAsOf: string | null;
}

export type RefusalCode = 'INVALID_REQUEST' | 'INVALID_WINDOW' | 'FORBIDDEN' | 'RESULT_TOO_LARGE';

export class QueryRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'QueryRefused';
  }
}

export interface RunQueryDeps {
  store: QueryStore;
  database: string;
  cursorKey: Buffer;
  /** Rows a stored result may hold. */
  maxResultRows: number;
  /** How long a cursor stays valid; stored results are kept at least this long. */
  cursorTtlMs: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class RunQueryUseCase {
  private lastCleanupMs = 0;

  constructor(private readonly d: RunQueryDeps) {}

  execute(body: QueryBody, scope: Scope, nowMs: number): Promise<QueryAnswer> {
    return body.cursor
      ? this.nextPage(body, body.cursor, scope, nowMs)
      : this.firstPage(body, scope, nowMs);
  }

  private async firstPage(body: QueryBody, scope: Scope, nowMs: number): Promise<QueryAnswer> {
    // One page is never cut short by the stored-result cap (which only bounds what is stored).
    const maxRows = Math.max(this.d.maxResultRows, body.limit ?? DEFAULT_LIMIT);
    const planned = planQuery(body, scope, { nowMs, database: this.d.database, maxRows });
    if (!planned.ok) throw new QueryRefused(planned.code, planned.detail);
    const plan = planned.plan;
    // Read before the rows: the rows can only be newer than what dataAsOf says.
    const dataAsOfMs = await this.d.store.dataAsOf(plan.dataset, plan.source);
    const it = this.d.store.rows(plan.sql)[Symbol.asyncIterator]();
    const page: ResponseRow[] = [];
    let next = await it.next();
    while (!next.done && page.length < plan.limit) {
      page.push(renderRow(plan.columns, next.value));
      next = await it.next();
    }
    if (next.done) return { rows: page, nextCursor: null, dataAsOf: iso(dataAsOfMs) };

    const resultId = randomUUID();
    const max = this.d.maxResultRows;
    let stored = 0;
    let tooLarge = false;
    const columns = plan.columns;
    async function* numbered() {
      for (const r of page) yield { rowNo: ++stored, row: JSON.stringify(r) };
      while (!next.done) {
        if (stored >= max) {
          tooLarge = true;
          await it.return?.();
          return;
        }
        yield { rowNo: ++stored, row: JSON.stringify(renderRow(columns, next.value)) };
        next = await it.next();
      }
    }
    await this.d.store.saveResult(resultId, numbered());
    if (tooLarge)
      throw new QueryRefused(
        'RESULT_TOO_LARGE',
        `the query matches more than ${max} rows; narrow it (filters, a shorter timeRange, fewer dimensions)`,
      );
    await this.cleanup(nowMs);
    const cursor = signCursor(
      {
        resultId,
        afterRow: page.length,
        binding: bindingOf(body, scope),
        dataAsOfMs,
        expiresAtMs: nowMs + this.d.cursorTtlMs,
      },
      this.d.cursorKey,
    );
    return { rows: page, nextCursor: cursor, dataAsOf: iso(dataAsOfMs) };
  }

  private async nextPage(
    body: QueryBody,
    text: string,
    scope: Scope,
    nowMs: number,
  ): Promise<QueryAnswer> {
    const opened = openCursor(text, this.d.cursorKey, nowMs);
    if (!opened.ok) throw new QueryRefused('INVALID_REQUEST', opened.detail);
    const c = opened.state;
    if (c.binding !== bindingOf(body, scope))
      throw new QueryRefused(
        'INVALID_REQUEST',
        'the cursor belongs to another query (or caller); send the same body as for the first page',
      );
    const limit = body.limit ?? DEFAULT_LIMIT;
    const texts = await this.d.store.readResult(c.resultId, c.afterRow, limit + 1);
    // A cursor is only issued when a row follows it, so none means the result is gone.
    if (texts.length === 0)
      throw new QueryRefused(
        'INVALID_REQUEST',
        'the cursor has expired; start again without a cursor',
      );
    const rows = texts.slice(0, limit).map((t) => JSON.parse(t) as ResponseRow);
    const nextCursor =
      texts.length > limit
        ? signCursor({ ...c, afterRow: c.afterRow + limit }, this.d.cursorKey)
        : null;
    return { rows, nextCursor, dataAsOf: iso(c.dataAsOfMs) };
  }

  /** Drops stored results older than any live cursor, at most once an hour. */
  private async cleanup(nowMs: number) {
    if (nowMs - this.lastCleanupMs < HOUR_MS) return;
    this.lastCleanupMs = nowMs;
    const keepFrom = nowMs - this.d.cursorTtlMs;
    await this.d.store.dropResultsBefore(keepFrom - (keepFrom % DAY_MS));
  }
}
