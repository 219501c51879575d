// RunQueryUseCase with a hand-written fake of its QueryStore: which rows are stored, which
// page comes back, and when a cursor or a result is refused.
import { describe, expect, it } from 'vitest';
import type { QueryBody, Scope } from '@anlyt/query';
import { QueryRefused, RunQueryUseCase, type QueryStore } from '../src/query/run-query.use-case.js';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const portal: Scope = { role: 'portal', tenantId: 'acc_1' };
const body: QueryBody = {
  dataset: 'dlr',
  measures: ['dlrs'],
  dimensions: ['mno'],
  timeRange: { from: '2026-12-01' },
};

class FakeStore implements QueryStore {
  results = new Map<string, string[]>();
  statements: string[] = [];
  dropped: number[] = [];
  constructor(private readonly rowCount: number) {}
  async dataAsOf() {
    return NOW - 60_000;
  }
  async *rows(sql: string) {
    this.statements.push(sql);
    for (let i = 0; i < this.rowCount; i++)
      yield { d_mno: `mno-${String(i).padStart(4, '0')}`, m_dlrs: String(i) };
  }
  async saveResult(id: string, rows: AsyncIterable<{ rowNo: number; row: string }>) {
    const kept: string[] = [];
    for await (const r of rows) {
      expect(r.rowNo).toBe(kept.length + 1);
      kept.push(r.row);
    }
    this.results.set(id, kept);
  }
  async readResult(id: string, afterRow: number, count: number) {
    return (this.results.get(id) ?? []).slice(afterRow, afterRow + count);
  }
  async dropResultsBefore(dayMs: number) {
    this.dropped.push(dayMs);
  }
}

const useCase = (store: QueryStore, maxResultRows = 1_000) =>
  new RunQueryUseCase({
    store,
    database: 'anlyt',
    cursorKey: Buffer.alloc(32, 7),
    maxResultRows,
    cursorTtlMs: 86_400_000,
  });

describe('RunQueryUseCase', () => {
  it('answers a one-page result without storing it', async () => {
    const store = new FakeStore(3);
    const a = await useCase(store).execute({ ...body, limit: 3 }, portal, NOW);
    expect(a.rows).toEqual([0, 1, 2].map((i) => ({ mno: `mno-000${i}`, dlrs: i })));
    expect(a.nextCursor).toBeNull();
    expect(a.dataAsOf).toBe(new Date(NOW - 60_000).toISOString());
    expect(store.results.size).toBe(0);
    expect(store.statements[0]).toContain("tenantId = 'acc_1'");
  });

  it('stores a multi-page result once and serves every row once from it', async () => {
    const store = new FakeStore(23);
    const uc = useCase(store);
    const seen: unknown[] = [];
    let a = await uc.execute({ ...body, limit: 10 }, portal, NOW);
    seen.push(...a.rows);
    while (a.nextCursor) {
      a = await uc.execute({ ...body, limit: 10, cursor: a.nextCursor }, portal, NOW + 1000);
      seen.push(...a.rows);
    }
    expect(seen).toEqual(
      Array.from({ length: 23 }, (_, i) => ({ mno: `mno-${String(i).padStart(4, '0')}`, dlrs: i })),
    );
    expect(store.statements).toHaveLength(1); // computed once
    expect(store.results.size).toBe(1);
    expect(store.dropped).toHaveLength(1); // the first stored result triggers the cleanup
  });

  it('refuses a result over the cap, a cursor of another body or caller, and an expired one', async () => {
    await expect(
      useCase(new FakeStore(30), 25).execute({ ...body, limit: 10 }, portal, NOW),
    ).rejects.toMatchObject({
      code: 'RESULT_TOO_LARGE',
    });
    const store = new FakeStore(30);
    const uc = useCase(store);
    const { nextCursor } = await uc.execute({ ...body, limit: 10 }, portal, NOW);
    const again = (b: QueryBody, s: Scope, at = NOW) =>
      uc.execute({ ...b, cursor: nextCursor }, s, at);
    for (const p of [
      again({ ...body, dimensions: ['status'] }, portal),
      again(body, { role: 'portal', tenantId: 'acc_2' }),
      again(body, { role: 'admin' }),
      again(body, portal, NOW + 86_400_000),
    ])
      await expect(p).rejects.toBeInstanceOf(QueryRefused);
  });
});
