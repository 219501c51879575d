/**
 * The built CLI (dist/, as the CronJob runs it) as a child process: exit codes, usage on
 * stderr, and that a run reaches the log table. Build first: `npx turbo run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only PATH and `env` (nothing leaks in from the test's environment). */
function cli(args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('node apps/anlyt-reconcile/dist/main.js', () => {
  let h: Harness;
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx turbo run build first`);
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('exits 0 and records the day, DIVERGED included (a finding, not a crash)', async () => {
    await h.analyticsDay('2026-11-27', '1000.2', 100_000); // +0.02 %
    await h.billingDay('2026-11-27', '1000', 100_000);
    const r = await cli(['--date', '2026-11-27'], h.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = await h.logRows();
    expect(rows.map((x) => [x.day, x.status, x.cost_divergence])).toEqual([
      ['2026-11-27', 'DIVERGED', '0.000200000000'],
    ]);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['day'] === '2026-11-27')).toMatchObject({
      service: 'anlyt-reconcile',
      runId: rows[0]!.run_id,
      status: 'DIVERGED',
      analyticsTotalCost: '1000.200000',
      billingTotalCost: '1000.000000',
    });
  });

  it.each([
    [['--date', '2026-02-30']],
    [['--date', '27.11.2026']],
    [['--from', '2026-11-01']],
    [['--from', '2026-11-02', '--to', '2026-11-01']],
    [['--date', '2026-11-01', '--to', '2026-11-02']],
    [['--bogus']],
    [['2026-11-27']],
  ])('exits 2 with the usage on stderr for %j, writing nothing', async (args) => {
    const before = (await h.logRows()).length;
    const r = await cli(args, h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: anlyt-reconcile');
    expect(r.stdout).toBe('');
    expect(await h.logRows()).toHaveLength(before);
  });

  it('exits 1 on a configuration error, listing the problem', async () => {
    const r = await cli(['--date', '2026-11-27'], { DATABASE_URL: h.db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BILLING_DATABASE_URL');
    const bad = await cli([], { ...h.env, RECONCILE_THRESHOLD: '0.01%' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('RECONCILE_THRESHOLD');
  });

  it('exits 1 and writes nothing when billing cannot be read', async () => {
    const before = (await h.logRows()).length;
    // anlyt's own database has no billing schema: reading billing.daily_totals there fails
    const r = await cli(['--date', '2026-11-27'], { ...h.env, BILLING_DATABASE_URL: h.db.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('reconciliation failed');
    expect(await h.logRows()).toHaveLength(before);
  });
});
