// The CDRs the generator emits, checked against the billed events and DLRs they describe
// (read back from the payloads, not from the generator's internals).
import { describe, expect, it } from 'vitest';
import {
  RealtimeTraffic,
  type TrafficMessage,
  defaultTrafficConfig,
  generateTraffic,
  parseMicros,
} from '../src/index.js';
import { parse, text } from './helpers.js';

type Payload = Record<string, unknown>;

const cfg = defaultTrafficConfig({
  seed: 11,
  messages: 20_000,
  cdrs: true,
  blockedRate: 0.02,
  duplicateRate: 0.02,
  conflictRate: 0.01,
  lateRate: 0.02,
});
const messages = [...generateTraffic(cfg)];
const valid = messages.filter((m) => m.class === 'valid');
const ofKind = (kind: TrafficMessage['kind']) => valid.filter((m) => m.kind === kind).map(parse);
const billed = ofKind('billed').filter((e) => e['status'] === 'BILLED');
const refunds = ofKind('billed').filter((e) => e['status'] === 'REFUNDED');
const dlrs = ofKind('dlr');
const cdrs = ofKind('cdr');
const verdict = (e: Payload) => (e['compliance'] as { verdict: string }).verdict;
const rule = (e: Payload) => (e['compliance'] as { rule: string | null }).rule;
const allowed = cdrs.filter((e) => verdict(e) === 'ALLOWED');
const blocked = cdrs.filter((e) => verdict(e) === 'BLOCKED');
const byMessage = (events: Payload[]) => new Map(events.map((e) => [e['messageId'], e]));

const SHARED = [
  'messageId',
  'accountId',
  'operatorId',
  'direction',
  'lane',
  'destinationPrefix',
  'segments',
  'amount',
  'currency',
  'msisdn',
  'occurredAt', // the submit time: the billed event's time
];

describe('CDRs of billed messages', () => {
  it('is exactly one per BILLED event, none for refunds, with the message’s facts', () => {
    expect(allowed.length).toBe(cfg.messages);
    const cdrOf = byMessage(allowed);
    expect(cdrOf.size).toBe(cfg.messages);
    const mismatches = billed.flatMap((b) => {
      const c = cdrOf.get(b['messageId'])!;
      return SHARED.filter((k) => c[k] !== b[k]).map((k) => `${String(b['messageId'])}: ${k}`);
    });
    expect(mismatches).toEqual([]);
    expect(refunds.length).toBeGreaterThan(0);
  });

  it('has occurredAt = the DLR’s submittedAt, and an accepted submit for a delivered message', () => {
    const cdrOf = byMessage(allowed);
    for (const d of dlrs) {
      const c = cdrOf.get(d['messageId'])!;
      expect(c['occurredAt']).toBe(d['submittedAt']);
      if (d['deliveryStatus'] === 'DELIVERED') expect(c['submitStatus']).toBe('ACCEPTED');
      // A REJECTED DLR at 0 ms is the SMSC refusing the submit: the CDR carries its code.
      if (d['deliveryStatus'] === 'REJECTED' && d['latencyMs'] === 0)
        expect([c['submitStatus'], c['esmeErrorCode']]).toEqual(['REJECTED', d['errorCode']]);
    }
  });

  it('has an SMPP code exactly when the submit was refused; mostly accepted', () => {
    const counts = { ACCEPTED: 0, REJECTED: 0, THROTTLED: 0 } as Record<string, number>;
    for (const c of allowed) {
      counts[c['submitStatus'] as string]!++;
      expect(c['esmeErrorCode'] === null).toBe(c['submitStatus'] === 'ACCEPTED');
      if (c['esmeErrorCode'] !== null) expect(c['esmeErrorCode']).toMatch(/^0x[0-9A-F]{8}$/);
      expect(rule(c)).toBeNull();
    }
    expect(counts['ACCEPTED']! / allowed.length).toBeGreaterThan(0.85);
    expect(counts['REJECTED']).toBeGreaterThan(50);
    expect(counts['THROTTLED']).toBeGreaterThan(50);
  });

  it('refuses submits at operator-dependent rates', () => {
    const perOp = new Map<string, { n: number; refused: number }>();
    for (const c of allowed) {
      const s = perOp.get(c['operatorId'] as string) ?? { n: 0, refused: 0 };
      s.n++;
      if (c['submitStatus'] !== 'ACCEPTED') s.refused++;
      perOp.set(c['operatorId'] as string, s);
    }
    const rates = [...perOp.values()].map((s) => s.refused / s.n);
    expect(Math.max(...rates)).toBeGreaterThan(3 * Math.min(...rates));
  });

  it('gives each account one sender, an alphanumeric one of ≤ 11 characters or a short code', () => {
    const senders = new Map<unknown, Set<unknown>>();
    for (const c of cdrs) {
      const s = senders.get(c['accountId']) ?? new Set();
      s.add(c['senderId']);
      senders.set(c['accountId'], s);
      expect(c['senderId']).toMatch(/^(?:[A-Z]{2,11}|[0-9]{5})$/);
    }
    expect([...senders.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(cdrs.map((c) => c['senderId'])).size).toBeGreaterThan(20);
  });

  it('adds up to exactly the billed amounts (blocked messages cost nothing)', () => {
    const sum = (events: Payload[]) =>
      events.reduce((a, e) => a + parseMicros(e['amount'] as string), 0n);
    expect(sum(cdrs)).toBe(sum(billed));
  });
});

describe('CDRs of BLOCKED messages', () => {
  it('come at about blockedRate per billed message, with every rule', () => {
    expect(blocked.length / cfg.messages).toBeGreaterThan(cfg.blockedRate * 0.8);
    expect(blocked.length / cfg.messages).toBeLessThan(cfg.blockedRate * 1.2);
    expect(new Set(blocked.map(rule))).toEqual(
      new Set(['DND', 'OPT_OUT', 'SENDER_ID', 'CONTENT', 'QUIET_HOURS']),
    );
    // Quiet hours bind promotional traffic only.
    for (const c of blocked.filter((e) => rule(e) === 'QUIET_HOURS'))
      expect(c['lane']).toBe('PROMOTIONAL');
  });

  it('were never sent: REJECTED without an SMPP code, free, never billed, no DLR', () => {
    const billedIds = new Set(ofKind('billed').map((e) => e['messageId']));
    const dlrIds = new Set(dlrs.map((e) => e['messageId']));
    const sameMessage = new Set(allowed.map((e) => e['messageId']));
    for (const c of blocked) {
      expect([c['submitStatus'], c['esmeErrorCode']]).toEqual(['REJECTED', null]);
      expect(parseMicros(c['amount'] as string)).toBe(0n);
      expect(billedIds.has(c['messageId'])).toBe(false);
      expect(dlrIds.has(c['messageId'])).toBe(false);
      expect(sameMessage.has(c['messageId'])).toBe(false);
    }
    expect(new Set(blocked.map((c) => c['messageId'])).size).toBe(blocked.length);
  });
});

describe('CDR emission and noise', () => {
  it('emits each CDR right after its billed event (late ones carry the late time too)', () => {
    const at = (e: Payload) => Date.parse(e['occurredAt'] as string);
    let lastBilled: Payload | null = null;
    let maxSoFar = -Infinity;
    let late = 0;
    for (const m of valid) {
      if (m.kind === 'billed') {
        lastBilled = parse(m);
        maxSoFar = Math.max(maxSoFar, at(lastBilled));
      }
      if (m.kind !== 'cdr') continue;
      const c = parse(m);
      if (verdict(c) === 'ALLOWED') {
        expect(c['messageId']).toBe(lastBilled!['messageId']);
        if (at(c) < maxSoFar - 3_600_000) late++;
      } else {
        // Blocked at the emission time, which a late billed event's occurredAt precedes.
        expect(at(c)).toBeGreaterThanOrEqual(at(lastBilled!));
      }
    }
    expect(late).toBeGreaterThan(cfg.messages * cfg.lateRate * 0.5);
  });

  it('re-sends CDRs byte for byte, and conflicts in submit status or amount only', () => {
    const seen = new Map<string, Payload>();
    let duplicates = 0;
    let conflicts = 0;
    for (const m of messages.filter((x) => x.kind === 'cdr')) {
      if (m.class === 'valid') seen.set(m.eventId!, parse(m));
      if (m.class === 'duplicate') {
        duplicates++;
        expect(parse(m)).toEqual(seen.get(m.eventId!));
      }
      if (m.class === 'conflict') {
        conflicts++;
        const original = seen.get(m.eventId!)!;
        const changed = Object.keys(original).filter(
          (k) => JSON.stringify(original[k]) !== JSON.stringify(parse(m)[k]),
        );
        expect([['amount'], ['submitStatus', 'esmeErrorCode']]).toContainEqual(changed);
      }
    }
    expect(duplicates).toBeGreaterThan(100);
    expect(conflicts).toBeGreaterThan(50);
    expect(
      messages.filter((m) => m.kind === 'cdr' && m.class === 'invalid').length,
    ).toBeGreaterThan(100);
  });

  it('in real time, emits a CDR with its billed event, never before its occurredAt', () => {
    const traffic = new RealtimeTraffic(defaultTrafficConfig({ seed: 9, cdrs: true }), {
      ratePerSec: 100,
      queueCap: 10_000,
    });
    const start = Date.UTC(2026, 10, 28, 9);
    const out: TrafficMessage[] = [];
    let n = 0;
    for (let now = start + 100; now <= start + 30_000; now += 100) {
      traffic.tick(now, 100, out);
      for (const m of out.filter((x) => x.kind === 'cdr' && x.class === 'valid')) {
        n++;
        expect(Date.parse(parse(m)['occurredAt'] as string)).toBeLessThanOrEqual(now);
      }
      out.length = 0;
    }
    expect(n).toBeGreaterThan(2000);
  });
});

it('subjects: every CDR goes to cdr.generated.v1', () => {
  for (const m of messages.filter((x) => x.kind === 'cdr'))
    expect(m.subject).toBe('cdr.generated.v1');
  expect(text(messages.find((m) => m.kind === 'cdr')!)).toContain('"eventType":"cdr.generated.v1"');
});
