/**
 * The operator's replay command (docs/runbooks/dead-letters.md), run as the built CLI against
 * a real consumer's database and DLQ: events the database refused are applied once the cause
 * is fixed and leave the DLQ; what is still invalid stays; running it again changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { billedEvent } from '@anlyt/testing';
import { startHarness, type Harness } from './harness.js';
import { bucket } from './queries.js';

const CLI = fileURLToPath(new URL('../dist/bin/replay-dead-letters.js', import.meta.url));
const H9 = '2026-11-28T09:00:00.000Z';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function replay(x: Harness, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...x.nats.env, DATABASE_URL: x.db.url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    seen: number;
    applied: number;
    duplicates: number;
    stillRefused: { reason: string }[];
    unreadable: number[];
    selected: { reason: string }[];
  };
}

describe('replaying dead letters once their cause is fixed', () => {
  it('applies what the database refused, keeps what is still invalid, and is idempotent', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run pnpm build first`).toBe(true);
    h = await startHarness();
    // The cause: a database rule that refuses one account's rows (SQLSTATE 22003).
    await h.db.sql.unsafe(`
      create function anlyt.refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.scope_id = 'acc_poison' then raise exception 'value refused' using errcode = '22003'; end if;
        return new;
      end $$;
      create trigger refuse_poison before insert on anlyt.metrics_hourly
        for each row execute function anlyt.refuse_poison();`);
    await h.publishBilled(billedEvent({ amount: '1.000000' }));
    await h.publishBilled(billedEvent({ accountId: 'acc_poison', amount: '5.000000' }));
    await h.publishBilled(billedEvent({ accountId: 'acc_poison', amount: '7.000000' }));
    await h.publishBilled('this is not JSON');
    await h.nats.js.publish(h.nats.topo.billingSubject, new Uint8Array(1_048_500).fill(0x5b));
    await h.drained();
    expect((await h.deadLetters('billing')).map((l) => l.headers['Anlyt-Reason-Kind'])).toEqual([
      'rejected',
      'rejected',
      'invalid',
      'invalid',
    ]);

    const dry = replay(h, '--source', 'billing', '--reason', 'rejected', '--dry-run');
    expect(dry).toMatchObject({ seen: 2, applied: 0, selected: [{}, {}] });
    expect(await h.deadLetters('billing')).toHaveLength(4);

    await h.db.sql`drop trigger refuse_poison on anlyt.metrics_hourly`;
    const fixed = replay(h, '--source', 'billing', '--reason', 'rejected');
    expect(fixed).toMatchObject({ seen: 2, applied: 2, duplicates: 0, stillRefused: [] });
    expect(await bucket(h.db.sql, 'ACCOUNT', 'acc_poison', H9)).toMatchObject({
      total_cost: '12.000000',
      total_messages: '2',
    });
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({ total_cost: '13.000000' });

    // Everything left is still invalid (the oversize one read back whole from its stream).
    const again = replay(h, '--source', 'billing');
    expect(again).toMatchObject({ seen: 2, applied: 0, duplicates: 0, unreadable: [] });
    expect(again.stillRefused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^invalid: not JSON: syntax error in 16 bytes/),
      expect.stringMatching(/^invalid: not JSON: syntax error in 1048500 bytes/),
    ]);
    expect(await h.deadLetters('billing')).toHaveLength(2);
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({ total_cost: '13.000000' });
  });
});
