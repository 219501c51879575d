import { describe, expect, it } from 'vitest';
import {
  bindingOf,
  openCursor,
  renderRow,
  signCursor,
  type CursorState,
  type OutputColumn,
  type QueryBody,
} from '../src/index.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const NOW = Date.parse('2026-12-02T10:00:00Z');
const body: QueryBody = { dataset: 'dlr', measures: ['dlrs'], dimensions: ['mno'], limit: 10 };
const portal = { role: 'portal' as const, tenantId: 'acc_1' };
const state: CursorState = {
  resultId: 'r1',
  afterRow: 10,
  binding: bindingOf(body, portal),
  dataAsOfMs: NOW - 5000,
  expiresAtMs: NOW + 60_000,
};

describe('cursors', () => {
  it('open to what was signed', () => {
    expect(openCursor(signCursor(state, KEY), KEY, NOW)).toEqual({ ok: true, state });
  });

  it('refuse any changed character, another key, and expiry', () => {
    const c = signCursor(state, KEY);
    for (let i = 0; i < c.length; i++) {
      const flipped = c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
      if (flipped !== c) expect(openCursor(flipped, KEY, NOW).ok).toBe(false);
    }
    expect(openCursor(c, Buffer.from('another key, just as long.......'), NOW).ok).toBe(false);
    expect(openCursor(c, KEY, state.expiresAtMs).ok).toBe(false);
    expect(openCursor('garbage', KEY, NOW).ok).toBe(false);
  });

  it('are bound to the question and the scope, not to the page size or the cursor', () => {
    const b = bindingOf(body, portal);
    expect(bindingOf({ ...body, limit: 500, cursor: 'x' }, portal)).toBe(b);
    expect(bindingOf({ ...body, dimensions: ['status'] }, portal)).not.toBe(b);
    expect(bindingOf(body, { role: 'portal', tenantId: 'acc_2' })).not.toBe(b);
    expect(bindingOf(body, { role: 'admin' })).not.toBe(b);
    // Key order in the body does not matter.
    const reordered = {
      limit: 10,
      dimensions: ['mno'],
      measures: ['dlrs'],
      dataset: 'dlr',
    } as QueryBody;
    expect(bindingOf(reordered, portal)).toBe(b);
  });
});

describe('renderRow', () => {
  const cols: OutputColumn[] = [
    { name: 'hour', alias: 'd_hour', render: 'hour' },
    { name: 'rule', alias: 'd_rule', render: 'optional' },
    { name: 'cost', alias: 'm_cost', render: 'money' },
    { name: 'dlrs', alias: 'm_dlrs', render: 'count' },
    { name: 'deliveryRate', alias: 'm_deliveryRate', render: 'number' },
    { name: 'p95LatencyMs', alias: 'm_p95LatencyMs', render: 'number' },
  ];
  it('renders the contract forms: ms instants, null for no value, 6-decimal money, null rates', () => {
    const raw = {
      d_hour: Date.UTC(2026, 9, 31, 11) / 1000,
      d_rule: '',
      m_cost: '-9007199254740993',
      m_dlrs: '12',
      m_deliveryRate: null,
      m_p95LatencyMs: 'nan',
    };
    expect(renderRow(cols, raw)).toEqual({
      hour: '2026-10-31T11:00:00.000Z',
      rule: null,
      cost: '-9007199254.740993',
      dlrs: 12,
      deliveryRate: null,
      p95LatencyMs: null,
    });
    expect(
      renderRow(cols, { ...raw, d_rule: 'DND', m_deliveryRate: 0.5, m_p95LatencyMs: 812.5 }),
    ).toMatchObject({
      rule: 'DND',
      deliveryRate: 0.5,
      p95LatencyMs: 812.5,
    });
  });
});
