// Reads and writes of the fact tables: one named function per statement.
import { rows, type ClickHouseClient } from './client.js';
import { FACTS_CDR, FACTS_DLR } from './ddl/facts.js';
import { qualified, type Topology } from './ddl/topology.js';
import { sqlDateTime, sqlList, sqlString } from './escape.js';

/** Bookkeeping every fact row carries (64-bit integers travel as decimal strings). */
export interface CopyColumns {
  streamSeq: string;
  /** The first 8 bytes of the decoder's payload hash, as an unsigned decimal. */
  payloadHash: string;
}

/** A facts_dlr row as inserted (JSONEachRow; DateTime as 'YYYY-MM-DD hh:mm:ss' UTC). */
export interface DlrFactRow extends CopyColumns {
  eventId: string;
  tenantId: string;
  hour: string;
  occurredAtMs: number;
  messageId: string;
  mno: string;
  status: string;
  errorCode: string | null;
  latencyMs: number;
  submittedAtMs: number;
  direction: string;
  lane: string;
  destinationPrefix: string;
}

export interface CdrFactRow extends CopyColumns {
  eventId: string;
  tenantId: string;
  hour: string;
  occurredAtMs: number;
  messageId: string;
  mno: string;
  direction: string;
  lane: string;
  destinationPrefix: string;
  senderId: string;
  segments: number;
  amountMicros: string;
  currency: string;
  submitStatus: string;
  esmeErrorCode: string | null;
  verdict: string;
  rule: string | null;
}

export type FactSource = 'dlr' | 'cdr';
export const FACT_TABLES: Record<FactSource, string> = {
  dlr: FACTS_DLR.name,
  cdr: FACTS_CDR.name,
};

/** One INSERT; resolves once ClickHouse has written it (the caller acks only after this). */
export async function insertFacts(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  values: readonly (DlrFactRow | CdrFactRow)[],
): Promise<void> {
  if (values.length === 0) return;
  await ch.insert({
    table: qualified(t, FACT_TABLES[source]),
    values: values as (DlrFactRow | CdrFactRow)[],
    format: 'JSONEachRow',
  });
}

/** Where a fact sits: the parts of its sorting key that a copy of it must share. */
export interface FactKey {
  eventId: string;
  tenantId: string;
  /** Epoch ms of the UTC hour. */
  hourMs: number;
}

export interface StoredFactCopy extends CopyColumns {
  eventId: string;
  tenantId: string;
  hourMs: number;
}

/**
 * Keys per lookup statement. The key list travels as literals (18.16 has no query
 * parameters or external tables through this client), and a statement longer than the
 * server's max_query_size (256 KiB) is a syntax error: 2 000 UUIDs are about 80 KiB.
 */
export const LOOKUP_CHUNK = 2000;

/**
 * Every stored copy (merged or not) of the given events, at the tenant and hour asked. The
 * keys are sorted by the table's sorting key (tenantId, hour, eventId) and looked up a chunk
 * at a time, so each chunk names few tenants and hours and reads only their granules.
 */
export async function findStoredCopies(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  keys: readonly FactKey[],
): Promise<StoredFactCopy[]> {
  const sorted = [...keys].sort(
    (a, b) => cmp(a.tenantId, b.tenantId) || a.hourMs - b.hourMs || cmp(a.eventId, b.eventId),
  );
  const found: StoredFactCopy[] = [];
  for (let i = 0; i < sorted.length; i += LOOKUP_CHUNK)
    found.push(...(await findStoredCopiesOf(ch, t, source, sorted.slice(i, i + LOOKUP_CHUNK))));
  return found;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function findStoredCopiesOf(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  keys: readonly FactKey[],
): Promise<StoredFactCopy[]> {
  const found = await rows<{
    eventId: string;
    tenantId: string;
    hourS: string;
    streamSeq: string;
    payloadHash: string;
  }>(
    ch,
    `SELECT toString(eventId) AS eventId, tenantId, toUnixTimestamp(hour) AS hourS, streamSeq, payloadHash
     FROM ${qualified(t, FACT_TABLES[source])}
     WHERE ${copiesCondition(keys)}`,
  );
  // The condition is a cross product of one tenant's hours and ids: keep the asked keys only.
  const asked = new Set(keys.map(keyText));
  return found
    .map((r) => ({
      eventId: r.eventId,
      tenantId: r.tenantId,
      hourMs: Number(r.hourS) * 1000,
      streamSeq: r.streamSeq,
      payloadHash: r.payloadHash,
    }))
    .filter((c) => asked.has(keyText(c)));
}

const keyText = (k: FactKey) => `${k.tenantId}|${k.hourMs}|${k.eventId}`;

/**
 * `tenantId IN (…) AND hour IN (…) AND eventId IN (…)`: three sets, each tested once per row,
 * and a key condition the index uses. (One OR term per tenant instead made a 2 000-key chunk
 * of a many-tenant batch a chain of ~1 000 terms evaluated on every row read: 5–10 times
 * slower, docs/benchmarks.md.) The cross product it also matches is dropped by the caller.
 */
function copiesCondition(keys: readonly FactKey[]): string {
  const tenants = [...new Set(keys.map((k) => k.tenantId))].map(sqlString);
  const hours = [...new Set(keys.map((k) => k.hourMs))].map(sqlDateTime);
  const ids = [...new Set(keys.map((k) => k.eventId))].map(sqlString);
  return `tenantId IN ${sqlList(tenants)} AND hour IN ${sqlList(hours)} AND eventId IN ${sqlList(ids)}`;
}
