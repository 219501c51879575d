// Which payload an eventId stands for when it arrives more than once (contract §1–§2: "keep
// the first"). "First" is the position in the stream, not the moment a consumer happened to
// apply it: the copy with the LOWER stream sequence wins. Arrival order changes after a crash
// (a dead process's messages come back after AckWait, behind newer ones), so a rule by
// arrival would make the totals depend on timing; a rule by sequence does not.

/** One copy of an event: its payload hash and where it sits in its stream. */
export interface EventCopy {
  payloadHash: Uint8Array;
  seq: number;
}

/** An eventId with the copy offered to the ledger. */
export interface LedgerEntry extends EventCopy {
  eventId: string;
}

/** What the ledger holds for an eventId. */
export interface StoredCopy {
  payloadHash: Uint8Array;
  /** Null for ledger rows written before sequences were kept. */
  seq: number | null;
  /** The projection that applied it (billing, dlr). */
  source: string;
}

export type RepeatVerdict =
  /** Same payload: change nothing. `lowerSeq`: remember this copy's lower sequence. */
  | { kind: 'redelivered'; lowerSeq: boolean }
  /** Different payload, the stored copy wins: dead-letter the incoming one. */
  | { kind: 'conflict'; reason: string }
  /** Different payload, the incoming copy wins: take the stored one out, apply this one. */
  | { kind: 'displace' };

/**
 * Judges an incoming copy of an eventId the ledger already holds. A stored copy without a
 * sequence, or from another projection, cannot be ordered against it and is kept.
 */
export function judgeRepeat(
  eventId: string,
  incoming: EventCopy,
  stored: StoredCopy,
  source: string,
): RepeatVerdict {
  const comparable = stored.seq !== null && stored.source === source;
  if (sameBytes(incoming.payloadHash, stored.payloadHash)) {
    return { kind: 'redelivered', lowerSeq: comparable && incoming.seq < stored.seq! };
  }
  if (comparable && incoming.seq < stored.seq!) return { kind: 'displace' };
  const holder = !comparable
    ? stored.source === source
      ? 'an earlier copy (sequence not recorded)'
      : `the ${stored.source} projection`
    : `stream seq ${stored.seq}`;
  return {
    kind: 'conflict',
    reason: `eventId ${eventId} was already applied from ${holder} with a different payload; the lower stream sequence wins`,
  };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
