/**
 * Fault matrix (docs/reliability.md): one of two replicas frozen (SIGSTOP) for longer than
 * AckWait and than PostgreSQL's idle-in-transaction timeout, then thawed. Its messages go to
 * the other replica after AckWait; when it wakes, its open transaction was killed by the
 * server and its buffered messages were delivered elsewhere. Both stay up; totals exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_FAULTS, Rig, sleep } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('fault matrix: a stalled replica', () => {
  it('SIGSTOP past AckWait and the idle-in-transaction timeout, then SIGCONT: exact', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 86, messages: 15_000, duplicateRate: 0.05, conflictRate: 0.005 });
    rig.sampleLag();
    const a = await rig.startConsumer();
    const b = await rig.startConsumer();
    const publishing = rig.publish(t.messages);
    await rig.progressed(0.15);
    a.process.pause();
    const frozenMs = 4 * Number(FAST_FAULTS['ACK_WAIT_MS']); // and 2× the statement timeout
    await sleep(frozenMs);
    a.process.resume();
    const thawed = Date.now();
    await publishing;
    await rig.drained();
    const recovery = (Date.now() - thawed) / 1000;
    const { diffs, dlq, figures } = await rig.verify(
      'replica-sigstop',
      `one of two replicas SIGSTOPped ${frozenMs / 1000} s (AckWait 2 s, idle-in-transaction 4 s)`,
      t,
      recovery,
    );
    expect(diffs).toEqual([]);
    expect(dlq.problems).toEqual([]);
    expect(figures.redeliveries, 'the frozen replica’s messages went elsewhere').toBeGreaterThan(0);
    expect(a.process.alive() && b.process.alive()).toBe(true);
    expect((await a.process.kill('SIGTERM')).code).toBe(0);
    expect((await b.process.kill('SIGTERM')).code).toBe(0);
  }, 180_000);
});
