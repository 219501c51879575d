/**
 * The ports IngestBatchUseCase needs: the raw messages, the fact store, and the stream the
 * messages came from. Adapters in ../adapters implement them; tests hand-write fakes.
 */
import type { Displaced, OriginalMessages } from '@anlyt/nats';

export type { Displaced, OriginalMessages };

export interface RawMessage {
  data: Uint8Array;
  /** Stream sequence: decides conflicts (the lower sequence wins). */
  seq: number;
}

/** Where a fact sits: every copy of one event shares it (the table's sorting key). */
export interface FactKey {
  eventId: string;
  tenantId: string;
  /** Epoch ms of its UTC hour. */
  hourMs: number;
}

/** One event, decoded and turned into the row its fact table takes. */
export interface Fact<R> {
  key: FactKey;
  /** Epoch ms of its UTC day: the cube partition it lands in. */
  dayMs: number;
  occurredAtMs: number;
  /** The decoder's payload hash (contract fields, msisdn excluded), first 8 bytes. */
  payloadHash: Uint8Array;
  row: R;
}

export type FactOf<R> = { ok: true; fact: Fact<R> } | { ok: false; reason: string };

/** A copy of an event the fact table holds (merged away or not yet). */
export interface StoredCopy extends FactKey {
  seq: number;
  payloadHash: Uint8Array;
}

export interface FactStore<R> {
  /** Every stored copy of these events (same key), merged or not. */
  findCopies(keys: readonly FactKey[]): Promise<StoredCopy[]>;
  /** Resolves once the store acknowledged the insert. */
  insert(rows: readonly R[]): Promise<void>;
  /** The cubes of these days need a rebuild. */
  markDirty(daysMs: readonly number[]): Promise<void>;
  /** After the marks: the largest occurredAt this batch's facts reached (the DSL's dataAsOf). */
  recordProgress(maxOccurredAtMs: number): Promise<void>;
}

export type Decision =
  | { kind: 'inserted' }
  | { kind: 'duplicate' }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; reason: string };

export interface IngestOutcome {
  /** One per message of the batch, in batch order. */
  decisions: Decision[];
  /** Stored earlier, displaced now by a lower sequence: dead-lettered before the insert. */
  displaced: Displaced[];
}
