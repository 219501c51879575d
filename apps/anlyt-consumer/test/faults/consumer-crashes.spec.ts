/**
 * Fault matrix (docs/reliability.md): the consumer process SIGKILLed while it works, and
 * restarted as an orchestrator would. Conflicting copies published right after their
 * originals are the case where crash timing used to pick the winner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('fault matrix: consumer crashes', () => {
  it('SIGKILL ×5 while the stream is published and consumed: exact, conflicts by the rule', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 81, messages: 15_000, duplicateRate: 0.05, conflictRate: 0.01 });
    rig.sampleLag();
    const billed = t.messages.filter((m) => m.kind === 'billed').length;
    const publishing = rig.publish(t.messages);
    // Kill i at a random point of the i-th sixth of the billing stream: every kill interrupts
    // work in flight, and a sixth is left for the last process.
    const kills: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await rig.startConsumer();
      const at = (i + 0.3 + 0.7 * Math.random()) / 6;
      await rig.progressed(at, billed);
      expect((await c.process.kill('SIGKILL')).signal).toBe('SIGKILL');
      kills.push(`${Math.round(at * 100)} %`);
    }
    await publishing;
    const last = await rig.startConsumer();
    const t0 = Date.now();
    await rig.drained();
    const recovery = (Date.now() - t0) / 1000;
    const { diffs, dlq, figures } = await rig.verify(
      'consumer-sigkill-x5',
      `consumer SIGKILL ×5 while publishing, at ${kills.join(', ')} of the billing stream`,
      t,
      recovery,
    );
    expect(diffs, `killed at ${kills.join(', ')}`).toEqual([]);
    expect(dlq.problems).toEqual([]);
    expect(figures.redeliveries, 'the kills interrupted work in flight').toBeGreaterThan(0);
    expect((await last.process.kill('SIGTERM')).code).toBe(0); // graceful shutdown
  }, 180_000);

  it('conflicting duplicates around crashes: the lower sequence wins, losers displaced', async () => {
    rig = await Rig.start();
    // 5 % of messages are followed by a conflicting copy of a recent original.
    const t = rig.traffic({ seed: 82, messages: 15_000, conflictRate: 0.05 });
    await rig.publish(t.messages);
    rig.sampleLag();
    // Each kill leaves a batch of originals unacked for AckWait, while the replacement reads
    // on past them — into their conflicting copies, which it applies first.
    for (const at of [0.15, 0.4, 0.65]) {
      const c = await rig.startConsumer();
      await rig.progressed(at);
      await c.process.kill('SIGKILL');
    }
    const last = await rig.startConsumer();
    const t0 = Date.now();
    await rig.drained();
    const recovery = (Date.now() - t0) / 1000;
    const displaced = rig.consumers
      .flatMap((c) => c.process.lines())
      .filter((l) => l.includes('displaced by a lower stream sequence'))
      .reduce((n, l) => n + (JSON.parse(l) as { count: number }).count, 0);
    const { diffs, dlq } = await rig.verify(
      'conflicts-around-crashes',
      `3 SIGKILLs at 15/40/65 % with 5 % conflicts; ${displaced} copies displaced`,
      t,
      recovery,
    );
    expect(diffs).toEqual([]);
    expect(dlq.problems).toEqual([]);
    // Two conflicting copies of one DLR can be byte-identical (the generator flips the
    // status): the second is then a duplicate of the first, so count distinct payloads.
    const conflicting = new Set(
      t.messages.filter((m) => m.class === 'conflict').map((m) => Buffer.from(m.data).toString()),
    );
    expect(dlq.conflicts).toBeGreaterThanOrEqual(conflicting.size);
    expect(displaced, 'crashes made conflicts arrive before their originals').toBeGreaterThan(0);
    expect((await last.process.kill('SIGTERM')).code).toBe(0);
  }, 180_000);
});
