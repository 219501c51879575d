// The compliance audit's reads of facts_cdr (contract §6.3): one named function per statement.
// - `FINAL`: every eventId once, whatever copies are not merged yet (contract §6.1).
// - The rows leave ClickHouse already in their response form (JSONEachRow, one object per
//   line), so the API passes lines through without parsing them: money as an exact decimal
//   string with 6 decimals from the Int64 micro-units, instants as RFC 3339 UTC with ms.
// - The window is exact on occurredAt ([from, to), ms); the `hour` condition only lets the
//   primary key (tenantId, hour, eventId) skip the granules outside it.
import { rows, type ClickHouseClient } from './client.js';
import { FACTS_CDR } from './ddl/facts.js';
import { qualified, type Topology } from './ddl/topology.js';
import { sqlDateTime, sqlString, sqlUInt } from './escape.js';

export type AuditDataset = 'cdr' | 'compliance';

export interface AuditSlice {
  tenantId: string;
  dataset: AuditDataset;
  /** Half-open [fromMs, toMs), epoch ms. */
  fromMs: number;
  toMs: number;
}

const HOUR_MS = 3_600_000;

/** `123.456000` from Int64 micro-units, sign first; exact (integer arithmetic only). */
const MONEY =
  "concat(if(amountMicros < 0, '-', ''), toString(intDiv(abs(amountMicros), 1000000)), '.', " +
  'substring(toString(1000000 + abs(amountMicros) % 1000000), 2))';
/** `2026-11-20T10:00:00.123Z` from epoch ms, as JavaScript's toISOString writes it. */
const OCCURRED_AT =
  "concat(formatDateTime(toDateTime(intDiv(occurredAtMs, 1000), 'UTC'), '%Y-%m-%dT%H:%M:%S', 'UTC'), " +
  "'.', substring(toString(1000 + occurredAtMs % 1000), 2), 'Z')";

/**
 * The columns of each dataset, in output order (name → expression). `cdr` is every contract
 * field the fact table holds (it has no msisdn), bookkeeping (streamSeq, payloadHash, ver,
 * insertedAt) and the derived `hour` left out. `compliance` is the CDR's compliance block
 * (verdict, rule) with the fields that identify the message it was decided for.
 */
export const AUDIT_COLUMNS: Record<AuditDataset, readonly (readonly [string, string])[]> = {
  cdr: [
    ['eventId', 'toString(eventId)'],
    ['tenantId', 'tenantId'],
    ['occurredAt', OCCURRED_AT],
    ['messageId', 'messageId'],
    ['mno', 'mno'],
    ['direction', 'direction'],
    ['lane', 'lane'],
    ['destinationPrefix', 'destinationPrefix'],
    ['senderId', 'senderId'],
    ['segments', 'segments'],
    ['amount', MONEY],
    ['currency', 'currency'],
    ['submitStatus', 'submitStatus'],
    ['esmeErrorCode', 'esmeErrorCode'],
    ['verdict', 'verdict'],
    ['rule', 'rule'],
  ],
  compliance: [
    ['eventId', 'toString(eventId)'],
    ['tenantId', 'tenantId'],
    ['occurredAt', OCCURRED_AT],
    ['messageId', 'messageId'],
    ['mno', 'mno'],
    ['senderId', 'senderId'],
    ['destinationPrefix', 'destinationPrefix'],
    ['verdict', 'verdict'],
    ['rule', 'rule'],
  ],
};

/** The slice's condition: its tenant, its hours (index), then exactly its instants. */
function sliceWhere(s: AuditSlice): string {
  return [
    `tenantId = ${sqlString(s.tenantId)}`,
    `hour >= ${sqlDateTime(s.fromMs - (s.fromMs % HOUR_MS))}`,
    `hour < ${sqlDateTime(s.toMs)}`,
    `occurredAtMs >= ${sqlUInt(s.fromMs)}`,
    `occurredAtMs < ${sqlUInt(s.toMs)}`,
  ].join(' AND ');
}

/** The rows `streamAuditFacts` would stream. */
export async function countAuditFacts(
  ch: ClickHouseClient,
  t: Topology,
  s: AuditSlice,
): Promise<number> {
  const [r] = await rows<{ n: string }>(
    ch,
    `SELECT count() AS n FROM ${qualified(t, FACTS_CDR.name)} FINAL WHERE ${sliceWhere(s)}`,
  );
  return Number(r?.n ?? 0);
}

/** The SELECT of a slice, ordered by occurredAt then eventId (a stable order to compare). */
export function auditFactsSql(t: Topology, s: AuditSlice): string {
  const columns = AUDIT_COLUMNS[s.dataset].map(([name, expr]) => `${expr} AS ${name}`);
  return `SELECT ${columns.join(', ')} FROM ${qualified(t, FACTS_CDR.name)} FINAL
    WHERE ${sliceWhere(s)} ORDER BY occurredAtMs, eventId`;
}

/** Thrown when a streamed result carries something other than a row (a server error
 *  written into a response that had already started). */
export class AuditStreamError extends Error {
  readonly code = 'AUDIT_STREAM_BROKEN';
  readonly retryable = true;
  constructor(detail: string) {
    super(detail);
    this.name = 'AuditStreamError';
  }
}

/**
 * The slice's rows as NDJSON text chunks (one chunk per block ClickHouse sent, each line one
 * fact, every line ending in \n), read as the consumer pulls: nothing is buffered beyond the
 * block in hand, so memory does not grow with the result. Aborting `signal` (or returning
 * early) cancels the statement's HTTP request. `onRows` is told how many rows each chunk had.
 */
export async function* streamAuditFacts(
  ch: ClickHouseClient,
  t: Topology,
  s: AuditSlice,
  o: { signal?: AbortSignal; maxExecutionTimeS?: number } = {},
): AsyncGenerator<{ text: string; rows: number }> {
  const rs = await ch.query({
    query: auditFactsSql(t, s),
    format: 'JSONEachRow',
    // 0 = no limit: a 5-year export may take long, and its pace is the reader's.
    clickhouse_settings: { max_execution_time: o.maxExecutionTimeS ?? 0 },
    ...(o.signal ? { abort_signal: o.signal } : {}),
  });
  const stream = rs.stream();
  try {
    for await (const batch of stream) {
      let text = '';
      for (const row of batch as { text: string }[]) {
        // A server error after the first block arrives as plain text inside the body.
        if (!row.text.startsWith('{')) throw new AuditStreamError(row.text.slice(0, 200));
        text += `${row.text}\n`;
      }
      if (text !== '') yield { text, rows: (batch as unknown[]).length };
    }
  } finally {
    stream.destroy();
  }
}
