/**
 * The ports ApplyEventBatchUseCase needs: what it reads (raw messages), what it asks of
 * storage inside one transaction, and what it asks of the stream the messages came from.
 * Adapters in ../adapters implement them; tests hand-write fakes.
 */

import type { Displaced } from '@anlyt/nats';
import type { LedgerEntry, StoredCopy } from '@anlyt/domain';

export type { LedgerEntry, StoredCopy };

export interface RawMessage {
  data: Uint8Array;
  /** Stream sequence: decides conflicts (the lower sequence wins). */
  seq: number;
}

export type Decision =
  | { kind: 'applied' }
  | { kind: 'redelivered' }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; reason: string };

export interface BatchOutcome {
  /** One per message of the batch, in batch order. */
  decisions: Decision[];
  /** Applied earlier, taken back out now: already dead-lettered when this resolves. */
  displaced: Displaced[];
}

export interface LedgerOutcome {
  /** Inserted now. */
  fresh: Set<string>;
  /** Already held, locked until the transaction ends. */
  existing: Map<string, StoredCopy>;
}

export interface BatchTransaction<D> {
  /** Inserts new ids and reads back the held ones. */
  record(entries: readonly LedgerEntry[]): Promise<LedgerOutcome>;
  /** Points held ids at another payload or a lower sequence (rows locked by record). */
  rewrite(entries: readonly LedgerEntry[]): Promise<void>;
  apply(deltas: D): Promise<void>;
}

export interface AggregateStore<D> {
  /** The projection's name in the ledger (billing, dlr). */
  readonly source: string;
  transaction<T>(fn: (tx: BatchTransaction<D>) => Promise<T>): Promise<T>;
}

export type { OriginalMessage, Displaced, OriginalMessages } from '@anlyt/nats';
