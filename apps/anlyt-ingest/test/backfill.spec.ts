/**
 * US-ANLYT-08 for ClickHouse: `anlyt-ingest backfill` replays the DLR and CDR streams from their
 * first message into the facts through the live path (copies lookup, facts insert, dirty-day
 * marks) on durables of its own, and runs no cube builder: the live service's builder rebuilds
 * the marked days. After a stop, run twice, across SIGKILLs and next to the live ingest, every
 * fact and every cube row ends equal to the independent FactsOracle.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createClickHouse } from '@anlyt/clickhouse';
import { eventually, freePort, TEST_CLICKHOUSE_URL, waitForDrained } from '@anlyt/testing';
import {
  BACKFILL,
  BackfillRig,
  classCounts,
  LIVE,
  progressLines,
  type Traffic,
} from './backfill-rig.js';

const ch = createClickHouse({ url: TEST_CLICKHOUSE_URL });
let rig: BackfillRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const liveDurables = (r: BackfillRig) =>
  [
    [r.stream('dlr'), LIVE.dlr],
    [r.stream('cdr'), LIVE.cdr],
  ] as const;

/** The last progress line of each source says every message of the stream at its start. */
function expectCompleted(lines: string[], totals: { dlr: number; cdr: number }) {
  const progress = progressLines(lines);
  for (const source of ['dlr', 'cdr'] as const) {
    const last = progress.filter((p) => p.source === source).pop();
    expect(last, source).toMatchObject({ done: totals[source], total: totals[source] });
  }
}

const totalsOf = (t: Traffic) => ({
  dlr: t.messages.filter((m) => m.kind === 'dlr').length,
  cdr: t.messages.filter((m) => m.kind === 'cdr').length,
});

/** The first sample of a family on the live service's /metrics (NaN when absent). */
async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? NaN : Number(line.split(' ').pop());
}

describe('anlyt-ingest backfill', () => {
  it('after a stop, replays from the start and ends exact; a second run changes nothing', async () => {
    rig = await BackfillRig.start(ch);
    const t = rig.traffic(20261203, 8000);
    const classes = classCounts(t.messages);
    expect(classes.invalid * classes.conflict * classes.duplicate).toBeGreaterThan(0);
    const half = Math.floor(t.messages.length / 2);
    const [before, after] = [t.messages.slice(0, half), t.messages.slice(half)];

    const live = await rig.startLive(await freePort());
    await rig.publish(before);
    await waitForDrained(rig.nats.jsm, liveDurables(rig), 120_000);
    await live.kill('SIGTERM');
    expect((await live.exited()).code).toBe(0);
    await rig.publish(after); // arrives while nothing consumes
    expect((await rig.differences(t)).length).toBeGreaterThan(0);

    const b = await rig.startBackfill(['--source', 'all']);
    expect((await b.exited()).code).toBe(0);
    expectCompleted(b.lines(), totalsOf(t));
    expect(await rig.backfillDurablesLeft()).toEqual([]); // removed: the next run starts over
    // The live durables were not touched: still waiting for the second half.
    for (const kind of ['dlr', 'cdr'] as const) {
      const c = await rig.nats.jsm.consumers.info(rig.stream(kind), LIVE[kind]);
      expect(c.num_pending, kind).toBe(after.filter((m) => m.kind === kind).length);
    }
    // The backfill built no cube: the facts are complete, the cubes wait for the builder.
    expect((await rig.differences(t)).every((d) => d.startsWith('cube_'))).toBe(true);
    expect((await rig.cubePass()).rebuilt.length).toBeGreaterThan(0);
    expect(await rig.differences(t)).toEqual([]);
    expect(await rig.deadLetterProblems()).toEqual([]);

    const stored = await rig.storedFactRows();
    const again = await rig.startBackfill(['--source', 'all']);
    expect((await again.exited()).code).toBe(0);
    expectCompleted(again.lines(), totalsOf(t));
    expect(await rig.storedFactRows()).toBe(stored); // every event a duplicate: no row inserted
    await rig.cubePass();
    expect(await rig.differences(t)).toEqual([]);
    expect(await rig.deadLetterProblems()).toEqual([]);
  }, 240_000);

  it('SIGKILLed twice, then run to the end: exact', async () => {
    rig = await BackfillRig.start(ch);
    const t = rig.traffic(20261204, 8000);
    await rig.publish(t.messages); // a fresh deploy: history in the streams, nothing ingested
    const { dlr } = totalsOf(t);
    for (const at of [0.25, 0.6]) {
      const b = await rig.startBackfill(['--source', 'all'], { BATCH_SIZE: '100' });
      await eventually(
        `backfill at ${at}`,
        async () => ((await rig!.ackFloor('dlr', BACKFILL.dlr)) >= at * dlr ? true : undefined),
        60_000,
        20,
      );
      expect((await b.kill('SIGKILL')).signal).toBe('SIGKILL');
    }
    // The durables survived the kills: the third run resumes from their ack floors.
    expect((await rig.backfillDurablesLeft()).sort()).toEqual([BACKFILL.cdr, BACKFILL.dlr]);
    const floor = await rig.ackFloor('dlr', BACKFILL.dlr);
    expect(floor).toBeGreaterThanOrEqual(0.6 * dlr);
    const last = await rig.startBackfill(['--source', 'all'], { BACKFILL_PROGRESS_MS: '100' });
    expect((await last.exited()).code).toBe(0);
    const resumed = progressLines(last.lines()).find((p) => p.source === 'dlr')!;
    expect(resumed.done, 'resumed, not started over').toBeGreaterThanOrEqual(floor);
    expectCompleted(last.lines(), totalsOf(t));
    await rig.cubePass();
    expect(await rig.differences(t)).toEqual([]);
    expect(await rig.deadLetterProblems()).toEqual([]);
  }, 240_000);

  it('runs next to the live ingest while traffic is published: exact', async () => {
    rig = await BackfillRig.start(ch);
    const t = rig.traffic(20261205, 8000);
    const { dlr } = totalsOf(t);
    const port = await freePort();
    await rig.startLive(port);
    // Published in 20 steps over a few seconds, so the backfill starts in the middle of it.
    const publishing = (async () => {
      const step = Math.ceil(t.messages.length / 20);
      for (let i = 0; i < t.messages.length; i += step) {
        await rig!.publish(t.messages.slice(i, i + step));
        await sleep(200);
      }
    })();
    await eventually(
      'live ingest at 30 %',
      async () => ((await rig!.ackFloor('dlr', LIVE.dlr)) >= 0.3 * dlr ? true : undefined),
      60_000,
      20,
    );
    const b = await rig.startBackfill(['--source', 'all'], { BATCH_SIZE: '500' });
    const started = JSON.parse(
      await b.waitForLine(/^(?=.*"source":"dlr")(?=.*"backfill started")/, 30_000),
    ) as { lastSeq: number };
    await publishing;
    expect(started.lastSeq, 'the backfill started while traffic was published').toBeLessThan(dlr);
    expect((await b.exited()).code).toBe(0);
    const progress = progressLines(b.lines());
    for (const source of ['dlr', 'cdr'] as const) {
      const p = progress.filter((x) => x.source === source).pop()!;
      expect(p.total, source).toBeGreaterThan(0);
      expect(p.done, source).toBe(p.total);
    }
    await waitForDrained(rig.nats.jsm, liveDurables(rig), 120_000);
    // The live service's builder rebuilds what both marked.
    await eventually(
      'cubes equal the oracle',
      async () => ((await rig!.differences(t)).length === 0 ? true : undefined),
      60_000,
      500,
    ).catch(async (err: unknown) => {
      expect(await rig!.differences(t)).toEqual([]);
      throw err;
    });
    await eventually(
      'cube lag back to 0',
      async () => ((await metric(port, 'anlyt_ingest_cube_lag_seconds')) === 0 ? true : undefined),
      30_000,
      300,
    );
    expect(await rig.differences(t)).toEqual([]);
    expect(await rig.deadLetterProblems()).toEqual([]);
  }, 240_000);
});
