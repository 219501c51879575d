/**
 * Fault matrix (docs/reliability.md): what must reach the DLQ even when it is hard to —
 * payloads too large to copy next to their headers, payloads that are not text, not JSON or
 * not an object — and a DLQ that refuses letters for a while (full). Nothing may be lost,
 * nothing dead-lettered twice, and the valid traffic around them must land exactly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DiscardPolicy } from '@nats-io/jetstream';
import type { TrafficMessage } from '@anlyt/traffic';
import { Rig, sleep, STREAMS } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const OVERSIZE = 1_048_500; // fits the server's 1 MiB max_payload only without headers
const te = new TextEncoder();

/** Broken payloads of every shape, for both sources, labelled invalid like the generator's. */
function malformed(): TrafficMessage[] {
  const bodies: Uint8Array[] = [
    new Uint8Array(0),
    Uint8Array.from([0xff, 0xfe, 0x00, 0x80]), // not UTF-8
    te.encode('null'),
    te.encode('[1,2,3]'),
    te.encode('{"eventId": '),
    Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 256), // binary noise
    new Uint8Array(OVERSIZE).fill(0x7b), // "{{{{…": oversize, not JSON
    te.encode(
      `{"eventId":"9a3c0d4e-0000-4000-8000-000000000001","messageId":"${'m'.repeat(OVERSIZE - 80)}"}`,
    ),
  ];
  return (['billed', 'dlr'] as const).flatMap((kind) =>
    bodies.map((data) => ({
      kind,
      subject: '',
      data,
      eventId: null,
      class: 'invalid' as const,
    })),
  );
}

describe('fault matrix: bad input and a refusing DLQ', () => {
  it('oversize and malformed payloads are all dead-lettered once; the rest lands exactly', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 87, messages: 8_000 });
    const bad = malformed();
    // Interleaved: the broken ones sit between valid messages of the same batches.
    const step = Math.floor(t.messages.length / bad.length);
    bad.forEach((m, i) => t.messages.splice((i + 1) * step + i, 0, m));
    await rig.publish(t.messages);
    rig.sampleLag();
    const c = await rig.startConsumer();
    const t0 = Date.now();
    await rig.drained();
    const { diffs, dlq } = await rig.verify(
      'oversize-and-malformed',
      `${bad.length} malformed payloads (empty, not UTF-8, not JSON, not an object, 4 of ${OVERSIZE} B) among the traffic`,
      t,
      (Date.now() - t0) / 1000,
    );
    expect(diffs).toEqual([]);
    expect(dlq.problems).toEqual([]);
    expect(dlq.invalid).toBe(
      t.oracle.counts().billed.invalid + t.oracle.counts().dlr.invalid + bad.length,
    );
    expect(dlq.truncated).toBe(4); // the oversize ones, flagged, with their provenance
    expect((await c.process.kill('SIGTERM')).code).toBe(0);
  }, 180_000);

  it('the DLQ refusing letters (full) holds the batches, then every letter lands once', async () => {
    rig = await Rig.start();
    const t = rig.traffic({ seed: 88, messages: 15_000, invalidRate: 0.02, conflictRate: 0.005 });
    rig.sampleLag();
    const c = await rig.startConsumer();
    const dlq = STREAMS.dlq.stream;
    const limit = async (maxMsgs: number) => {
      const info = await rig!.jsm.streams.info(dlq);
      await rig!.jsm.streams.update(dlq, {
        ...info.config,
        max_msgs: maxMsgs,
        discard: DiscardPolicy.New,
      });
    };
    await limit(1); // full after its first letter, until the limit is raised
    const publishing = rig.publish(t.messages);
    const notReady = await rig.readyzBecomes(503, 15_000);
    expect(notReady?.checks).toMatchObject({
      loops: expect.objectContaining({ billing: 'retrying' }),
    });
    await sleep(5000);
    expect(c.process.alive()).toBe(true);
    await limit(-1);
    const raised = Date.now();
    await publishing;
    await rig.drained();
    const recovery = (Date.now() - raised) / 1000;
    const { diffs, dlq: letters } = await rig.verify(
      'dlq-refusing',
      'DLQ full (max_msgs 1, discard new) for the first ~10 s of the stream',
      t,
      recovery,
    );
    expect(diffs).toEqual([]);
    expect(letters.problems).toEqual([]);
    expect(letters.invalid).toBe(t.oracle.counts().billed.invalid + t.oracle.counts().dlr.invalid);
    expect((await c.process.kill('SIGTERM')).code).toBe(0);
  }, 180_000);
});
