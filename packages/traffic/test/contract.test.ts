import { describe, expect, it } from 'vitest';
import { type TrafficMessage, defaultTrafficConfig, generateTraffic } from '../src/index.js';
import { SUBJECTS, contractValidators, text } from './helpers.js';

// High noise rates so every invalid variant shows up many times.
const cfg = defaultTrafficConfig({
  seed: 42,
  messages: 6000,
  invalidRate: 0.2,
  duplicateRate: 0.05,
  conflictRate: 0.05,
  lateRate: 0.05,
  cdrs: true,
  blockedRate: 0.05,
});
const messages = [...generateTraffic(cfg)];
const validate = contractValidators();

/** Valid per the contract: JSON, schema-valid and in the settlement currency. */
function contractValid(m: TrafficMessage): boolean {
  let payload: unknown;
  try {
    payload = JSON.parse(text(m));
  } catch {
    return false;
  }
  if (!validate[m.kind](payload)) return false;
  return m.kind === 'dlr' || (payload as { currency: string }).currency === cfg.currency;
}

describe('generated payloads against the contract schemas', () => {
  it('every valid, duplicate and conflict message validates', () => {
    const bad = messages.filter((m) => m.class !== 'invalid' && !contractValid(m));
    expect(bad.map(text).slice(0, 3)).toEqual([]);
    expect(messages.filter((m) => m.class === 'valid').length).toBeGreaterThan(10_000);
  });

  it('every invalid message fails to parse, fails the schema or has the wrong currency', () => {
    const invalid = messages.filter((m) => m.class === 'invalid');
    expect(invalid.length).toBeGreaterThan(1000);
    expect(invalid.filter(contractValid).map(text)).toEqual([]);
    // Every breakage kind appears: not JSON, bad enum, bad money, missing field, currency.
    const texts = invalid.map(text);
    expect(texts.some((t) => !t.startsWith('{') || !t.endsWith('}'))).toBe(true);
    expect(texts.some((t) => t.includes('"amount":"-1"'))).toBe(true);
    expect(texts.some((t) => t.includes('"amount":"1.1234567"'))).toBe(true);
    expect(texts.some((t) => t.includes('"currency":"EUR"'))).toBe(true);
    expect(texts.some((t) => t.includes('"status":"PENDING"'))).toBe(true);
    expect(texts.some((t) => t.includes('"deliveryStatus":"SENT"'))).toBe(true);
  });

  it('breaks CDRs in every way the contract forbids', () => {
    const texts = messages.filter((m) => m.class === 'invalid' && m.kind === 'cdr').map(text);
    expect(texts.length).toBeGreaterThan(1000);
    const has = (s: string) => texts.some((t) => t.includes(s));
    expect(has('"submitStatus":"DELIVERED"')).toBe(true);
    expect(has('"verdict":"DENIED"')).toBe(true);
    expect(has('"rule":"SPAM"')).toBe(true);
    expect(has('"score":0.93')).toBe(true); // compliance is closed
    expect(has('"compliance":{"verdict":"ALLOWED"}')).toBe(true); // rule is required
    expect(has('"segments":0')).toBe(true);
    expect(has('"amount":0.0125')).toBe(true);
    expect(has('"esmeErrorCode":69')).toBe(true);
    expect(has('"currency":"EUR"')).toBe(true);
    expect(texts.some((t) => !t.endsWith('}'))).toBe(true); // truncated
    expect(texts.some((t) => t.startsWith('{') && !t.includes('"compliance"'))).toBe(true);
  });

  it('uses the contract subjects and UUID v4 eventIds that match the payload', () => {
    for (const m of messages) {
      expect(m.subject).toBe(SUBJECTS[m.kind]);
      if (m.class === 'invalid') continue;
      expect(m.eventId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect((JSON.parse(text(m)) as { eventId: string }).eventId).toBe(m.eventId);
    }
  });

  it('formats timestamps as RFC 3339 UTC with milliseconds', () => {
    for (const m of messages.slice(0, 2000)) {
      if (m.class === 'invalid') continue;
      const p = JSON.parse(text(m)) as { occurredAt: string; submittedAt?: string };
      for (const t of [p.occurredAt, p.submittedAt ?? p.occurredAt]) {
        expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(new Date(Date.parse(t)).toISOString()).toBe(t);
      }
    }
  });
});
