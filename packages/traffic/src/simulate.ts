#!/usr/bin/env node
/**
 * Real-time traffic simulator: `node packages/traffic/dist/simulate.js`.
 * Publishes billed events, DLRs and CDRs "now" to the existing streams so dashboards fill.
 * Env: NATS_URL, SIM_RATE (billed/s, default 50), SIM_DURATION_S, SIM_SEED, SIM_CURRENCY,
 * SIM_BILLED_SUBJECT, SIM_DLR_SUBJECT, SIM_CDR_SUBJECT, SIM_CDRS (0: no CDRs),
 * SIM_MAX_IN_FLIGHT, BILLING_DATABASE_URL (optional: keep billing.daily_totals there, see
 * billing-totals.ts). Stops on SIGINT/SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { addToLocalBillingDailyTotals, createLocalBillingTable, createSql } from '@anlyt/pg';
import { SimulatedBillingTotals } from './billing-totals.js';
import { defaultTrafficConfig } from './config.js';
import { WindowedPublisher } from './publish.js';
import { RealtimeTraffic } from './realtime.js';
import type { MessageClass, TrafficMessage } from './records.js';
import { readSimConfig } from './simulate-config.js';

const TICK_MS = 100;
const LOG_EVERY_MS = 10_000;
/** A stalled loop (laptop sleep, broker outage) must not turn into one giant burst. */
const MAX_TICK_MS = 5_000;
const QUEUE_CAP = 200_000;

/** One JSON line per call. Only counts are logged: never a payload (it holds an msisdn). */
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, service: 'anlyt-traffic-sim', msg, ...fields })}\n`,
  );
}

async function main(): Promise<void> {
  const sim = readSimConfig(process.env, Date.now());
  const nc = await connect({ servers: sim.natsUrl, name: 'anlyt-traffic-sim' });
  const jsm = await jetstreamManager(nc);
  const subjects = [sim.billedSubject, sim.dlrSubject];
  if (sim.cdrSubject !== null) subjects.push(sim.cdrSubject);
  for (const subject of subjects) {
    // Fail fast and say why, rather than logging publish timeouts forever.
    const stream = await jsm.streams.find(subject).catch(() => null);
    if (stream === null) {
      log('error', `no stream captures ${subject}; create the streams first`);
      await nc.close();
      process.exitCode = 1;
      return;
    }
  }

  // Billing's side for anlyt-reconcile (local runs only: in production billing owns the table).
  const billing =
    sim.billingDatabaseUrl === null
      ? null
      : await openBillingSink(sim.billingDatabaseUrl, sim.currency);

  const traffic = new RealtimeTraffic(
    defaultTrafficConfig({
      seed: sim.seed,
      currency: sim.currency,
      lateRate: 0.002,
      cdrs: sim.cdrSubject !== null,
    }),
    { ratePerSec: sim.ratePerSec, queueCap: QUEUE_CAP },
  );
  const publisher = new WindowedPublisher(jetstream(nc), {
    window: sim.maxInFlight,
    withMsgId: true,
    subjects: {
      billed: sim.billedSubject,
      dlr: sim.dlrSubject,
      ...(sim.cdrSubject === null ? {} : { cdr: sim.cdrSubject }),
    },
    timeoutMs: 10_000,
    failFast: false,
  });

  let stopReason: string | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopReason !== null) process.exit(130); // second signal: give up on the clean stop
    stopReason = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const emitted: Record<MessageClass, number> = { valid: 0, duplicate: 0, conflict: 0, invalid: 0 };
  const progress = (msg: string): void =>
    log('info', msg, {
      emitted,
      acked: publisher.stats.published,
      duplicateAcks: publisher.stats.duplicateAcks,
      publishErrors: publisher.stats.errors,
      lastError: publisher.stats.lastError,
      inFlight: publisher.pending,
      queuedFollowUps: traffic.queued,
      droppedFollowUps: traffic.dropped,
    });
  log('info', 'simulator started', {
    nats: sim.natsUrl,
    ratePerSec: sim.ratePerSec,
    durationS: sim.durationS,
    seed: sim.seed,
    cdrs: sim.cdrSubject !== null,
    billingTotals: sim.billingDatabaseUrl !== null,
  });

  const startedAt = Date.now();
  const deadline = sim.durationS === null ? Infinity : startedAt + sim.durationS * 1000;
  let last = startedAt;
  let nextLog = startedAt + LOG_EVERY_MS;
  const out: TrafficMessage[] = [];
  while (stopReason === null) {
    await sleep(Math.max(0, last + TICK_MS - Date.now()));
    const now = Date.now();
    traffic.tick(now, Math.min(now - last, MAX_TICK_MS), out);
    last = now;
    for (const m of out) {
      emitted[m.class]++;
      billing?.totals.observe(m);
      const full = publisher.publish(m);
      if (full !== undefined) await full;
    }
    out.length = 0;
    if (now >= nextLog) {
      void billing?.write();
      progress('traffic');
      nextLog += LOG_EVERY_MS;
    }
    if (now >= deadline) stopReason = 'duration reached';
  }

  await publisher.flush();
  await nc.drain();
  await billing?.close();
  progress(`simulator stopped (${stopReason})`);
}

/**
 * billing.daily_totals in BILLING_DATABASE_URL: each write adds what was billed since the
 * previous one, so runs of the simulator on the same day add up (a write that committed but
 * whose answer was lost would be added twice: acceptable for a local stand-in).
 */
async function openBillingSink(url: string, currency: string) {
  const sql = createSql(url, { max: 1, applicationName: 'anlyt-traffic-sim' });
  await createLocalBillingTable(sql); // fails fast on a bad URL, like a missing stream
  const totals = new SimulatedBillingTotals(currency);
  let last: Promise<void> = Promise.resolve();
  // Chained, so writes never overlap and the one on exit lands last. A failed write is only
  // logged: its deltas stay pending and the next write carries them.
  const write = (): Promise<void> =>
    (last = last
      .then(async () => {
        const deltas = totals.pendingDeltas();
        await addToLocalBillingDailyTotals(sql, deltas);
        totals.markWritten(deltas);
      })
      .catch((err: unknown) =>
        log('error', 'billing daily totals not written', {
          error: err instanceof Error ? err.message : String(err),
        }),
      ));
  return {
    totals,
    write,
    async close(): Promise<void> {
      await write();
      await sql.end({ timeout: 5 });
    },
  };
}

main().catch((err: unknown) => {
  log('error', 'simulator failed', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
