import type { JetStreamClient, JetStreamPublishOptions } from '@nats-io/jetstream';
import type { Kind, TrafficMessage } from './records.js';

/** The one JetStream method we need (lets tests pass a fake without a server). */
export type Publisher = Pick<JetStreamClient, 'publish'>;

export interface PublishOptions {
  /** Maximum publishes awaiting their JetStream ack. */
  window: number;
  /** Set `Nats-Msg-Id` = eventId on valid and invalid messages that have one. */
  withMsgId: boolean;
  /**
   * Subjects per kind (tests use their own streams); default: the contract subjects. `cdr`
   * may be left out when no CDRs are published (publishing one then throws).
   */
  subjects?: { billed: string; dlr: string; cdr?: string };
  /** Prepended to the default subject when `subjects` is not given. */
  subjectPrefix?: string;
  /** Ack timeout per publish (ms); the client's default otherwise. */
  timeoutMs?: number;
}

export interface PublishStats {
  published: Record<Kind, number>;
  /** Acks the stream flagged as duplicates (its own dedup window caught them). */
  duplicateAcks: number;
  errors: number;
  lastError: string | null;
}

/**
 * Acked JetStream publishes with at most `window` in flight. Duplicates and conflicts go out
 * WITHOUT Nats-Msg-Id: they stand for re-sends older than the stream's duplicate window, which
 * the service itself must catch.
 */
export class WindowedPublisher {
  private readonly ring: Promise<void>[];
  private head = 0;
  /** Ring slots in use (reaped lazily, only when the ring is full or flushed). */
  private inFlight = 0;
  /** Publishes whose ack has not arrived yet. */
  private outstanding = 0;
  private waiting = false;
  private firstError: unknown = null;
  readonly stats: PublishStats = {
    published: { billed: 0, dlr: 0, cdr: 0 },
    duplicateAcks: 0,
    errors: 0,
    lastError: null,
  };

  constructor(
    private readonly js: Publisher,
    private readonly opts: PublishOptions & { failFast?: boolean },
  ) {
    if (!(opts.window >= 1)) throw new RangeError('window must be >= 1');
    this.ring = new Array<Promise<void>>(opts.window);
  }

  get pending(): number {
    return this.outstanding;
  }

  /**
   * Starts one publish. Returns a promise only when the window is full (await it before the
   * next call); otherwise returns nothing, so a caller that does not `await` lets the client
   * coalesce many publishes into one socket write (one write per message halves the rate).
   */
  publish(m: TrafficMessage): Promise<void> | undefined {
    if (this.waiting) throw new Error('await the promise of the previous publish() first');
    const subject = this.subject(m);
    if (this.inFlight === this.opts.window) {
      this.waiting = true;
      return this.reapOldest().then(
        () => {
          this.waiting = false;
          this.start(m, subject);
        },
        (err: unknown) => {
          this.waiting = false;
          throw err;
        },
      );
    }
    this.start(m, subject);
    return undefined;
  }

  private async reapOldest(): Promise<void> {
    // Acks come back roughly in order, so waiting for the oldest is nearly optimal.
    await this.ring[this.head];
    this.head = (this.head + 1) % this.opts.window;
    this.inFlight--;
    this.rethrow();
  }

  private start(m: TrafficMessage, subject: string): void {
    const slot = (this.head + this.inFlight) % this.opts.window;
    this.inFlight++;
    this.outstanding++;
    this.ring[slot] = this.js.publish(subject, m.data, this.publishOptions(m)).then(
      (ack) => {
        this.outstanding--;
        this.stats.published[m.kind]++;
        if (ack.duplicate) this.stats.duplicateAcks++;
      },
      (err: unknown) => {
        this.outstanding--;
        this.stats.errors++;
        this.stats.lastError = err instanceof Error ? err.message : String(err);
        this.firstError ??= err;
      },
    );
  }

  /** Waits for every publish in flight. */
  async flush(): Promise<void> {
    while (this.inFlight > 0) {
      await this.ring[this.head];
      this.head = (this.head + 1) % this.opts.window;
      this.inFlight--;
    }
    this.rethrow();
  }

  private rethrow(): void {
    if (this.opts.failFast !== false && this.firstError !== null) throw this.firstError;
  }

  private subject(m: TrafficMessage): string {
    const s = this.opts.subjects;
    if (s === undefined) return (this.opts.subjectPrefix ?? '') + m.subject;
    const subject = s[m.kind];
    // Thrown before anything is in flight: a test that turned CDRs on but gave no subject
    // for them must not publish them to the contract subject (another stream) by accident.
    if (subject === undefined) throw new Error(`no subject given for ${m.kind} messages`);
    return subject;
  }

  private publishOptions(m: TrafficMessage): Partial<JetStreamPublishOptions> {
    const o: Partial<JetStreamPublishOptions> = {};
    if (this.opts.timeoutMs !== undefined) o.timeout = this.opts.timeoutMs;
    const resend = m.class === 'duplicate' || m.class === 'conflict';
    if (this.opts.withMsgId && !resend && m.eventId !== null) o.msgID = m.eventId;
    return o;
  }
}

/**
 * Bulk preload (tests, benchmarks): publishes every message with a bounded window and
 * rejects on the first failed publish.
 */
export async function publishAll(
  js: Publisher,
  messages: Iterable<TrafficMessage>,
  opts: PublishOptions,
): Promise<PublishStats> {
  const p = new WindowedPublisher(js, { ...opts, failFast: true });
  for (const m of messages) {
    const full = p.publish(m);
    if (full !== undefined) await full;
  }
  await p.flush();
  return p.stats;
}
