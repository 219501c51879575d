/**
 * US-ANLYT-01: sms.billed.v1 → anlyt.metrics_hourly (PLATFORM, OPERATOR, ACCOUNT), through the
 * real consumer, real JetStream and real PostgreSQL. Expected values are worked out by hand
 * from the contract (README §3), never read back from the code under test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { billedEvent } from '@anlyt/testing';
import { startHarness, type Harness } from './harness.js';
import { bucket, dumpAllTables } from './queries.js';

const H9 = '2026-11-28T09:00:00.000Z';
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('billing events → hourly buckets', () => {
  it('BILLED increments total_messages and total_cost in all three scopes', async () => {
    await h.publishBilled(billedEvent({ amount: '0.012500', segments: 2 }), { msgId: true });
    await h.drained();
    for (const [scope, id] of [
      ['PLATFORM', '*'],
      ['OPERATOR', 'mno-ke-01'],
      ['ACCOUNT', 'acc_4821'],
    ]) {
      const b = await bucket(h.db.sql, scope!, id!, H9);
      expect(b, `${scope} bucket`).toMatchObject({
        total_messages: '1',
        total_cost: '0.012500',
        segments: '2',
      });
    }
  });

  it('REFUNDED decrements messages and cost', async () => {
    await h.publishBilled(billedEvent({ amount: '1.500000' }));
    await h.publishBilled(billedEvent({ amount: '2.250000' }));
    await h.publishBilled(
      billedEvent({
        status: 'REFUNDED',
        amount: '1.500000',
        occurredAt: '2026-11-28T09:40:00.000Z',
      }),
    );
    await h.drained();
    const b = await bucket(h.db.sql, 'ACCOUNT', 'acc_4821', H9);
    expect(b).toMatchObject({
      billed_count: '2',
      refunded_count: '1',
      total_messages: '1',
      total_cost: '2.250000',
    });
  });

  it('the same eventId processed twice leaves every counter unchanged', async () => {
    const e = billedEvent({ amount: '0.500000' });
    await h.publishBilled(e);
    await h.drained();
    const before = await dumpAllTables(h.db.sql);
    // A later re-send, outside JetStream's duplicate window (published without Nats-Msg-Id).
    await h.publishBilled(e);
    await h.publishBilled({ ...e, msisdn: '+254700000001' }); // same event, other msisdn: same payload for us
    await h.drained();
    const b = await bucket(h.db.sql, 'PLATFORM', '*', H9);
    expect(b).toMatchObject({ total_messages: '1', total_cost: '0.500000' });
    expect(
      await h.metric('anlyt_consumer_events_total', { source: 'billing', outcome: 'redelivered' }),
    ).toBe(2);
    expect(await h.deadLetters('billing')).toEqual([]);
    // The ledger and aggregates are exactly as before (updated_at included: nothing was touched).
    expect(await dumpAllTables(h.db.sql)).toBe(before);
  });

  it('a same-id event with a different payload is dead-lettered, counted, and the first kept', async () => {
    const first = billedEvent({ amount: '1.000000' });
    await h.publishBilled(first);
    await h.drained();
    await h.publishBilled({ ...first, amount: '9.000000' });
    await h.drained();
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({
      total_messages: '1',
      total_cost: '1.000000',
    });
    const dl = await h.deadLetters('billing');
    expect(dl).toHaveLength(1);
    expect(dl[0]!.reason).toMatch(/^conflict/);
    expect(JSON.parse(dl[0]!.data).amount).toBe('9.000000'); // the original bytes, nothing lost
    expect(
      await h.metric('anlyt_consumer_dead_letters_total', {
        source: 'billing',
        reason: 'conflict',
      }),
    ).toBe(1);
  });

  it('invalid events are dead-lettered with a reason and the consumer keeps going', async () => {
    const bad: unknown[] = [
      'not json at all {',
      billedEvent({ status: 'CHARGED' }),
      billedEvent({ amount: '-1' }),
      billedEvent({ amount: '0.1234567' }),
      billedEvent({ currency: 'EUR' }),
      billedEvent({ eventId: 'not-a-uuid' }),
      (({ accountId: _drop, ...rest }) => rest)(billedEvent()),
    ];
    for (const b of bad) await h.publishBilled(b);
    await h.publishBilled(billedEvent({ amount: '0.300000' }));
    await h.drained();
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({
      total_messages: '1',
      total_cost: '0.300000',
    });
    const dl = await h.deadLetters('billing');
    expect(dl).toHaveLength(bad.length);
    for (const d of dl) expect(d.reason).toMatch(/^invalid: .+/);
    expect(dl.map((d) => d.reason).join()).toContain('not the settlement currency');
    expect(
      await h.metric('anlyt_consumer_dead_letters_total', { source: 'billing', reason: 'invalid' }),
    ).toBe(bad.length);
    // Terminated, not waiting for redelivery.
    const info = await h.nats.jsm.consumers.info(
      h.nats.topo.billingStream,
      'anlyt-billing-consumer',
    );
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('late and out-of-order events land in their own UTC hour', async () => {
    await h.publishBilled(billedEvent({ occurredAt: '2026-11-28T09:00:00.000Z', amount: '1' }));
    await h.publishBilled(billedEvent({ occurredAt: '2026-11-28T05:59:59.999Z', amount: '2' })); // hours late
    await h.publishBilled(billedEvent({ occurredAt: '2026-11-25T23:30:00.000Z', amount: '3' })); // days late
    await h.publishBilled(billedEvent({ occurredAt: '2026-11-28T08:59:59.999Z', amount: '4' }));
    await h.publishBilled(
      billedEvent({ occurredAt: '2026-11-28T12:00:00.000+03:00', amount: '5' }),
    ); // = 09:00Z
    await h.drained();
    const cost = async (hour: string) =>
      (await bucket(h.db.sql, 'PLATFORM', '*', hour))?.total_cost;
    expect(await cost('2026-11-28T09:00:00Z')).toBe('6.000000');
    expect(await cost('2026-11-28T05:00:00Z')).toBe('2.000000');
    expect(await cost('2026-11-25T23:00:00Z')).toBe('3.000000');
    expect(await cost('2026-11-28T08:00:00Z')).toBe('4.000000');
    const marks = await h.db
      .sql`select data_as_of from anlyt.watermarks where projection = 'billing'`;
    expect(new Date(marks[0]!['data_as_of']).toISOString()).toBe('2026-11-28T09:00:00.000Z');
  });

  it('sums exactly where binary floating point cannot (0.1 + 0.2, many micro amounts)', async () => {
    await h.publishBilled(billedEvent({ amount: '0.1' }));
    await h.publishBilled(billedEvent({ amount: '0.2' }));
    for (let i = 0; i < 1000; i++)
      await h.publishBilled(billedEvent({ accountId: 'acc_micro', amount: '0.000001' }));
    await h.publishBilled(billedEvent({ accountId: 'acc_big', amount: '99999999999999.999999' }));
    await h.publishBilled(billedEvent({ accountId: 'acc_big', amount: '0.000001' }));
    await h.drained();
    expect((await bucket(h.db.sql, 'ACCOUNT', 'acc_4821', H9))?.total_cost).toBe('0.300000');
    expect((await bucket(h.db.sql, 'ACCOUNT', 'acc_micro', H9))?.total_cost).toBe('0.001000');
    expect((await bucket(h.db.sql, 'ACCOUNT', 'acc_big', H9))?.total_cost).toBe(
      '100000000000000.000000',
    );
  });

  it('peak TPS is the largest number of BILLED events in one UTC second', async () => {
    for (let i = 0; i < 5; i++)
      await h.publishBilled(billedEvent({ occurredAt: `2026-11-28T09:10:07.${100 + i}Z` }));
    for (let i = 0; i < 3; i++)
      await h.publishBilled(billedEvent({ occurredAt: `2026-11-28T09:20:00.${100 + i}Z` }));
    // A refund in the busiest second does not un-bill it; two more billed in a later batch do add.
    await h.publishBilled(
      billedEvent({ status: 'REFUNDED', occurredAt: '2026-11-28T09:10:07.900Z' }),
    );
    await h.drained();
    for (let i = 0; i < 2; i++)
      await h.publishBilled(billedEvent({ occurredAt: `2026-11-28T09:10:07.${500 + i}Z` }));
    await h.drained();
    expect((await bucket(h.db.sql, 'PLATFORM', '*', H9))?.peak_tps).toBe(7);
    expect((await bucket(h.db.sql, 'OPERATOR', 'mno-ke-01', H9))?.peak_tps).toBe(7);
  });

  it('no MSISDN reaches a table, a log line or a metric', async () => {
    await h.publishBilled(billedEvent({ msisdn: '+254799887766' }));
    await h.publishBilled(billedEvent({ msisdn: '254799887766', status: 'NOPE' })); // invalid: logged
    await h.drained();
    const everything = [
      await dumpAllTables(h.db.sql),
      h.logs.join('\n'),
      await h.registry.metrics(),
      await fetch(`${h.service.address}/metrics`).then((r) => r.text()),
    ].join('\n');
    expect(everything).toContain('acc_4821'); // the scan does see the data
    expect(everything).not.toContain('799887766');
  });
});

describe('a batch the database refuses', () => {
  it('isolates the one event Postgres rejects, dead-letters it, and applies the rest', async () => {
    // Fault injection in the real database: a trigger that refuses one account's rows with a
    // data exception (SQLSTATE class 22), as Postgres would for a value it cannot store.
    await h.db.sql.unsafe(`
      create function anlyt.refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.scope_id = 'acc_poison' then
          raise exception 'value refused' using errcode = '22003';
        end if;
        return new;
      end $$;
      create trigger refuse_poison before insert on anlyt.metrics_hourly
        for each row execute function anlyt.refuse_poison();`);
    for (let i = 0; i < 10; i++) await h.publishBilled(billedEvent({ amount: '1' }));
    await h.publishBilled(billedEvent({ accountId: 'acc_poison', amount: '5' }));
    for (let i = 0; i < 10; i++) await h.publishBilled(billedEvent({ amount: '1' }));
    await h.drained();
    expect(await bucket(h.db.sql, 'ACCOUNT', 'acc_4821', H9)).toMatchObject({
      total_messages: '20',
      total_cost: '20.000000',
    });
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({ total_messages: '20' });
    const dl = await h.deadLetters('billing');
    expect(dl).toHaveLength(1);
    expect(dl[0]!.reason).toMatch(/^rejected by the database: value refused/);
    expect(JSON.parse(dl[0]!.data).accountId).toBe('acc_poison');
    expect(
      await h.metric('anlyt_consumer_dead_letters_total', {
        source: 'billing',
        reason: 'rejected',
      }),
    ).toBe(1);
    // The poison event is not in the ledger: its transaction never committed.
    const ledger = await h.db.sql`select count(*)::int as n from anlyt.processed_events`;
    expect(ledger[0]!['n']).toBe(20);
  });

  it('retries after the database drops its connections, losing and doubling nothing', async () => {
    for (let i = 0; i < 50; i++) await h.publishBilled(billedEvent({ amount: '0.5' }));
    // Kill every connection the consumer holds, a few times, while it works.
    for (let i = 0; i < 3; i++) {
      await h.db.sql`select pg_terminate_backend(pid) from pg_stat_activity
                     where datname = current_database() and application_name = 'anlyt-consumer'`;
      for (let j = 0; j < 20; j++) await h.publishBilled(billedEvent({ amount: '0.5' }));
    }
    await h.drained();
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({
      total_messages: '110',
      total_cost: '55.000000',
    });
    expect(await h.deadLetters('billing')).toEqual([]);
  });
});
