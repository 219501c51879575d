/**
 * US-ANLYT-02: sms.dlr.v1 → anlyt.operator_performance (and the DLR columns of
 * metrics_hourly), through the real consumer, JetStream and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SKETCH_RELATIVE_ACCURACY, sketchFromJson, sketchQuantile } from '@anlyt/domain';
import { dlrEvent } from '@anlyt/testing';
import { startHarness, type Harness } from './harness.js';
import { bucket, dumpAllTables, operatorRow } from './queries.js';

const H9 = '2026-11-28T09:00:00.000Z';
const OP = 'mno-ke-01';
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The exact percentile at the same rank the sketch documents: the element at floor(q·(n−1)). */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('DLR events → operator performance', () => {
  it('DELIVERED counts as delivered; FAILED, EXPIRED, REJECTED, UNDELIVERABLE as failed; UNKNOWN as neither', async () => {
    const statuses = [
      'DELIVERED',
      'DELIVERED',
      'DELIVERED',
      'FAILED',
      'EXPIRED',
      'REJECTED',
      'UNDELIVERABLE',
      'UNKNOWN',
    ];
    for (const s of statuses) {
      await h.publishDlr(
        dlrEvent({ deliveryStatus: s, errorCode: s === 'DELIVERED' ? null : '0x00000045' }),
      );
    }
    await h.drained();
    expect(await operatorRow(h.db.sql, OP, H9)).toMatchObject({
      delivered_messages: '3',
      failed_messages: '4',
      latency_count: '8',
      error_codes: { '0x00000045': 5 },
    });
    for (const [scope, id] of [
      ['PLATFORM', '*'],
      ['OPERATOR', OP],
      ['ACCOUNT', 'acc_4821'],
    ]) {
      expect(await bucket(h.db.sql, scope!, id!, H9)).toMatchObject({
        delivered_messages: '3',
        failed_messages: '4',
        status_unknown: '1',
      });
    }
  });

  it('accumulates latencyMs per hour so that avg is exact and P95 is within the documented bound', async () => {
    // A skewed spread: many fast deliveries, a long slow tail, and a zero.
    const latencies = [
      0,
      ...Array.from({ length: 300 }, (_, i) => 150 + ((i * 7919) % 4000)),
      ...Array.from({ length: 40 }, (_, i) => 30_000 + i * 4_321),
    ];
    for (const l of latencies)
      await h.publishDlr(dlrEvent({ latencyMs: l, occurredAt: '2026-11-28T09:30:00.000Z' }));
    await h.publishDlr(dlrEvent({ latencyMs: 999_999, occurredAt: '2026-11-28T10:00:00.000Z' })); // next hour
    await h.drained();

    const row = (await operatorRow(h.db.sql, OP, H9))!;
    const sum = latencies.reduce((a, b) => a + b, 0);
    expect(row.latency_count).toBe(String(latencies.length));
    expect(row.latency_sum_ms).toBe(String(sum));
    const p95 = sketchQuantile(sketchFromJson(row.latency_sketch), 0.95)!;
    const exact = exactQuantile(latencies, 0.95);
    expect(Math.abs(p95 - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact);
    // The platform bucket holds the same state for the hour.
    const platform = (await bucket(h.db.sql, 'PLATFORM', '*', H9))!;
    expect(platform.latency_sketch).toEqual(row.latency_sketch);
    expect((await operatorRow(h.db.sql, OP, '2026-11-28T10:00:00Z'))?.latency_sum_ms).toBe(
      '999999',
    );
  });

  it('a replayed DLR does not change any counter', async () => {
    const e = dlrEvent({ deliveryStatus: 'FAILED', errorCode: '0x0000000B', latencyMs: 1234 });
    await h.publishDlr(e, { msgId: true });
    await h.drained();
    const before = await dumpAllTables(h.db.sql);
    await h.publishDlr(e); // replay after the duplicate window
    await h.publishDlr(e);
    await h.drained();
    expect(await dumpAllTables(h.db.sql)).toBe(before);
    expect(await operatorRow(h.db.sql, OP, H9)).toMatchObject({
      failed_messages: '1',
      latency_count: '1',
    });
    expect(
      await h.metric('anlyt_consumer_events_total', { source: 'dlr', outcome: 'redelivered' }),
    ).toBe(2);
  });

  it('invalid DLRs are dead-lettered and counted; valid ones around them still land', async () => {
    await h.publishDlr(dlrEvent({ deliveryStatus: 'LOST' }));
    await h.publishDlr(dlrEvent({ latencyMs: -5 }));
    await h.publishDlr(dlrEvent({ latencyMs: 12.5 }));
    await h.publishDlr(dlrEvent());
    await h.drained();
    expect((await operatorRow(h.db.sql, OP, H9))?.delivered_messages).toBe('1');
    expect(await h.deadLetters('dlr')).toHaveLength(3);
    expect(
      await h.metric('anlyt_consumer_dead_letters_total', { source: 'dlr', reason: 'invalid' }),
    ).toBe(3);
  });
});
