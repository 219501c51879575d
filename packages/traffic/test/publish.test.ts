import { randomUUID } from 'node:crypto';
import {
  type JetStreamManager,
  StorageType,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WindowedPublisher,
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
} from '../src/index.js';

// Real NATS JetStream (see STACK.md); each run uses its own stream and subjects.
const id = randomUUID().replaceAll('-', '').slice(0, 12);
const stream = `TRAFFIC_TEST_${id}`;
const subjects = { billed: `traffic_test_${id}.billed`, dlr: `traffic_test_${id}.dlr` };

describe('publishAll against JetStream', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [`traffic_test_${id}.>`],
      storage: StorageType.Memory,
    });
  });

  afterAll(async () => {
    await jsm?.streams.delete(stream).catch(() => undefined);
    await nc?.drain();
  });

  it('publishes every message; only msgId re-publishes are caught by the stream', async () => {
    const messages = [
      ...generateTraffic(
        defaultTrafficConfig({ seed: 3, messages: 200, duplicateRate: 0.1, conflictRate: 0.05 }),
      ),
    ];
    const resends = messages.filter(
      (m) => m.class === 'duplicate' || m.class === 'conflict',
    ).length;
    expect(resends).toBeGreaterThan(10);

    const js = jetstream(nc);
    const stats = await publishAll(js, messages, { window: 64, withMsgId: true, subjects });
    const billed = messages.filter((m) => m.kind === 'billed').length;
    expect(stats.published).toEqual({ billed, dlr: messages.length - billed, cdr: 0 });
    // Duplicates and conflicts went out without Nats-Msg-Id, so the stream stored them.
    expect(stats.duplicateAcks).toBe(0);
    expect(stats.errors).toBe(0);
    const info = await jsm.streams.info(stream, { subjects_filter: '>' });
    expect(info.state.messages).toBe(messages.length);
    expect(info.state.subjects).toEqual({
      [subjects.billed]: billed,
      [subjects.dlr]: messages.length - billed,
    });

    // A quick re-publish of valid messages with their msgId is what JetStream's window catches.
    const again = messages.filter((m) => m.class === 'valid').slice(0, 25);
    const second = await publishAll(js, again, { window: 8, withMsgId: true, subjects });
    expect(second.duplicateAcks).toBe(25);
    expect((await jsm.streams.info(stream)).state.messages).toBe(messages.length);
  });

  it('rejects when a publish fails (no stream listens on the subject)', async () => {
    const [first] = generateTraffic(defaultTrafficConfig({ messages: 1 }));
    const nowhere = { billed: `traffic_nowhere_${id}.b`, dlr: `traffic_nowhere_${id}.d` };
    await expect(
      publishAll(jetstream(nc), [first!], {
        window: 4,
        withMsgId: true,
        subjects: nowhere,
        timeoutMs: 2000,
      }),
    ).rejects.toThrow();
  });
});

describe('WindowedPublisher without a server', () => {
  it('keeps at most `window` publishes in flight and strips msgId from re-sends', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: { subject: string; msgID: string | undefined }[] = [];
    const fake = {
      publish: async (subject: string, _data?: unknown, opts?: { msgID?: string }) => {
        calls.push({ subject, msgID: opts?.msgID });
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return { stream: 'S', seq: calls.length, duplicate: false, domain: '' };
      },
    };
    const messages = [
      ...generateTraffic(
        defaultTrafficConfig({ messages: 300, duplicateRate: 0.2, conflictRate: 0.1 }),
      ),
    ];
    const p = new WindowedPublisher(fake as never, {
      window: 16,
      withMsgId: true,
      subjectPrefix: 'x.',
    });
    for (const m of messages) {
      const full = p.publish(m);
      if (full !== undefined) await full;
    }
    await p.flush();
    expect(maxInFlight).toBe(16);
    expect(calls.length).toBe(messages.length);
    messages.forEach((m, i) => {
      expect(calls[i]!.subject).toBe(`x.${m.subject}`);
      const resend = m.class === 'duplicate' || m.class === 'conflict';
      expect(calls[i]!.msgID).toBe(resend ? undefined : (m.eventId ?? undefined));
    });
  });
});

describe('WindowedPublisher and CDRs', () => {
  const fake = (subjects: string[]) => ({
    publish: (subject: string) => {
      subjects.push(subject);
      return Promise.resolve({ stream: 'S', seq: subjects.length, duplicate: false, domain: '' });
    },
  });
  const messages = [...generateTraffic(defaultTrafficConfig({ messages: 50, cdrs: true }))];

  it('publishes CDRs to the cdr subject given, and counts them', async () => {
    const sent: string[] = [];
    const subjects = { billed: 't.b', dlr: 't.d', cdr: 't.c' };
    const stats = await publishAll(fake(sent) as never, messages, {
      window: 4,
      withMsgId: true,
      subjects,
    });
    const cdrs = messages.filter((m) => m.kind === 'cdr').length;
    expect(cdrs).toBeGreaterThan(50);
    expect(sent.filter((s) => s === 't.c')).toHaveLength(cdrs);
    expect(stats.published.cdr).toBe(cdrs);
  });

  it('refuses to publish a CDR when subjects were given without one', async () => {
    const sent: string[] = [];
    await expect(
      publishAll(fake(sent) as never, messages, {
        window: 4,
        withMsgId: true,
        subjects: { billed: 't.b', dlr: 't.d' },
      }),
    ).rejects.toThrow('no subject given for cdr messages');
    expect(sent).not.toContain('cdr.generated.v1');
  });

  it('uses the contract subject (with the prefix) when no subjects are given', async () => {
    const sent: string[] = [];
    await publishAll(fake(sent) as never, messages, {
      window: 4,
      withMsgId: true,
      subjectPrefix: 'p.',
    });
    expect(sent).toContain('p.cdr.generated.v1');
  });
});
