import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';

const nanos = (ms: number) => ms * 1_000_000;
const DAY_MS = 24 * 3600 * 1000;

export interface StreamSpec {
  name: string;
  subjects: string[];
  maxAgeMs?: number;
  /** JetStream's publish-dedup window (Nats-Msg-Id); default 2 min as on the server. */
  duplicateWindowMs?: number;
}

/**
 * Creates a stream with the contract's settings (limits, file storage, 7 d) unless it exists.
 * Only for local runs and tests: in production the upstream streams are not ours to create.
 */
export async function ensureStream(jsm: JetStreamManager, s: StreamSpec): Promise<void> {
  const exists = await jsm.streams.info(s.name).then(
    () => true,
    () => false,
  );
  if (exists) return;
  await jsm.streams.add({
    name: s.name,
    subjects: s.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(s.maxAgeMs ?? 7 * DAY_MS),
    duplicate_window: nanos(s.duplicateWindowMs ?? 120_000),
  });
}

export async function deleteStream(jsm: JetStreamManager, name: string): Promise<void> {
  await jsm.streams.delete(name).catch(() => undefined);
}

export interface DurableSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  /** Unacked messages the server lets us hold: bounds the consumer's buffer. */
  maxAckPending: number;
  ackWaitMs: number;
}

/**
 * Creates or updates this deployable's durable pull consumer. The consumer owns its durable
 * (contract §1), so it may set its own limits; it never touches the stream.
 *
 * max_deliver is unlimited on purpose: a server that gives up on a message after N deliveries
 * stops delivering it without telling anyone, and a process that dies while holding its last
 * delivery would lose it. The consumer gives up itself, by dead-lettering (batch-handler.ts).
 */
export async function ensureDurable(jsm: JetStreamManager, d: DurableSpec): Promise<void> {
  const config = {
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: d.maxAckPending,
    ack_wait: nanos(d.ackWaitMs),
    max_deliver: -1,
  };
  const existing = await jsm.consumers.info(d.stream, d.durable).catch(() => null);
  if (existing) {
    await jsm.consumers.update(d.stream, d.durable, config);
    return;
  }
  await jsm.consumers.add(d.stream, {
    ...config,
    durable_name: d.durable,
    filter_subject: d.filterSubject,
    deliver_policy: DeliverPolicy.All,
  });
}
