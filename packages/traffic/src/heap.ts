/**
 * Binary min-heap on (at, seq). The seq tie-break makes the pop order a pure function of the
 * push order, which the determinism of the generator relies on.
 */
export class TimeQueue<T> {
  private readonly ats: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekAt(): number {
    return this.items.length === 0 ? Infinity : this.ats[0]!;
  }

  push(at: number, item: T): void {
    this.ats.push(at);
    this.seqs.push(this.seq++);
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0]!;
    const lastAt = this.ats.pop()!;
    const lastSeq = this.seqs.pop()!;
    const last = this.items.pop()!;
    if (n > 1) {
      this.ats[0] = lastAt;
      this.seqs[0] = lastSeq;
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const a = this.ats[i]!;
    const b = this.ats[j]!;
    return a < b || (a === b && this.seqs[i]! < this.seqs[j]!);
  }

  private swap(i: number, j: number): void {
    const at = this.ats[i]!;
    this.ats[i] = this.ats[j]!;
    this.ats[j] = at;
    const s = this.seqs[i]!;
    this.seqs[i] = this.seqs[j]!;
    this.seqs[j] = s;
    const it = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = it;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
