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
 * Every stored copy (merged or not) of the given events, looked up through the sorting key
 * (tenantId, hour, eventId) so that it reads only the granules those tenants' hours occupy.
 */
export async function findStoredCopies(
  ch: ClickHouseClient,
  t: Topology,
  source: FactSource,
  keys: readonly FactKey[],
): Promise<StoredFactCopy[]> {
  if (keys.length === 0) return [];
  const tenants = [...new Set(keys.map((k) => k.tenantId))].map(sqlString);
  const hours = [...new Set(keys.map((k) => k.hourMs))].map(sqlDateTime);
  const ids = [...new Set(keys.map((k) => k.eventId))].map(sqlString);
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
     WHERE tenantId IN ${sqlList(tenants)} AND hour IN ${sqlList(hours)} AND eventId IN ${sqlList(ids)}`,
  );
  return found.map((r) => ({
    eventId: r.eventId,
    tenantId: r.tenantId,
    hourMs: Number(r.hourS) * 1000,
    streamSeq: r.streamSeq,
    payloadHash: r.payloadHash,
  }));
}
