/**
 * The CronJobs (anlyt-rollup, anlyt-reconcile) cannot be scraped; anlyt-consumer exports what
 * they recorded in the database, which AnlytRollupFailed / AnlytReconciliationDivergence use.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('CronJob status on /metrics', () => {
  it('exports the last successful rollup and the reconciliation verdicts recorded in the database', async () => {
    h = await startHarness({ STATUS_POLL_MS: '100' });
    await h.db.sql`
      insert into anlyt.rollup_runs (run_id, started_at, finished_at, outcome, dry_run) values
        (gen_random_uuid(), '2026-11-28T10:00:00Z', '2026-11-28T10:00:05Z', 'SUCCEEDED', false),
        (gen_random_uuid(), '2026-11-28T11:00:00Z', '2026-11-28T11:00:03Z', 'FAILED', false),
        (gen_random_uuid(), '2026-11-28T12:00:00Z', '2026-11-28T12:00:01Z', 'SUCCEEDED', true)`;
    const today = new Date().toISOString().slice(0, 10);
    await h.db.sql`
      insert into anlyt.reconciliation_log (run_id, day, threshold, status, checked_at) values
        (gen_random_uuid(), ${today}::date - 1, 0.0001, 'DIVERGED', now() - interval '2 hours'),
        (gen_random_uuid(), ${today}::date - 1, 0.0001, 'OK', now() - interval '1 hour'),
        (gen_random_uuid(), ${today}::date - 2, 0.0001, 'DIVERGED', now()),
        (gen_random_uuid(), ${today}::date - 3, 0.0001, 'MISSING_BILLING', now())`;
    let text = '';
    for (let i = 0; i < 50 && !/anlyt_reconciliation_diverged_dates\{[^}]*\} 1/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await fetch(`${h.service.address}/metrics`).then((r) => r.text());
    }
    // Only the non-dry success counts; a re-check that says OK clears a day's divergence.
    expect(text).toMatch(/anlyt_rollup_last_success_timestamp_seconds\{[^}]*\} 1795860005\n/);
    expect(text).toMatch(/anlyt_reconciliation_diverged_dates\{[^}]*\} 1\n/);
    expect(text).toMatch(/anlyt_reconciliation_missing_dates\{[^}]*\} 1\n/);
  });
});

describe('the status poll under failure', () => {
  it('logs once when a part starts failing and once when it recovers, and keeps polling', async () => {
    h = await startHarness({ STATUS_POLL_MS: '100' });
    const lines = (re: RegExp) => h.logs.filter((l) => re.test(l)).map((l) => JSON.parse(l));
    await h.db.sql`alter table anlyt.rollup_runs rename to rollup_runs_away`;
    await sleep(1000); // ~10 polls
    await h.db.sql`alter table anlyt.rollup_runs_away rename to rollup_runs`;
    await sleep(500);
    const failed = lines(/status poll failed/);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, part: 'jobs', err: { code: '42P01' } });
    expect(lines(/status poll recovered/)).toMatchObject([{ part: 'jobs' }]);
  });
});
