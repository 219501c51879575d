/**
 * Fault matrix (docs/reliability.md): nats-server SIGKILLed mid-stream and restarted on the
 * same JetStream store. Acks sent while it was down are lost, so messages come again; the
 * ledger absorbs them. The consumer reconnects by itself and is never restarted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig, sleep } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('fault matrix: nats-server crash', () => {
  it('SIGKILL + restart on the same store: the consumer reconnects, ends exact', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 85, messages: 15_000, duplicateRate: 0.05, conflictRate: 0.005 });
    await rig.publish(t.messages);
    rig.sampleLag();
    const c = await rig.startConsumer();
    await rig.progressed(0.3);
    await rig.nats.kill('SIGKILL');
    await sleep(3000);
    expect(c.process.alive()).toBe(true);
    const notReady = await rig.readyz();
    await rig.nats.start();
    const up = Date.now();
    await rig.drained();
    const recovery = (Date.now() - up) / 1000;
    await rig.readyzBecomes(200, 10_000);
    const { diffs, dlq } = await rig.verify(
      'nats-sigkill-restart',
      'nats-server SIGKILL, down 3 s, restarted on the same store',
      t,
      recovery,
    );
    expect(notReady.status, 'not ready while NATS is down').toBe(503);
    expect(diffs).toEqual([]);
    expect(dlq.problems).toEqual([]);
    expect(rig.consumers).toHaveLength(1);
    expect((await c.process.kill('SIGTERM')).code).toBe(0);
  }, 180_000);
});
