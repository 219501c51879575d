/**
 * The generated DLR/CDR messages of one kind, kept compact: payload bytes copied into 64 MiB
 * slabs, offsets and classes in typed arrays. Two million TrafficMessage objects (each with
 * its own Uint8Array view) made the bench's heap 3 GB and its generation, preload and bare
 * insert several times slower through GC alone; messages are rebuilt one at a time instead.
 */
import type { MessageClass, TrafficMessage } from '@anlyt/traffic';

const SLAB = 64 * 2 ** 20;
const CLASSES: readonly MessageClass[] = ['valid', 'duplicate', 'conflict', 'invalid'];

export class Corpus {
  private readonly slabs: Buffer[] = [];
  private used = SLAB;
  private slabOf = new Uint16Array(1 << 20);
  private offsets = new Uint32Array(1 << 20);
  private lengths = new Uint32Array(1 << 20);
  private classes = new Uint8Array(1 << 20);
  private readonly eventIds: (string | null)[] = [];
  length = 0;
  valid = 0;

  constructor(
    readonly kind: 'dlr' | 'cdr',
    private readonly subject: string,
  ) {}

  add(m: TrafficMessage): void {
    const size = m.data.byteLength;
    if (this.used + size > SLAB) {
      this.slabs.push(Buffer.allocUnsafe(Math.max(SLAB, size)));
      this.used = 0;
    }
    if (this.length === this.offsets.length) this.grow();
    const i = this.length++;
    this.slabs.at(-1)!.set(m.data, this.used);
    this.slabOf[i] = this.slabs.length - 1;
    this.offsets[i] = this.used;
    this.lengths[i] = size;
    this.classes[i] = CLASSES.indexOf(m.class);
    this.eventIds.push(m.eventId);
    this.used += size;
    if (m.class === 'valid') this.valid++;
  }

  data(i: number): Uint8Array {
    const slab = this.slabs[this.slabOf[i]!]!;
    return slab.subarray(this.offsets[i]!, this.offsets[i]! + this.lengths[i]!);
  }

  isValid(i: number): boolean {
    return this.classes[i] === 0;
  }

  /** Message i as @anlyt/traffic's publishers take it. */
  message(i: number): TrafficMessage {
    return {
      kind: this.kind,
      subject: this.subject,
      data: this.data(i),
      eventId: this.eventIds[i]!,
      class: CLASSES[this.classes[i]!]!,
    };
  }

  *messages(): Generator<TrafficMessage> {
    for (let i = 0; i < this.length; i++) yield this.message(i);
  }

  private grow(): void {
    const bigger = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.slabOf = bigger(this.slabOf);
    this.offsets = bigger(this.offsets);
    this.lengths = bigger(this.lengths);
    this.classes = bigger(this.classes);
  }
}

/** The corpora's messages, DLR then CDR (each stream is filled in its own order). */
export function* allMessages(corpora: readonly Corpus[]): Generator<TrafficMessage> {
  for (const c of corpora) yield* c.messages();
}
