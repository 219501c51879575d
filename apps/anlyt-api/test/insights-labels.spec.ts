/**
 * US-ANLYT-19 AC1: label assignment under concurrency, on the real PostgreSQL. Requests that
 * see a tenant's MNOs for the first time at the same moment — on separate connections, each
 * asking in its own order — must end with one assignment that every answer agrees on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignMnoLabels, createSql, readMnoLabels, type Sql } from '@anlyt/pg';
import { createTestDatabase, type TestDatabase } from '@anlyt/testing';
import { DSL_PREFIX } from '../src/app.js';
import { mnoLabel } from '../src/insights/labels.js';
import { token } from './harness.js';
import { D1, END, FACTS, TENANTS, dateOf, DAY_MS } from './insights-data.js';
import { startInsightsHarness, type InsightsHarness } from './insights-harness.js';
import { expectedMnos } from './insights-oracle.js';

describe('assignMnoLabels (PostgreSQL)', () => {
  let db: TestDatabase;
  const clients: Sql[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 6; i++) clients.push(createSql(db.url, { max: 1 }));
  });
  afterAll(async () => {
    for (const c of clients) await c.end({ timeout: 5 });
    await db?.drop();
  });

  it('six racing assigners of one new tenant, in six orders, agree on one dense assignment', async () => {
    const mnos = ['m-a', 'm-b', 'm-c', 'm-d', 'm-e'];
    const orders = clients.map((_, i) => [...mnos.slice(i % 5), ...mnos.slice(0, i % 5)]);
    const results = await Promise.all(
      clients.map((c, i) => assignMnoLabels(c, 't-race', orders[i]!, mnoLabel)),
    );
    const stored = await readMnoLabels(db.sql, 't-race', mnos);
    expect(stored.map((l) => l.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect(stored.map((l) => l.label)).toEqual(['MNO-A', 'MNO-B', 'MNO-C', 'MNO-D', 'MNO-E']);
    // The order of exactly one of the racers won, whole.
    expect(orders).toContainEqual(stored.map((l) => l.mno));
    for (const r of results) expect(r).toEqual(stored);
  });

  it('a later assignment continues after the labels on record and never changes them', async () => {
    const before = await readMnoLabels(db.sql, 't-race', ['m-a', 'm-b', 'm-c', 'm-d', 'm-e']);
    const later = await Promise.all([
      assignMnoLabels(clients[0]!, 't-race', ['m-g', 'm-a', 'm-f'], mnoLabel),
      assignMnoLabels(clients[1]!, 't-race', ['m-f', 'm-g'], mnoLabel),
    ]);
    const after = await readMnoLabels(db.sql, 't-race', [
      'm-a',
      'm-b',
      'm-c',
      'm-d',
      'm-e',
      'm-f',
      'm-g',
    ]);
    expect(after.slice(0, 5)).toEqual(before);
    expect(after.slice(5).map((l) => [l.ordinal, l.label])).toEqual([
      [5, 'MNO-F'],
      [6, 'MNO-G'],
    ]);
    expect(later[0]!.find((l) => l.mno === 'm-a')).toEqual(before.find((l) => l.mno === 'm-a'));
    // Another tenant starts at MNO-A: labels are per tenant.
    const other = await assignMnoLabels(db.sql, 't-other', ['m-e'], mnoLabel);
    expect(other).toEqual([{ mno: 'm-e', ordinal: 0, label: 'MNO-A' }]);
  });

  it('the table refuses a second label for an MNO or a label used twice', async () => {
    await expect(
      db.sql`insert into anlyt.insight_mno_labels (tenant_id, mno, ordinal, label) values ('t-race', 'm-a', 99, 'MNO-ZZ')`,
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      db.sql`insert into anlyt.insight_mno_labels (tenant_id, mno, ordinal, label) values ('t-race', 'm-new', 99, 'MNO-A')`,
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('concurrent first requests through the API', () => {
  let h: InsightsHarness;
  beforeAll(async () => {
    h = await startInsightsHarness();
    await h.load(FACTS.dlrs, FACTS.cdrs);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('twenty simultaneous first answers for every tenant carry the same labels for the same numbers', async () => {
    const portal = await token('portal', { sub: 'customer-portal' });
    const url = `${DSL_PREFIX}/insights/mno-quality?from=${dateOf(D1)}&to=${dateOf(END - DAY_MS)}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${portal}`, 'x-account-id': TENANTS[i % 4]! },
        }),
      ),
    );
    for (const [i, res] of answers.entries()) {
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(answers[i % 4]!.body);
    }
    for (const tenant of TENANTS) {
      const rows = await h.pg.sql<{ ordinal: number }[]>`
        select ordinal from anlyt.insight_mno_labels where tenant_id = ${tenant} order by ordinal`;
      const n = expectedMnos(FACTS, tenant, D1, END).size;
      expect(rows.map((r) => r.ordinal)).toEqual([...Array(n).keys()]);
    }
  });
});
