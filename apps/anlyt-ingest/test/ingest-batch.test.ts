// IngestBatchUseCase with hand-written fakes of its ports: which copy of an event becomes the
// fact, what is dead-lettered, and in which order the store and the stream are asked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestBatchUseCase } from '../src/use-cases/ingest-batch.use-case.js';
import type {
  FactKey,
  FactOf,
  FactStore,
  OriginalMessages,
  StoredCopy,
} from '../src/use-cases/ports.js';

interface Row {
  id: string;
  body: string;
  seq: number;
}

const HOUR = 3_600_000;
const enc = new TextEncoder();
const dec = new TextDecoder();
const msg = (id: string, body: string, seq: number, hour = 5) => ({
  data: enc.encode(JSON.stringify({ id, body, hour })),
  seq,
});

/** A toy decoder: the hash is the body's first 8 chars, padded. */
function toFact(data: Uint8Array): FactOf<Row> {
  const o = JSON.parse(dec.decode(data)) as { id?: string; body: string; hour: number };
  if (!o.id) return { ok: false, reason: 'id: required' };
  const payloadHash = enc.encode(o.body.padEnd(8, '_').slice(0, 8));
  const key = { eventId: o.id, tenantId: 'acc', hourMs: o.hour * HOUR };
  return {
    ok: true,
    fact: {
      key,
      dayMs: 0,
      occurredAtMs: o.hour * HOUR + 1,
      payloadHash,
      row: { id: o.id, body: o.body, seq: 0 },
    },
  };
}

class FakeStore implements FactStore<Row> {
  rows: Row[] = [];
  dirty: number[] = [];
  log: string[] = [];
  async findCopies(keys: readonly FactKey[]): Promise<StoredCopy[]> {
    const ids = new Set(keys.map((k) => k.eventId));
    return this.rows
      .filter((r) => ids.has(r.id))
      .map((r) => ({
        eventId: r.id,
        tenantId: 'acc',
        hourMs: 5 * HOUR,
        seq: r.seq,
        payloadHash: enc.encode(r.body.padEnd(8, '_').slice(0, 8)),
      }));
  }
  async insert(rows: readonly Row[]) {
    this.log.push(`insert ${rows.map((r) => r.seq).join(',')}`);
    this.writes.push(`insert ${rows.map((r) => r.seq).join(',')}`);
    this.rows.push(...rows);
  }
  /** insert / mark / progress, in the order the use case asked. */
  writes: string[] = [];
  async markDirty(days: readonly number[]) {
    this.writes.push('mark');
    this.dirty.push(...days);
  }
  async recordProgress(ms: number) {
    this.writes.push(`progress ${ms}`);
  }
  /** What a FINAL read returns: per event the copy with the lowest sequence. */
  final(): Map<string, Row> {
    const out = new Map<string, Row>();
    for (const r of this.rows) if (!out.has(r.id) || r.seq < out.get(r.id)!.seq) out.set(r.id, r);
    return out;
  }
}

function fakeStream(messages: Map<number, Uint8Array>, store: FakeStore) {
  const retired: number[] = [];
  const originals: OriginalMessages = {
    async load(seq) {
      const data = messages.get(seq);
      return data === undefined ? null : { seq, subject: 's', data };
    },
    async retire(displaced) {
      store.log.push(`retire ${displaced.map((d) => d.seq).join(',')}`);
      retired.push(...displaced.map((d) => d.seq));
    },
  };
  return { originals, retired };
}

function setup() {
  const store = new FakeStore();
  const stream = new Map<number, Uint8Array>();
  const { originals, retired } = fakeStream(stream, store);
  const useCase = new IngestBatchUseCase<Row>({
    source: 'dlr',
    toFact,
    withSeq: (row, seq) => ({ ...row, seq }),
    store,
    originals,
  });
  const run = (batch: ReturnType<typeof msg>[]) => {
    for (const m of batch) stream.set(m.seq, m.data);
    return useCase.execute(batch);
  };
  return { store, run, retired };
}

describe('IngestBatchUseCase', () => {
  it('inserts new events with their stream sequence and marks their day', async () => {
    const { store, run } = setup();
    const out = await run([msg('a', 'x', 1), msg('b', 'y', 2)]);
    expect(out.decisions).toEqual([{ kind: 'inserted' }, { kind: 'inserted' }]);
    expect(store.rows.map((r) => [r.id, r.seq])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(store.dirty).toEqual([0]);
  });

  it('records the largest occurredAt of the batch after its insert and marks, conflicts aside', async () => {
    const { store, run } = setup();
    await run([msg('a', 'x', 1, 5), msg('b', 'y', 2, 7)]);
    await run([msg('a', 'other', 3, 5), msg('c', 'z', 4, 6)]); // a: conflict, not a fact
    expect(store.writes).toEqual([
      'insert 1,2',
      'mark',
      `progress ${7 * HOUR + 1}`,
      'insert 4',
      'mark',
      `progress ${6 * HOUR + 1}`,
    ]);
  });

  it('takes a stored payload arriving again as a duplicate, but still marks its day', async () => {
    const { store, run } = setup();
    await run([msg('a', 'x', 1)]);
    store.dirty = [];
    const out = await run([msg('a', 'x', 9)]);
    expect(out.decisions).toEqual([{ kind: 'duplicate' }]);
    expect(store.rows).toHaveLength(1);
    // A redelivery after a crash between the insert and the mark must still mark.
    expect(store.dirty).toEqual([0]);
  });

  it('dead-letters a different payload when a lower sequence is stored (conflict)', async () => {
    const { store, run } = setup();
    await run([msg('a', 'x', 1)]);
    const out = await run([msg('a', 'other', 7)]);
    expect(out.decisions[0]).toMatchObject({ kind: 'conflict' });
    expect((out.decisions[0] as { reason: string }).reason).toContain('stream seq 1');
    expect(store.rows).toHaveLength(1);
  });

  it('displaces a stored higher sequence: retires it from the stream BEFORE inserting', async () => {
    const { store, run, retired } = setup();
    await run([msg('a', 'late', 8)]);
    const out = await run([msg('a', 'early', 3)]);
    expect(out.decisions).toEqual([{ kind: 'inserted' }]);
    expect(out.displaced.map((d) => d.seq)).toEqual([8]);
    expect(retired).toEqual([8]);
    expect(store.log).toEqual(['insert 8', 'retire 8', 'insert 3']);
    expect(store.final().get('a')!.body).toBe('early');
  });

  it('settles copies inside one batch: lowest sequence goes on, same bytes = duplicate', async () => {
    const { store, run } = setup();
    const out = await run([msg('a', 'x', 5), msg('a', 'x', 6), msg('a', 'y', 2)]);
    expect(out.decisions[2]).toEqual({ kind: 'inserted' });
    expect(out.decisions[0]).toMatchObject({ kind: 'conflict' });
    expect(out.decisions[1]).toMatchObject({ kind: 'conflict' });
    expect(store.rows.map((r) => r.seq)).toEqual([2]);
  });

  it('returns invalid payloads with the reason and inserts the rest', async () => {
    const { store, run } = setup();
    const bad = { data: enc.encode(JSON.stringify({ body: 'x', hour: 1 })), seq: 4 };
    const out = await run([bad, msg('b', 'y', 5)]);
    expect(out.decisions).toEqual([
      { kind: 'invalid', reason: 'id: required' },
      { kind: 'inserted' },
    ]);
    expect(store.rows.map((r) => r.id)).toEqual(['b']);
  });

  it('ends with the lowest sequence of every event, whatever the delivery order and batching', async () => {
    // Copies of 4 events, each with 1–3 payload variants and redeliveries; every copy is
    // delivered at least once, in any order, cut into batches anywhere.
    const copies = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('p', 'q', 'r')), {
        minLength: 1,
        maxLength: 14,
      })
      .map((cs) => cs.map(([e, body], i) => ({ id: `e${e}`, body, seq: i + 1 })));
    await fc.assert(
      fc.asyncProperty(
        copies.chain((cs) =>
          fc.tuple(
            fc.constant(cs),
            fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }),
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 14, maxLength: 14 }),
            fc.array(fc.integer({ min: 0, max: cs.length - 1 }), { maxLength: 4 }),
          ),
        ),
        async ([cs, order, cuts, again]) => {
          const { store, run, retired } = setup();
          const deliveries = [...order, ...again.map((i) => cs[i]!)];
          const conflicts = new Set<number>();
          for (let i = 0, c = 0; i < deliveries.length; c++) {
            const batch = deliveries.slice(i, i + cuts[c % cuts.length]!);
            i += batch.length;
            const out = await run(batch.map((x) => msg(x.id, x.body, x.seq)));
            out.decisions.forEach((d, j) => d.kind === 'conflict' && conflicts.add(batch[j]!.seq));
          }
          // The oracle: per event, the copy with the lowest sequence.
          const first = new Map<string, { body: string; seq: number }>();
          for (const c of cs)
            if (!first.has(c.id) || c.seq < first.get(c.id)!.seq) first.set(c.id, c);
          const final = store.final();
          expect([...final.keys()].sort()).toEqual([...first.keys()].sort());
          for (const [id, w] of first) {
            expect(final.get(id)!.body).toBe(w.body);
            // The winning copy itself never reaches the DLQ.
            expect(conflicts.has(w.seq) || retired.includes(w.seq)).toBe(false);
          }
          // Every payload other than its event's winner reached the DLQ (conflict or displaced)
          // through at least one of its copies (copies of one payload are one event re-sent).
          for (const c of cs) {
            if (c.body === first.get(c.id)!.body) continue;
            const same = cs.filter((x) => x.id === c.id && x.body === c.body);
            expect(same.some((x) => conflicts.has(x.seq) || retired.includes(x.seq))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
