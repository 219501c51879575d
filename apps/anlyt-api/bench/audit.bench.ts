/**
 * pnpm run bench:audit — the compliance audit's 5-year query (US-ANLYT-15 AC1: < 30 s P95 for
 * a 5-year window) for one tenant at a stated, scaled volume, next to the same rows read
 * straight from ClickHouse in the same run:
 *   1. a fresh ClickHouse database; BENCH_AUDIT_TENANT_CDRS (default 1 000 000) CDR facts of
 *      one tenant spread over 5 years, and BENCH_AUDIT_OTHER_CDRS (default 20 000 000) of
 *      2 000 other tenants over the same years — set-based INSERT … SELECT FROM numbers();
 *   2. the real anlyt-api (dist/main.js) with its mTLS audit listener (certificates made with
 *      openssl at start); BENCH_AUDIT_RUNS (default 5) POST /v1/anlyt/audit/query for the
 *      tenant's 5 years, each streamed to the end: time to the first byte, to the last,
 *      rows, bytes;
 *   3. baseline: the same SELECT (what audit-read.ts runs) streamed through @clickhouse/client.
 * The AUDIT_MAX_ROWS cap is raised to the tenant's rows so the whole window is answered.
 * Prints medians and the worst run; BENCH_KEEP_DB=1 keeps the database.
 */
import { request } from 'node:https';
import { cpus, loadavg, totalmem } from 'node:os';
import { createClickHouse, exec, rows, runClickHouseMigrations } from '@anlyt/clickhouse';
import { createTestCerts, createTestDatabase, freePort } from '@anlyt/testing';
import { benchToken, startApiProcess, type ApiProcess } from './api-process.js';

const num = (k: string, d: number) => Number(process.env[k] ?? d);
const cfg = {
  tenantCdrs: num('BENCH_AUDIT_TENANT_CDRS', 1_000_000),
  otherCdrs: num('BENCH_AUDIT_OTHER_CDRS', 20_000_000),
  runs: num('BENCH_AUDIT_RUNS', 5),
  keepDb: process.env['BENCH_KEEP_DB'] === '1',
};
const CH_URL = process.env['CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';
const TENANT = 'acc_audited';
const YEARS = 5;
const DAY_S = 86_400;
const endS = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S; // today 00:00 UTC
const startS = endS - (YEARS * 365 + 1) * DAY_S;
const iso = (s: number) => new Date(s * 1000).toISOString();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s2 = (ms: number) => (ms / 1000).toFixed(2);

/** INSERT … SELECT of CDR facts: `count` rows of `tenant` (an expression of n) over the 5 years. */
function insertCdrs(db: string, count: number, offset: number, tenant: string): string {
  const t = `toDateTime(${startS} + intDiv((number + ${offset}) * ${endS - startS}, ${count + offset}) % ${endS - startS}, 'UTC')`;
  return `INSERT INTO ${db}.facts_cdr (eventId, tenantId, hour, occurredAtMs, messageId, mno, direction, lane,
      destinationPrefix, senderId, segments, amountMicros, currency, submitStatus, esmeErrorCode, verdict, rule,
      streamSeq, payloadHash)
    SELECT generateUUIDv4(), ${tenant}, toStartOfHour(${t}), toUInt64(toUnixTimestamp(${t})) * 1000 + number % 1000,
      concat('msg-', toString(number)), concat('mno-', toString(number % 100)), 'MT',
      ['TRANSACTIONAL', 'PROMOTIONAL', 'OTP'][number % 3 + 1], concat('+2547', toString(number % 90)), 'ACME',
      toUInt8(1 + number % 3), toInt64(800000 + number % 400000), 'USD',
      if(number % 50 = 0, 'REJECTED', 'ACCEPTED'), if(number % 40 = 0, 'ESME_RTHROTTLED', NULL),
      if(number % 100 = 0, 'BLOCKED', 'ALLOWED'), if(number % 100 = 0, 'DND', NULL),
      number + ${offset}, number + ${offset}
    FROM numbers(${count})`;
}

async function main() {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg()[0]!.toFixed(1)}`,
  );
  const ch = createClickHouse({ url: CH_URL, requestTimeoutMs: 3_600_000 });
  const [version] = await rows<{ v: string }>(ch, 'SELECT version() AS v');
  const db = `anlyt_bench_audit_${Date.now().toString(36)}`;
  const t = { database: db, cluster: null };
  const pg = await createTestDatabase();
  const certs = createTestCerts();
  let api: ApiProcess | undefined;
  try {
    await runClickHouseMigrations(ch, { topology: t });
    const t0 = performance.now();
    await exec(ch, insertCdrs(db, cfg.tenantCdrs, 0, `'${TENANT}'`));
    for (let done = 0; done < cfg.otherCdrs; done += 10_000_000) {
      const n = Math.min(10_000_000, cfg.otherCdrs - done);
      await exec(
        ch,
        insertCdrs(db, n, cfg.tenantCdrs + done, "concat('acc_', toString(number % 2000))"),
      );
    }
    const loadMs = performance.now() - t0;
    const [bytes] = await rows<{ b: string; r: string }>(
      ch,
      `SELECT sum(bytes_on_disk) AS b, sum(rows) AS r FROM system.parts WHERE database = '${db}' AND table = 'facts_cdr' AND active`,
    );
    console.log(
      `ClickHouse ${version!.v}: ${cfg.tenantCdrs + cfg.otherCdrs} CDR facts (${cfg.tenantCdrs} of ${TENANT}) over ${iso(startS)} … ${iso(endS)} loaded in ${s2(loadMs)} s; facts_cdr ${(Number(bytes!.b) / 2 ** 20).toFixed(0)} MiB on disk`,
    );

    const auditPort = await freePort();
    api = await startApiProcess({
      DATABASE_URL: pg.url,
      CLICKHOUSE_URL: CH_URL,
      CLICKHOUSE_DATABASE: db,
      AUDIT_HTTPS_PORT: String(auditPort),
      AUDIT_TLS_CERT_FILE: certs.server.certFile,
      AUDIT_TLS_KEY_FILE: certs.server.keyFile,
      AUDIT_TLS_CA_FILE: certs.caFile,
      AUDIT_MAX_ROWS: String(cfg.tenantCdrs),
    });
    const token = await benchToken('regulator', 'regulator-portal-service', 1);
    const body = JSON.stringify({
      tenantId: TENANT,
      from: iso(startS),
      to: iso(endS),
      dataset: 'cdr',
    });

    const api5y: { firstMs: number; lastMs: number; rows: number; bytes: number }[] = [];
    for (let i = 0; i < cfg.runs; i++) {
      const r = await auditQuery(auditPort, certs, token, body);
      if (r.rows !== cfg.tenantCdrs)
        throw new Error(`expected ${cfg.tenantCdrs} rows, got ${r.rows}`);
      api5y.push(r);
      console.log(
        `  API run ${i + 1}: first byte ${s2(r.firstMs)} s, all ${r.rows} rows (${(r.bytes / 2 ** 20).toFixed(0)} MiB) ${s2(r.lastMs)} s`,
      );
    }
    const base: number[] = [];
    for (let i = 0; i < cfg.runs; i++) {
      const b0 = performance.now();
      const rs = await ch.query({
        query: `SELECT * FROM ${db}.facts_cdr FINAL WHERE tenantId = '${TENANT}' AND hour >= toDateTime(${startS}, 'UTC') AND hour < toDateTime(${endS}, 'UTC') ORDER BY occurredAtMs, eventId`,
        format: 'JSONEachRow',
      });
      let n = 0;
      for await (const batch of rs.stream()) n += batch.length;
      base.push(performance.now() - b0);
      if (n !== cfg.tenantCdrs) throw new Error(`baseline read ${n} rows`);
    }
    const last = api5y.map((r) => r.lastMs);
    console.log('\n| 5-year audit of one tenant | median | worst |');
    console.log('| --- | --- | --- |');
    console.log(
      `| API, first byte | ${s2(median(api5y.map((r) => r.firstMs)))} s | ${s2(Math.max(...api5y.map((r) => r.firstMs)))} s |`,
    );
    console.log(
      `| API, all ${cfg.tenantCdrs} rows | ${s2(median(last))} s | ${s2(Math.max(...last))} s |`,
    );
    console.log(
      `| hand-written SELECT … FINAL, streamed | ${s2(median(base))} s | ${s2(Math.max(...base))} s |`,
    );
    console.log(
      `| ratio API / hand-written (medians) | ${(median(last) / median(base)).toFixed(2)} | |`,
    );
    console.log(
      `story: < 30 s P95 — ${Math.max(...last) < 30_000 ? 'met' : 'NOT met'} (worst of ${cfg.runs})`,
    );
  } finally {
    await api?.stop();
    if (!cfg.keepDb) await exec(ch, `DROP DATABASE IF EXISTS ${db}`);
    await ch.close();
    await pg.drop();
    certs.cleanup();
  }
}

function auditQuery(
  port: number,
  certs: ReturnType<typeof createTestCerts>,
  token: string,
  body: string,
): Promise<{ firstMs: number; lastMs: number; rows: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/anlyt/audit/query',
        method: 'POST',
        ca: certs.ca,
        cert: certs.clients.good.cert,
        key: certs.clients.good.key,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        if (res.statusCode !== 200)
          return reject(new Error(`audit query answered ${res.statusCode}`));
        let firstMs = 0;
        let bytes = 0;
        let lines = 0;
        res.on('data', (chunk: Buffer) => {
          if (firstMs === 0) firstMs = performance.now() - t0;
          bytes += chunk.length;
          for (const b of chunk) if (b === 10) lines++;
        });
        res.on('end', () =>
          resolve({ firstMs, lastMs: performance.now() - t0, rows: lines, bytes }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

await main();
