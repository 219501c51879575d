import { CdrFactory } from './cdr-factory.js';
import { type TrafficConfig, assertValidConfig } from './config.js';
import { MessageFactory } from './factory.js';
import { TimeQueue } from './heap.js';
import { Noise } from './noise.js';
import { Rng } from './prng.js';
import type { EventRecord, TrafficMessage } from './records.js';
import { toMessage } from './wire.js';
import { World } from './world.js';

const HOUR = 3_600_000;
const MAX_LATE_MS = 72 * HOUR;
/** The Rng stream every CDR draw comes from (stream 0 is the billed/DLR one). */
const CDR_STREAM = 1;

/**
 * The emission pipeline shared by the batch generator and the real-time simulator: billed
 * messages go out as they are created, each followed by its CDR (when cfg.cdrs), their DLRs
 * and refunds wait in a time-ordered queue until their emission time, and noise is injected
 * after every valid message.
 */
export class Pipeline {
  readonly rng: Rng;
  readonly world: World;
  private readonly factory: MessageFactory;
  private readonly noise: Noise;
  /** null unless cfg.cdrs; its own rng stream, so CDRs never shift a billed/DLR draw. */
  private readonly cdr: { factory: CdrFactory; noise: Noise } | null = null;
  private readonly queue = new TimeQueue<EventRecord>();
  /** Follow-ups not scheduled because the queue was full (only with a finite cap). */
  dropped = 0;

  constructor(
    private readonly cfg: TrafficConfig,
    private readonly queueCap = Infinity,
  ) {
    assertValidConfig(cfg);
    this.rng = new Rng(cfg.seed);
    this.world = new World(cfg, this.rng);
    this.factory = new MessageFactory(cfg, this.rng, this.world);
    this.noise = new Noise(cfg, this.rng, this.factory);
    if (cfg.cdrs) {
      const rng = new Rng(cfg.seed, CDR_STREAM);
      const factory = new CdrFactory(cfg, rng, this.world);
      this.cdr = { factory, noise: new Noise(cfg, rng, factory) };
    }
  }

  get queued(): number {
    return this.queue.size;
  }

  /**
   * One billed message at emission time `nominalMs`. A late one gets an occurredAt 1 h … 3 d
   * earlier, but never before `earliestMs` (the batch generator keeps every billed event in
   * its configured span, so near the start of the span the lag shrinks below an hour).
   * With CDRs, its CDR (same occurredAt, late or not) goes out right after it, then maybe
   * the CDR of a BLOCKED message (occurredAt `nominalMs`).
   */
  bill(nominalMs: number, earliestMs: number, out: TrafficMessage[]): void {
    let occurredAtMs = nominalMs;
    if (this.rng.chance(this.cfg.lateRate)) {
      const maxLag = Math.min(MAX_LATE_MS, nominalMs - earliestMs);
      const u = this.rng.float();
      occurredAtMs -= Math.floor(maxLag >= HOUR ? HOUR + u * (maxLag - HOUR) : u * maxLag);
    }
    const created = this.factory.create(nominalMs, occurredAtMs);
    this.emit(created.billed, nominalMs, out, this.noise);
    if (this.cdr !== null) {
      this.emit(this.cdr.factory.forBilled(created), nominalMs, out, this.cdr.noise);
      const blocked = this.cdr.factory.maybeBlocked(nominalMs);
      if (blocked !== null) this.emit(blocked, nominalMs, out, this.cdr.noise);
    }
    for (const f of [created.dlr, created.refund]) {
      if (f === null) continue;
      if (this.queue.size >= this.queueCap) this.dropped++;
      else this.queue.push(f.emitAt, f.record);
    }
  }

  /** Emits every queued follow-up due at or before `untilMs`. */
  release(untilMs: number, out: TrafficMessage[]): void {
    while (this.queue.size > 0 && this.queue.peekAt() <= untilMs) {
      const at = this.queue.peekAt();
      this.emit(this.queue.pop()!, at, out, this.noise);
    }
  }

  /** Emits everything still queued (end of a batch). */
  drain(out: TrafficMessage[]): void {
    this.release(Infinity, out);
  }

  private emit(record: EventRecord, nowMs: number, out: TrafficMessage[], noise: Noise): void {
    const m = toMessage(record);
    out.push(m);
    noise.afterValid(record, m, nowMs, out);
  }
}
