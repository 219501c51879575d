/**
 * Lag at a steady rate: DLR + CDR messages published at a fixed rate (a WindowedPublisher fed
 * on a 20 ms clock) into fresh streams while a fresh anlyt-ingest consumes them. At the end,
 * the P95 of anlyt_ingest_lag_seconds (publication → acknowledged insert, every message) from
 * the ingest's own histogram, and the highest anlyt_ingest_cube_lag_seconds seen once a second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForDrained, type ServiceProcess, type TestNats } from '@anlyt/testing';
import { WindowedPublisher, type TrafficMessage } from '@anlyt/traffic';
import { histogram, processCpuSeconds, sample, scrape } from './probes.js';

export interface SteadyResult {
  wantedRate: number;
  /** Messages / seconds from the first publish to the last ack of a publish. */
  achievedRate: number;
  publishS: number;
  messages: number;
  lagP95S: number;
  lagP50S: number;
  /** Share of messages whose lag was ≤ 5 s (the histogram's le="5" bucket). */
  within5s: number;
  lagObservations: number;
  /** anlyt_ingest_batch_duration_seconds (use case to last ack), and messages per batch. */
  batchP50S: number;
  batchP95S: number;
  meanBatch: number;
  maxCubeLagS: number;
  /** Share of one core the ingest used while publishing. */
  ingestCpu: number;
}

export async function steadyRate(o: {
  nats: TestNats;
  msgs: TrafficMessage[];
  rate: number;
  port: number;
  child: ServiceProcess;
}): Promise<SteadyResult> {
  const { nats, msgs, rate, port } = o;
  const pub = new WindowedPublisher(nats.js, {
    window: 4000,
    withMsgId: true,
    failFast: true,
    subjects: {
      billed: nats.topo.billingSubject,
      dlr: nats.topo.dlrSubject,
      cdr: nats.topo.cdrSubject,
    },
  });
  let maxCubeLagS = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const v = sample(await scrape(port).catch(() => ''), 'anlyt_ingest_cube_lag_seconds');
      if (v > maxCubeLagS) maxCubeLagS = v;
      await sleep(1000);
    }
  })();

  const cpu0 = processCpuSeconds(o.child.pid);
  const t0 = performance.now();
  let sent = 0;
  while (sent < msgs.length) {
    const due = Math.min(msgs.length, Math.floor((rate * (performance.now() - t0)) / 1000));
    while (sent < due) {
      const full = pub.publish(msgs[sent++]!);
      if (full !== undefined) await full;
    }
    await sleep(20);
  }
  await pub.flush();
  const publishS = (performance.now() - t0) / 1000;
  const ingestCpu = (processCpuSeconds(o.child.pid) - cpu0) / publishS;

  await waitForDrained(
    nats.jsm,
    [
      [nats.topo.dlrStream, 'anlyt-ingest-dlr'],
      [nats.topo.cdrStream, 'anlyt-ingest-cdr'],
    ],
    300_000,
  );
  await sleep(1500); // one more cube-lag sample after the last batch
  polling = false;
  await poller;
  const text = await scrape(port);
  const p95 = histogram(text, 'anlyt_ingest_lag_seconds', 0.95, 5);
  const p50 = histogram(text, 'anlyt_ingest_lag_seconds', 0.5, 5);
  return {
    wantedRate: rate,
    achievedRate: msgs.length / publishS,
    publishS,
    messages: msgs.length,
    lagP95S: p95.value,
    lagP50S: p50.value,
    within5s: p95.shareWithin,
    lagObservations: p95.count,
    batchP50S: histogram(text, 'anlyt_ingest_batch_duration_seconds', 0.5, 1).value,
    batchP95S: histogram(text, 'anlyt_ingest_batch_duration_seconds', 0.95, 1).value,
    meanBatch:
      sample(text, 'anlyt_ingest_batch_size_sum') / sample(text, 'anlyt_ingest_batch_size_count'),
    maxCubeLagS,
    ingestCpu,
  };
}
