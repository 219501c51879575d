/**
 * Fault matrix (docs/reliability.md): PostgreSQL crashes (`pg_ctl stop -m immediate`) while
 * batches are being applied, and comes back 10 s or 60 s later. The consumer must stay up
 * (the postgres.js null-socket crash), report not-ready meanwhile, hold its batches instead of
 * dead-lettering them, and end exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig, sleep } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function outage(row: string, seconds: number, seed: number) {
  rig = await Rig.start();
  const t = rig.traffic({ seed, messages: 15_000, duplicateRate: 0.05, conflictRate: 0.005 });
  rig.sampleLag();
  const c = await rig.startConsumer();
  const publishing = rig.publish(t.messages); // traffic keeps coming during the outage
  await rig.progressed(0.1);
  await rig.pg.stop('immediate');
  const down = Date.now();
  const notReady = await rig.readyzBecomes(503, 10_000);
  expect(notReady?.checks).toMatchObject({ postgres: false });
  await sleep(Math.max(0, seconds * 1000 - (Date.now() - down)));
  expect(c.process.alive(), 'the consumer survived the outage').toBe(true);
  await rig.pg.start();
  const up = Date.now();
  await publishing;
  await rig.drained();
  const recovery = (Date.now() - up) / 1000;
  await rig.readyzBecomes(200, 10_000);
  const held = c.process.lines().filter((l) => l.includes('batch held for retry')).length;
  const { diffs, dlq } = await rig.verify(
    row,
    `PostgreSQL stop -m immediate for ${seconds} s mid-stream (${held} retry log lines)`,
    t,
    recovery,
  );
  expect(diffs).toEqual([]);
  expect(dlq.problems, 'nothing valid was dead-lettered for the outage').toEqual([]);
  expect(held).toBeGreaterThan(0);
  expect(rig.consumers).toHaveLength(1); // never restarted
  expect((await c.process.kill('SIGTERM')).code).toBe(0);
}

describe('fault matrix: PostgreSQL outages', () => {
  it('stop -m immediate for 10 s: the consumer lives, holds its batches, ends exact', async () => {
    await outage('postgres-down-10s', 10, 83);
  }, 180_000);

  it('stop -m immediate for 60 s: the consumer lives, holds its batches, ends exact', async () => {
    await outage('postgres-down-60s', 60, 84);
  }, 240_000);
});
