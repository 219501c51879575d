/**
 * ApplyEventBatchUseCase against hand-written fakes of its own ports (a ledger and an
 * aggregate that only record what they are told, a stream that returns bytes by sequence).
 * The property: whatever the delivery order, the batching and the redeliveries — what a
 * crash or a slow replica does to a stream — the aggregates end holding exactly the copy
 * with the lowest stream sequence of every eventId, every other payload reaches the DLQ, and
 * the winning message is never dead-lettered.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApplyEventBatchUseCase,
  type AggregateStore,
  type Displaced,
  type OriginalMessages,
  type StoredCopy,
} from '../src/use-cases/apply-event-batch.use-case.js';

interface Toy {
  eventId: string;
  variant: number;
}
const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (t: Toy) => enc.encode(JSON.stringify(t));
/** The toy decoder: payload hash = the variant, as 16 bytes. */
const decode = (data: Uint8Array) => {
  const t = JSON.parse(dec.decode(data)) as Toy;
  if (t.variant < 0) return { ok: false as const, reason: 'negative variant' };
  const hash = new Uint8Array(16);
  hash[0] = t.variant;
  return { ok: true as const, event: t, payloadHash: hash };
};

type Applied = { eventId: string; variant: number; sign: 1 | -1 };

function fakes(stream: Map<number, Uint8Array>) {
  const ledger = new Map<string, StoredCopy>();
  const applied: Applied[] = [];
  const retired: Displaced[] = [];
  const store: AggregateStore<Applied[]> = {
    source: 'toy',
    async transaction(fn) {
      // All or nothing, like the database: work on copies, keep them only on success.
      const l = new Map(ledger);
      const a: Applied[] = [];
      const r = await fn({
        async record(entries) {
          const fresh = new Set<string>();
          const existing = new Map<string, StoredCopy>();
          for (const e of entries) {
            const held = l.get(e.eventId);
            if (held) existing.set(e.eventId, held);
            else {
              l.set(e.eventId, { payloadHash: e.payloadHash, seq: e.seq, source: 'toy' });
              fresh.add(e.eventId);
            }
          }
          return { fresh, existing };
        },
        async rewrite(entries) {
          for (const e of entries)
            l.set(e.eventId, { payloadHash: e.payloadHash, seq: e.seq, source: 'toy' });
        },
        async apply(d) {
          a.push(...d);
        },
      });
      for (const [k, v] of l) ledger.set(k, v);
      applied.push(...a);
      return r;
    },
  };
  const originals: OriginalMessages = {
    async load(seq) {
      const data = stream.get(seq);
      return data === undefined ? null : { seq, subject: 'toy', data };
    },
    async retire(d) {
      retired.push(...d);
    },
  };
  return { store, originals, applied, retired };
}

const useCaseWith = (f: ReturnType<typeof fakes>) =>
  new ApplyEventBatchUseCase<Toy, Applied[]>({
    decode,
    fold: (events, sign) => events.map((e) => ({ eventId: e.eventId, variant: e.variant, sign })),
    store: f.store,
    originals: f.originals,
  });

/** A stream: copies of a few eventIds, each copy one of three payload variants. */
const streamArb = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 2 })), {
    minLength: 1,
    maxLength: 14,
  })
  .map((copies) => copies.map(([id, variant], i) => ({ seq: i + 1, eventId: id, variant })));

describe('ApplyEventBatchUseCase: the lower stream sequence wins, whatever the timing', () => {
  it('aggregates hold each winner once; every loser reaches the DLQ; no winner does', async () => {
    await fc.assert(
      fc.asyncProperty(
        streamArb,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }),
        async (msgs, extra, sizes) => {
          const stream = new Map(msgs.map((m) => [m.seq, bytes(m)]));
          // Every message delivered at least once, some again, in any order (fast-check
          // shuffles by the extra picks), cut into batches of the given sizes.
          const deliveries = [...msgs, ...extra.map((i) => msgs[i % msgs.length]!)];
          const order = deliveries
            .map((m, i) => ({ m, k: (extra[i % Math.max(1, extra.length)] ?? i) * 31 + i }))
            .sort((x, y) => (x.k % 17) - (y.k % 17) || x.k - y.k)
            .map((x) => x.m);
          const f = fakes(stream);
          const uc = useCaseWith(f);
          const deadLettered = new Set<number>();
          for (let i = 0, b = 0; i < order.length; b++) {
            const batch = order.slice(i, i + sizes[b % sizes.length]!);
            i += batch.length;
            const out = await uc.execute(batch.map((m) => ({ data: bytes(m), seq: m.seq })));
            out.decisions.forEach((d, j) => {
              if (d.kind === 'conflict') deadLettered.add(batch[j]!.seq);
            });
          }
          for (const d of f.retired) deadLettered.add(d.seq);

          const winners = new Map<string, { seq: number; variant: number }>();
          for (const m of msgs) if (!winners.has(m.eventId)) winners.set(m.eventId, m);
          const net = new Map<string, number>();
          for (const a of f.applied) {
            const k = `${a.eventId}/${a.variant}`;
            net.set(k, (net.get(k) ?? 0) + a.sign);
          }
          const expected = new Map([...winners].map(([id, w]) => [`${id}/${w.variant}`, 1]));
          expect(new Map([...net].filter(([, n]) => n !== 0))).toEqual(expected);
          // Every losing payload reaches the DLQ (byte-identical copies of it may have been
          // settled as its duplicates, and copies of the winner seen while a loser was held as
          // conflicts: replaying either changes nothing).
          for (const m of msgs) {
            const w = winners.get(m.eventId)!;
            if (m.variant === w.variant) continue;
            const copies = msgs.filter((c) => c.eventId === m.eventId && c.variant === m.variant);
            expect(
              copies.some((c) => deadLettered.has(c.seq)),
              `payload ${m.eventId}/${m.variant}`,
            ).toBe(true);
          }
          for (const w of winners.values()) expect(deadLettered).not.toContain(w.seq);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a batch [X′, X] with X already applied: X is a redelivery, X′ the conflict', async () => {
    const x = { eventId: 'a', variant: 0 };
    const xPrime = { eventId: 'a', variant: 1 };
    const stream = new Map([
      [1, bytes(x)],
      [2, bytes(xPrime)],
      [3, bytes(x)],
    ]);
    const f = fakes(stream);
    const uc = useCaseWith(f);
    await uc.execute([{ data: bytes(x), seq: 1 }]);
    const out = await uc.execute([
      { data: bytes(xPrime), seq: 2 },
      { data: bytes(x), seq: 3 },
    ]);
    expect(out.decisions.map((d) => d.kind)).toEqual(['conflict', 'redelivered']);
    expect(f.applied).toEqual([{ eventId: 'a', variant: 0, sign: 1 }]);
  });

  it('the original arriving after its conflicting copy takes the copy out and dead-letters it', async () => {
    const x = { eventId: 'a', variant: 0 };
    const xPrime = { eventId: 'a', variant: 1 };
    const f = fakes(
      new Map([
        [1, bytes(x)],
        [2, bytes(xPrime)],
      ]),
    );
    const uc = useCaseWith(f);
    await uc.execute([{ data: bytes(xPrime), seq: 2 }]);
    const out = await uc.execute([{ data: bytes(x), seq: 1 }]);
    expect(out.decisions).toEqual([{ kind: 'applied' }]);
    expect(out.displaced.map((d) => [d.seq, d.reason])).toEqual([
      [2, expect.stringMatching(/displaced by stream seq 1/)],
    ]);
    expect(f.retired.map((d) => d.seq)).toEqual([2]);
    expect(f.applied).toEqual([
      { eventId: 'a', variant: 1, sign: 1 },
      { eventId: 'a', variant: 1, sign: -1 },
      { eventId: 'a', variant: 0, sign: 1 },
    ]);
  });

  it('keeps the applied copy when the stream no longer has it (nothing to subtract)', async () => {
    const x = { eventId: 'a', variant: 0 };
    const xPrime = { eventId: 'a', variant: 1 };
    const f = fakes(new Map([[1, bytes(x)]])); // seq 2 aged out of the stream
    const uc = useCaseWith(f);
    await uc.execute([{ data: bytes(xPrime), seq: 2 }]);
    const out = await uc.execute([{ data: bytes(x), seq: 1 }]);
    expect(out.decisions).toEqual([
      { kind: 'conflict', reason: expect.stringMatching(/no longer readable/) },
    ]);
    expect(f.applied).toEqual([{ eventId: 'a', variant: 1, sign: 1 }]);
    expect(f.retired).toEqual([]);
  });
});
