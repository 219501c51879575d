/**
 * pnpm bench:ingest — anlyt-ingest's throughput next to ceilings measured in the same run, on
 * private streams and databases (docs/benchmarks.md, "bench:ingest"):
 *   1 preload ≥ 2M DLR + CDR events;  2 the NATS consume ceiling (bench/ceiling.ts);
 *   3 anlyt-ingest (dist/main.js) until drained → facts rows/s, peak RSS, CPU;
 *   5 cube freshness after that drain + one full rebuild;  7 bytes facts vs cubes;
 *   4 the bare insert ceiling (same rows, insertFacts) → ratio;  6 lag P95 at a steady rate.
 * Env: BENCH_MESSAGES (billed messages; ~2.02 DLR+CDR each), BENCH_SEED, BENCH_RATE (msg/s),
 * BENCH_STEADY_S, BENCH_STALL_S, BENCH_INGEST_NODE_OPTIONS; BATCH_SIZE and BATCH_LINGER_MS go
 * to the ingest (and the ceiling) too.
 */
import { cpus, totalmem } from 'node:os';
import {
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
  type TrafficMessage,
} from '@anlyt/traffic';
import { freePort } from '@anlyt/testing';
import { allMessages, Corpus } from './corpus.js';
import { Harness } from './harness.js';
import {
  bareInsert,
  bytesFactsVsCubes,
  cubeFreshness,
  finalCounts,
  fullRebuild,
} from './phases.js';
import { sample, scrape, timeDrain, type Drained } from './probes.js';
import { steadyRate } from './steady.js';

Error.stackTraceLimit = 0; // js.publish builds an Error per call; halves the preload time
const env = process.env;
const billed = Number(env['BENCH_MESSAGES'] ?? 1_050_000);
const seed = Number(env['BENCH_SEED'] ?? 7);
const rate = Number(env['BENCH_RATE'] ?? 5000);
const steadyS = Number(env['BENCH_STEADY_S'] ?? 60);
const stallMs = Number(env['BENCH_STALL_S'] ?? 60) * 1000;
const batchSize = env['BATCH_SIZE'] ?? '10000';
const h = new Harness({ BATCH_SIZE: batchSize, BATCH_LINGER_MS: env['BATCH_LINGER_MS'] ?? '1000' });

const summary: [string, string, string][] = [];
const report = (phase: string, figure: string, detail: string) => {
  summary.push([phase, figure, detail]);
  console.log(`${phase}: ${figure}  (${detail})`);
};
const n = (x: number) => Math.round(x).toLocaleString('en-US').replaceAll(',', ' ');
const mb = (x: number) => (x / 2 ** 20).toFixed(1);
const cpuText = (d: Drained, own: string) =>
  `CPU s: ${own} ${d.cpu.own.toFixed(1)}, clickhouse ${d.cpu.servers['clickhouse-serv']!.toFixed(1)}, nats ${d.cpu.servers['nats-server']!.toFixed(1)}`;
const durables = (nats: { topo: { dlrStream: string; cdrStream: string } }, prefix: string) =>
  [
    [nats.topo.dlrStream, `${prefix}-dlr`],
    [nats.topo.cdrStream, `${prefix}-cdr`],
  ] as const;

const interrupted = () => void h.cleanup().then(() => process.exit(130));
process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
let failed = false;
let phase = '1 preload';
try {
  // 1. Generate (billed messages dropped: not facts) and preload.
  const nats = await h.freshNats();
  const byKind = {
    dlr: new Corpus('dlr', nats.topo.dlrSubject),
    cdr: new Corpus('cdr', nats.topo.cdrSubject),
  };
  let t0 = performance.now();
  for (const m of generateTraffic(defaultTrafficConfig({ seed, messages: billed, cdrs: true })))
    if (m.kind !== 'billed') byKind[m.kind].add(m); // billed messages are not facts
  const total = byKind.dlr.length + byKind.cdr.length;
  const valid = byKind.dlr.valid + byKind.cdr.valid;
  const genS = (performance.now() - t0) / 1000;
  if (total < 2_000_000) console.log(`note: ${n(total)} events (< 2M: quick mode)`);
  const subjects = {
    billed: nats.topo.billingSubject,
    dlr: nats.topo.dlrSubject,
    cdr: nats.topo.cdrSubject,
  };
  t0 = performance.now();
  await publishAll(nats.js, allMessages([byKind.dlr, byKind.cdr]), {
    window: 8000,
    timeoutMs: 60_000,
    withMsgId: true,
    subjects,
  });
  const preloadS = (performance.now() - t0) / 1000;
  report(
    '1 preload',
    `${n(total / preloadS)} msg/s`,
    `${n(byKind.dlr.length)} DLR + ${n(byKind.cdr.length)} CDR (${n(valid)} valid) from ${n(billed)} billed, generated in ${genS.toFixed(1)} s, published in ${preloadS.toFixed(1)} s`,
  );

  phase = '2 NATS ceiling';
  // 2. The NATS consume ceiling.
  const bare = h.startCeiling(nats);
  const ceiling = await timeDrain(nats.jsm, durables(nats, 'bench-ceiling'), total, bare, stallMs);
  await h.stop(bare);
  const ceilingRate = total / ceiling.seconds;
  report(
    '2 NATS ceiling',
    `${n(ceilingRate)} msg/s`,
    `${ceiling.seconds.toFixed(1)} s, peak RSS ${ceiling.peakRssMb.toFixed(0)} MB, ${cpuText(ceiling, 'ceiling')}`,
  );

  phase = '3 anlyt-ingest';
  // 3. anlyt-ingest from the preloaded streams until drained.
  const t1 = await h.freshDatabase('anlyt_bench_ingest');
  const port = await freePort();
  const ingest = h.startIngest(nats, t1, port);
  const drained = await timeDrain(nats.jsm, durables(nats, 'anlyt-ingest'), total, ingest, stallMs);
  const drainedAt = performance.now();
  const inserted = (await h.countRows(t1, 'facts_dlr')) + (await h.countRows(t1, 'facts_cdr'));
  const ingestRate = inserted / drained.seconds;
  const metrics = await scrape(port);
  report(
    '3 anlyt-ingest',
    `${n(ingestRate)} rows/s`,
    `${n(inserted)} facts rows in ${drained.seconds.toFixed(1)} s = ${n(total / drained.seconds)} msg/s, ${(total / drained.seconds / ceilingRate).toFixed(2)} of the NATS ceiling; outcome inserted ${n(sample(metrics, 'anlyt_ingest_events_total', 'outcome="inserted"'))}, generator's valid ${n(valid)}; peak RSS ${drained.peakRssMb.toFixed(0)} MB; ${cpuText(drained, 'ingest')}; batch failures ${sample(metrics, 'anlyt_ingest_batch_failures_total') || 0}`,
  );

  phase = '5 cube freshness';
  // 5. Cube freshness after the drain (the ingest's own builder), then one full rebuild.
  const want = await finalCounts(h.ch, t1);
  const fresh = await cubeFreshness(h.ch, t1, port, want, drainedAt, 600_000);
  const passes = sample(await scrape(port), 'anlyt_ingest_cube_passes_total', 'outcome="ok"');
  await h.stop(ingest);
  const rebuild = await fullRebuild(h.ch, t1);
  report(
    '5 cube freshness',
    `${fresh.lagZeroS.toFixed(1)} s to cube lag 0`,
    `cubes held every FINAL fact (${n(want.dlr)} DLR, ${n(want.cdr)} CDR) ${fresh.completeS.toFixed(1)} s after the drain; ${passes} builder passes in all; one full rebuild of ${rebuild.days} source-days: ${rebuild.seconds.toFixed(1)} s`,
  );

  phase = '7 bytes';
  // 7. Bytes of facts vs cubes, before and after OPTIMIZE … FINAL.
  const bytes = await bytesFactsVsCubes(h.ch, t1);
  const pct = (b: { facts: number; cubes: number }) => ((100 * b.cubes) / b.facts).toFixed(2);
  report(
    '7 bytes',
    `cubes ${pct(bytes.after)} % of facts`,
    `before optimize: facts ${mb(bytes.before.facts)} MB, cubes ${mb(bytes.before.cubes)} MB = ${pct(bytes.before)} % (${bytes.before.parts} parts); after OPTIMIZE FINAL (${bytes.optimizeS.toFixed(1)} s): facts ${mb(bytes.after.facts)} MB (${n(bytes.after.factRows)} rows), cubes ${mb(bytes.after.cubes)} MB (${n(bytes.after.cubeRows)} rows: ${bytes.after.perCube}); budget ≤ 5 %`,
  );

  phase = '4 bare insert';
  // 4. The bare insert ceiling: the same rows, mapped by the ingest's code, into a fresh database.
  const t2 = await h.freshDatabase('anlyt_bench_bare');
  const bareRun = await bareInsert(h.ch, t2, byKind, Number(batchSize));
  const bareRate = bareRun.rows / bareRun.seconds;
  report(
    '4 bare insert',
    `${n(bareRate)} rows/s; ingest/bare ${(ingestRate / bareRate).toFixed(2)}`,
    `${n(bareRun.rows)} rows in ${bareRun.seconds.toFixed(1)} s, decode+map ${bareRun.mapSeconds.toFixed(1)} s of it; CPU s: bench ${bareRun.cpu.own.toFixed(1)}, clickhouse ${bareRun.cpu.servers['clickhouse-serv']!.toFixed(1)}`,
  );

  phase = '6 steady rate';
  // 6. Lag at a steady rate: fresh streams, database and ingest.
  const steadyMsgs: TrafficMessage[] = [];
  const wanted = rate * steadyS;
  const cfg = defaultTrafficConfig({
    seed: seed + 1,
    messages: Math.ceil(wanted / 1.9),
    cdrs: true,
  });
  for (const m of generateTraffic(cfg))
    if (m.kind !== 'billed' && steadyMsgs.length < wanted) steadyMsgs.push(m);
  const nats2 = await h.freshNats();
  const t3 = await h.freshDatabase('anlyt_bench_steady');
  const port3 = await freePort();
  const child = h.startIngest(nats2, t3, port3);
  await h.waitReady(port3, 60_000);
  const steady = await steadyRate({ nats: nats2, msgs: steadyMsgs, rate, port: port3, child });
  await h.stop(child);
  report(
    '6 lag at a steady rate',
    `P95 ${steady.lagP95S.toFixed(2)} s; ${(100 * steady.within5s).toFixed(1)} % ≤ 5 s`,
    `${n(steady.messages)} msgs at ${n(steady.achievedRate)} msg/s (wanted ${n(rate)}) for ${steady.publishS.toFixed(0)} s; P50 ${steady.lagP50S.toFixed(2)} s (interpolated in the histogram's buckets); batches: P50 ${steady.batchP50S.toFixed(2)} s, P95 ${steady.batchP95S.toFixed(2)} s, ${n(steady.meanBatch)} msgs on average; max cube lag ${steady.maxCubeLagS} s; ingest CPU ${(100 * steady.ingestCpu).toFixed(0)} % of a core`,
  );

  const cpu = cpus()[0]?.model ?? '?';
  console.log(
    `\nmachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; BATCH_SIZE ${batchSize}`,
  );
  console.log('| phase | figure | detail |\n| --- | --- | --- |');
  for (const [p, f, d] of summary) console.log(`| ${p} | ${f} | ${d} |`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets: ≥ 100 000 rows/s ${verdict(ingestRate >= 100_000)}; lag P95 < 5 s ${verdict(steady.within5s >= 0.95)}; cubes ≤ 5 % of facts ${verdict(Number(pct(bytes.after)) <= 5)}`,
  );
} catch (err) {
  failed = true;
  console.error(
    `bench failed in phase ${phase}: ${err instanceof Error ? err.message : String(err)}`,
  );
  console.error(h.lastLines());
} finally {
  await h.cleanup();
}
process.exitCode = failed ? 1 : 0;
