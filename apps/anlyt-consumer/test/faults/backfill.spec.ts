/**
 * Fault matrix (docs/reliability.md): the backfill (US-ANLYT-08) replays the streams from their
 * first message through the normal idempotent path. After a stop, across SIGKILLs, run twice,
 * and next to the live consumer, every aggregate ends equal to the independent oracle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DURABLES, Rig, sleep } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const BACKFILL_DURABLES = DURABLES.map(([s, d]) => [s, `${d}-backfill`] as const);

interface Progress {
  source: string;
  done: number;
  total: number;
  eventsPerS: number;
  etaS: number | null;
}

const progressLines = (lines: string[]) =>
  lines
    .filter((l) => l.includes('"backfill progress"'))
    .map((l) => JSON.parse(l) as Progress & { msg: string });

/** Waits until the billing backfill durable acked `fraction` of the billing stream. */
async function backfilled(r: Rig, fraction: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const [stream, durable] = BACKFILL_DURABLES[0]!;
  for (;;) {
    const [c, st] = await Promise.all([
      r.jsm.consumers.info(stream, durable).catch(() => null),
      r.jsm.streams.info(stream),
    ]);
    if (c !== null && c.ack_floor.stream_seq >= fraction * st.state.last_seq) return;
    if (Date.now() > deadline) throw new Error(`backfill not at ${fraction} in ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function backfillDurablesLeft(r: Rig) {
  const left = await Promise.all(
    BACKFILL_DURABLES.map(([s, d]) =>
      r.jsm.consumers.info(s, d).then(
        () => d,
        () => null,
      ),
    ),
  );
  return left.filter((d) => d !== null);
}

describe('fault matrix: backfill', () => {
  it('after a stop, replays from the start and ends exact; a second run changes nothing', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 91, messages: 10_000 });
    const half = Math.floor(t.messages.length / 2);
    await rig.publish(t.messages.slice(0, half));
    const live = await rig.startConsumer();
    await rig.drained();
    expect((await live.process.kill('SIGTERM')).code).toBe(0);
    await rig.publish(t.messages.slice(half)); // arrives while nothing consumes

    const b = await rig.startBackfill(['--source', 'all']);
    expect((await b.exited()).code).toBe(0);
    const progress = progressLines(b.lines());
    for (const source of ['billing', 'dlr']) {
      const last = progress.filter((p) => p.source === source).pop()!;
      expect(last.done, source).toBe(last.total);
      expect(last.total, source).toBeGreaterThan(0);
    }
    expect(await backfillDurablesLeft(rig)).toEqual([]); // removed: the next run starts over
    const first = await rig.verify(
      'backfill-after-stop',
      'backfill after the consumer stopped halfway',
      t,
      null,
    );
    expect(first.diffs).toEqual([]);
    expect(first.dlq.problems).toEqual([]);

    const again = await rig.startBackfill(['--source', 'all']);
    expect((await again.exited()).code).toBe(0);
    const second = await rig.verify(
      'backfill-twice',
      'the same backfill run a second time',
      t,
      null,
    );
    expect(second.diffs).toEqual([]);
    expect(second.figures.doubled).toBe(0);
  }, 180_000);

  it('SIGKILLed twice during the backfill, resumed, then the live consumer: exact', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 92, messages: 12_000 });
    await rig.publish(t.messages); // a fresh deploy: history in the streams, nothing applied
    for (const at of [0.25, 0.6]) {
      const b = await rig.startBackfill(['--source', 'all'], { BATCH_SIZE: '200' });
      await backfilled(rig, at);
      expect((await b.kill('SIGKILL')).signal).toBe('SIGKILL');
    }
    // The durable survived the kills: the third run resumes from its ack floor.
    expect(await backfillDurablesLeft(rig)).toHaveLength(2);
    const last = await rig.startBackfill(['--source', 'all']);
    expect((await last.exited()).code).toBe(0);
    const resumed = progressLines(last.lines()).find((p) => p.source === 'billing')!;
    expect(resumed.done, 'resumed, not started over').toBeGreaterThan(0.5 * resumed.total);
    const afterKills = await rig.verify(
      'backfill-sigkill-x2',
      'backfill SIGKILLed at 25 % and 60 %, resumed',
      t,
      null,
    );
    expect(afterKills.diffs).toEqual([]);
    expect(afterKills.dlq.problems).toEqual([]);
    // Then the live consumer starts on the same history: every event a duplicate.
    await rig.startConsumer();
    await rig.drained();
    const withLive = await rig.verify(
      'backfill-then-live',
      'live consumer after a full backfill',
      t,
      null,
    );
    expect(withLive.diffs).toEqual([]);
  }, 240_000);

  it('runs next to the live consumer while traffic is published: exact', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 93, messages: 12_000 });
    const billed = t.messages.filter((m) => m.kind === 'billed').length;
    const publishing = rig.publish(t.messages);
    await rig.startConsumer();
    await rig.progressed(0.3, billed);
    const b = await rig.startBackfill(['--source', 'all'], { BATCH_SIZE: '500' });
    await publishing;
    expect((await b.exited()).code).toBe(0);
    await rig.drained();
    const r = await rig.verify(
      'backfill-with-live',
      'backfill started at 30 % while the live consumer ran',
      t,
      null,
    );
    expect(r.diffs).toEqual([]);
    expect(r.dlq.problems).toEqual([]);
    expect(r.figures.doubled).toBe(0);
  }, 180_000);
});
