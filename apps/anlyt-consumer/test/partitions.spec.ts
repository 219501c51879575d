/**
 * The consumer and the partitioned bucket tables (migration 0014, docs/retention.md): an event
 * whose month has no partition (more than the months made ahead in the future, or older than
 * the hourly retention) is dead-lettered with the database's reason while its batch-mates land,
 * and the replay command applies it once the partition exists. The consumer makes the
 * partitions ahead by itself at start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { billedEvent } from '@anlyt/testing';
import { startHarness, type Harness } from './harness.js';
import { bucket } from './queries.js';

const CLI = fileURLToPath(new URL('../dist/bin/replay-dead-letters.js', import.meta.url));
const FAR = '2031-05-05T10:00:00.000Z';
const H9 = '2026-11-28T09:00:00.000Z';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('partitions', () => {
  it('dead-letters an event with no partition for its bucket, lands the rest, and replays it once the partition is made', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run pnpm build first`).toBe(true);
    h = await startHarness();
    await h.publishBilled(billedEvent({ amount: '1.000000' }));
    await h.publishBilled(billedEvent({ occurredAt: FAR, amount: '5.000000' }));
    await h.publishBilled(billedEvent({ amount: '2.000000' }));
    await h.drained();

    const letters = await h.deadLetters('billing');
    expect(letters.map((l) => l.headers['Anlyt-Reason-Kind'])).toEqual(['rejected']);
    expect(letters[0]!.headers['Anlyt-Reason']).toMatch(/no partition of relation/);
    expect(await bucket(h.db.sql, 'PLATFORM', '*', H9)).toMatchObject({ total_cost: '3.000000' });

    await h.db.sql`
      select anlyt.ensure_partitions(table_name, ${FAR}::timestamptz, ${FAR}::timestamptz)
      from anlyt.partitioned_tables`;
    const r = spawnSync(process.execPath, [CLI, '--source', 'billing', '--reason', 'rejected'], {
      env: { ...process.env, ...h.nats.env, DATABASE_URL: h.db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ applied: 1 });
    expect(await bucket(h.db.sql, 'PLATFORM', '*', '2031-05-05T10:00:00.000Z')).toMatchObject({
      total_cost: '5.000000',
    });
  });

  it('makes the partitions of the months ahead when it starts', async () => {
    // The furthest month the migration made: gone before the service starts.
    let name = '';
    const exists = async () =>
      (
        await h!.db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_class where relname = ${name}`
      )[0]!.n;
    h = await startHarness(
      {},
      {
        async beforeStart(_nats, db) {
          const [r] = await db.sql<{ name: string }[]>`
          select 'metrics_hourly_' || to_char(date_trunc('month', now() at time zone 'UTC') + interval '3 months', 'YYYYMM') as name`;
          name = r!.name;
          await db.sql.unsafe(`drop table anlyt.${name}`);
        },
      },
    );
    await expect.poll(exists, { timeout: 15_000 }).toBe(1);
  });
});
