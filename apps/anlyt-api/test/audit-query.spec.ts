/**
 * US-ANLYT-15: POST /v1/anlyt/audit/query over the real ClickHouse and the mTLS listener —
 * rows equal to the facts computed here from @anlyt/traffic's FactsOracle for one tenant and
 * window (no other tenant's), money exact, the 5-year window, the row cap, strict bodies, and
 * a streamed answer: its first bytes arrive while ClickHouse is still executing the statement.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@anlyt/clickhouse';
import { formatMicros } from '@anlyt/domain';
import { defaultTrafficConfig, FactsOracle, generateTraffic, type CdrFact } from '@anlyt/traffic';
import { AUDIT_PREFIX } from '../src/audit/audit-app.js';
import { httpsCall, ndjson, startAuditHarness, type AuditHarness } from './audit-harness.js';
import { token } from './harness.js';

const oracle = new FactsOracle();
for (const m of generateTraffic(
  defaultTrafficConfig({
    seed: 15,
    messages: 4000,
    accounts: 4,
    operators: 3,
    spanMs: 2 * 86_400_000,
    cdrs: true,
  }),
))
  oracle.observe(m);
const cdrs = [...oracle.cdrFacts().values()];
const TENANT = cdrs[0]!.tenantId;
// A window that cuts through the data: from an exact instant to a date-only end.
const FROM = '2026-11-27T06:30:00Z';
const TO = '2026-11-28';
const inWindow = (f: CdrFact) =>
  f.occurredAtMs >= Date.parse(FROM) && f.occurredAtMs < Date.parse('2026-11-29T00:00:00Z');

const byTime = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a['occurredAt']).localeCompare(String(b['occurredAt'])) ||
  String(a['eventId']).localeCompare(String(b['eventId']));

function expectedCdr(f: CdrFact) {
  return {
    eventId: f.eventId,
    tenantId: f.tenantId,
    occurredAt: new Date(f.occurredAtMs).toISOString(),
    messageId: f.messageId,
    mno: f.mno,
    direction: f.direction,
    lane: f.lane,
    destinationPrefix: f.destinationPrefix,
    senderId: f.senderId,
    segments: f.segments,
    amount: formatMicros(f.amountMicros),
    currency: f.currency,
    submitStatus: f.submitStatus,
    esmeErrorCode: f.esmeErrorCode,
    verdict: f.verdict,
    rule: f.rule,
  };
}

function expectedCompliance(f: CdrFact) {
  const c = expectedCdr(f);
  return {
    eventId: c.eventId,
    tenantId: c.tenantId,
    occurredAt: c.occurredAt,
    messageId: c.messageId,
    mno: c.mno,
    senderId: c.senderId,
    destinationPrefix: c.destinationPrefix,
    verdict: c.verdict,
    rule: c.rule,
  };
}

let h: AuditHarness;
let regulator: string;
beforeAll(async () => {
  h = await startAuditHarness();
  await h.dsl.load([], cdrs);
  regulator = await token('regulator', { sub: 'regulator-portal' });
});
afterAll(async () => {
  await h?.close();
});

const audit = (body: unknown, port = h.audit.port) =>
  httpsCall(port, h.certs.ca, h.certs.clients.good, {
    method: 'POST',
    path: `${AUDIT_PREFIX}/query`,
    body,
    bearer: regulator,
  });

describe('POST /v1/anlyt/audit/query', () => {
  it("answers exactly the tenant's CDR facts of the window, money exact, as NDJSON", async () => {
    const expected = cdrs.filter((f) => f.tenantId === TENANT && inWindow(f)).map(expectedCdr);
    expect(expected.length).toBeGreaterThan(50);
    expect(cdrs.some((f) => f.tenantId !== TENANT && inWindow(f))).toBe(true);

    const res = await audit({ tenantId: TENANT, from: FROM, to: TO, dataset: 'cdr' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['x-audit-rows']).toBe(String(expected.length));
    const got = ndjson(res.text);
    // Ordered by occurredAt; compared as sets of whole rows (no other tenant's, none missing).
    const times = got.map((r) => String(r['occurredAt']));
    expect(times).toEqual([...times].sort());
    expect([...got].sort(byTime)).toEqual([...expected].sort(byTime));
    for (const r of got) expect(r['amount']).toMatch(/^-?\d+\.\d{6}$/);
  });

  it('answers the compliance slice: the verdict and rule with the identifying fields', async () => {
    const expected = cdrs
      .filter((f) => f.tenantId === TENANT && inWindow(f))
      .map(expectedCompliance);
    const res = await audit({ tenantId: TENANT, from: FROM, to: TO, dataset: 'compliance' });
    expect(res.status).toBe(200);
    expect(ndjson(res.text).sort(byTime)).toEqual(expected.sort(byTime));
  });

  it('allows any span up to 5 years and refuses a longer one (400 INVALID_WINDOW)', async () => {
    const five = await audit({
      tenantId: TENANT,
      from: '2021-11-28',
      to: '2026-11-27',
      dataset: 'cdr',
    });
    expect(five.status).toBe(200);
    expect(ndjson(five.text).length).toBe(
      cdrs.filter((f) => f.tenantId === TENANT && f.occurredAtMs < Date.parse('2026-11-28')).length,
    );
    const six = await audit({
      tenantId: TENANT,
      from: '2020-11-01',
      to: '2026-11-27',
      dataset: 'cdr',
    });
    expect(six.status).toBe(400);
    expect(JSON.parse(six.text)).toMatchObject({ code: 'INVALID_WINDOW' });
    const backwards = await audit({ tenantId: TENANT, from: TO, to: FROM, dataset: 'cdr' });
    expect(JSON.parse(backwards.text)).toMatchObject({ status: 400, code: 'INVALID_WINDOW' });
  });

  it('validates the body strictly (400 INVALID_REQUEST)', async () => {
    const good = { tenantId: TENANT, from: FROM, to: TO, dataset: 'cdr' };
    for (const bad of [
      { ...good, msisdn: '+15550001' },
      { ...good, dataset: 'dlr' },
      { ...good, tenantId: "x' OR 1=1" },
      { from: FROM, to: TO, dataset: 'cdr' },
      { ...good, from: 20261127 },
    ]) {
      const res = await audit(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'INVALID_REQUEST' });
    }
  });

  it('refuses more than AUDIT_MAX_ROWS rows with 413 RESULT_TOO_LARGE, pointing to the export', async () => {
    const small = await h.listen({ maxRows: 5 });
    const res = await audit({ tenantId: TENANT, from: FROM, to: TO, dataset: 'cdr' }, small.port);
    expect(res.status).toBe(413);
    const p = JSON.parse(res.text) as { code: string; detail: string };
    expect(p.code).toBe('RESULT_TOO_LARGE');
    expect(p.detail).toContain('/v1/anlyt/audit/exports');
  });

  it('streams: the first bytes arrive while ClickHouse is still executing the statement', async () => {
    const n = 250_000;
    const t0 = Date.parse('2026-10-01T00:00:00Z');
    // A bulk tenant written straight in SQL (the oracle's traffic is too small to overflow
    // the socket buffers between ClickHouse, the API and the client, ~80 MB of NDJSON here).
    await h.dsl.ch.command({
      query: `INSERT INTO ${h.dsl.t.database}.facts_cdr (eventId, tenantId, hour, occurredAtMs,
          messageId, mno, direction, lane, destinationPrefix, senderId, segments, amountMicros,
          currency, submitStatus, esmeErrorCode, verdict, rule, streamSeq, payloadHash)
        SELECT generateUUIDv4(), 'bulk', toStartOfHour(toDateTime(intDiv(ms, 1000), 'UTC')), ms,
          concat('msg-', toString(number)), 'mno-1', 'MT', 'OTP', '4477', 'ACME', 1, 12345,
          'EUR', 'ACCEPTED', NULL, 'ALLOWED', NULL, number + 1, number + 1
        FROM (SELECT number, ${t0} + number * 10 AS ms FROM system.numbers LIMIT ${n})`,
    });
    const body = JSON.stringify({
      tenantId: 'bulk',
      from: '2026-10-01',
      to: '2026-10-01',
      dataset: 'cdr',
    });
    const running = () =>
      rows<{ n: string }>(
        h.dsl.ch,
        `SELECT count() AS n FROM system.processes
         WHERE query LIKE '%${h.dsl.t.database}.facts_cdr FINAL%ORDER BY occurredAtMs%'
           AND query NOT LIKE '%system.processes%'`,
      ).then(([r]) => Number(r?.n ?? 0));

    const { lines, runningAtFirstByte } = await new Promise<{
      lines: number;
      runningAtFirstByte: number;
    }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: h.audit.port,
          method: 'POST',
          path: `${AUDIT_PREFIX}/query`,
          ca: h.certs.ca,
          cert: h.certs.clients.good.cert,
          key: h.certs.clients.good.key,
          agent: false,
          headers: { authorization: `Bearer ${regulator}`, 'content-type': 'application/json' },
        },
        (res) => {
          let newlines = 0;
          let probed: Promise<number> | null = null;
          res.on('data', (c: Buffer) => {
            for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) newlines++;
            if (probed) return;
            // Stop reading at the first bytes and ask ClickHouse whether it is still sending.
            res.pause();
            probed = running();
            probed.then(() => res.resume(), reject);
          });
          res.on('end', () =>
            probed!.then((r) => resolve({ lines: newlines, runningAtFirstByte: r }), reject),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(runningAtFirstByte).toBe(1);
    expect(lines).toBe(n);
  });
});
