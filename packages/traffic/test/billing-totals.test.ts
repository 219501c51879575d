import { describe, expect, it } from 'vitest';
import { SimulatedBillingTotals } from '../src/index.js';
import { handMessage } from './helpers.js';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const billed = (n: number, at: string, status: string, amount: string) => ({
  eventId: id(n),
  eventType: 'sms.billed.v1',
  occurredAt: at,
  messageId: `m-${n}`,
  accountId: `acc_${n % 3}`,
  operatorId: 'mno-a',
  status,
  segments: 1,
  amount,
  currency: 'USD',
  direction: 'MT',
  lane: 'TRANSACTIONAL',
  destinationPrefix: '+2547',
  msisdn: '+254712345678',
});

describe('SimulatedBillingTotals (billing.daily_totals of what the simulator billed)', () => {
  it('sums valid first-seen billed events per UTC day of occurredAt, billed − refunded', () => {
    const t = new SimulatedBillingTotals('USD');
    const b1 = billed(1, '2026-11-27T23:59:59.999Z', 'BILLED', '0.1');
    const b2 = billed(2, '2026-11-28T00:00:00.000Z', 'BILLED', '1.25');
    const r2 = billed(3, '2026-11-28T07:00:00.000Z', 'REFUNDED', '1.25');
    const b4 = billed(4, '2026-11-28T12:00:00.000Z', 'BILLED', '0.000001');
    for (const m of [
      handMessage('billed', b1),
      handMessage('billed', b2),
      handMessage('billed', b2, 'duplicate'), // re-sent: counted once
      handMessage('billed', { ...b2, amount: '9' }, 'conflict'), // not billing's
      handMessage('billed', { ...b4, eventId: id(9), amount: '1e3' }, 'invalid'),
      handMessage('billed', r2),
      handMessage('billed', b4),
      handMessage('billed', b1), // labelled valid but a repeated eventId: counted once
      handMessage('dlr', { eventId: id(20), occurredAt: '2026-11-28T12:00:01.000Z' }),
    ])
      t.observe(m);

    // 27th: 0.1 (1 message). 28th: 1.25 − 1.25 + 0.000001 = 0.000001, 2 − 1 = 1 message.
    expect(t.rows()).toEqual([
      { day: '2026-11-27', currency: 'USD', totalCost: '0.100000', messageCount: '1' },
      { day: '2026-11-28', currency: 'USD', totalCost: '0.000001', messageCount: '1' },
    ]);
  });

  it('has no rows before anything was billed', () => {
    expect(new SimulatedBillingTotals('EUR').rows()).toEqual([]);
  });

  it('hands out only what was billed since the last write, so writes can add up', () => {
    const t = new SimulatedBillingTotals('USD');
    t.observe(handMessage('billed', billed(1, '2026-11-27T10:00:00.000Z', 'BILLED', '0.5')));
    const first = t.pendingDeltas();
    expect(
      first.map(({ day, totalCost, messageCount }) => ({ day, totalCost, messageCount })),
    ).toEqual([{ day: '2026-11-27', totalCost: '0.500000', messageCount: '1' }]);
    expect(t.pendingDeltas()).toHaveLength(1); // not written yet: still pending
    t.markWritten(first);
    expect(t.pendingDeltas()).toEqual([]);
    t.observe(handMessage('billed', billed(2, '2026-11-27T11:00:00.000Z', 'REFUNDED', '0.2')));
    t.observe(handMessage('billed', billed(3, '2026-11-28T01:00:00.000Z', 'BILLED', '0.1')));
    // 27th: −0.2 and −1 message since the write; 28th: all of it.
    expect(
      t
        .pendingDeltas()
        .map(({ day, totalCost, messageCount }) => ({ day, totalCost, messageCount })),
    ).toEqual([
      { day: '2026-11-27', totalCost: '-0.200000', messageCount: '-1' },
      { day: '2026-11-28', totalCost: '0.100000', messageCount: '1' },
    ]);
  });
});
