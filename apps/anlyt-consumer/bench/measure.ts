/**
 * What the consumer benchmarks (consumer.bench.ts, backfill.bench.ts) measure of a consumer
 * process: the time from its first ack to its last (or to its exit), events/s, its peak RSS
 * (VmHWM), its CPU seconds and those PostgreSQL and nats-server used meanwhile (from /proc,
 * summed over every process of that command name on the machine), and the row they print.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { JetStreamManager } from '@anlyt/nats';

export interface Measured {
  seconds: number;
  eventsPerSec: number;
  peakRssMb: number;
  /** CPU seconds of the process over its whole life (startup included). */
  cpuSeconds: number;
  /** CPU seconds PostgreSQL and nats-server used while it ran. */
  others: Record<string, number>;
}

export interface MeasureOptions {
  /**
   * 'acked' (default): until the durables' ack floors reach `total`, timed first ack → last
   * ack; then the process is stopped (SIGTERM). 'exit': until the process exits by itself
   * (exit code 0, or it throws), timed first ack → exit; peak RSS and CPU are sampled every
   * 25 ms while it runs (a backfill deletes its durables when it is done, so there is no last
   * ack floor to read).
   */
  until?: 'acked' | 'exit';
  /**
   * Count as 'postgres' only this server's processes (its postmaster and the postmaster's
   * children), not every PostgreSQL on the machine; default: every process named postgres.
   */
  postmasterPid?: number;
}

/**
 * Runs a consumer process until its durables have acked every message (or until it exits),
 * timing from the first ack (startup excluded, the same for every phase).
 */
export async function measure(
  jsm: JetStreamManager,
  child: ChildProcess,
  durables: readonly (readonly [string, string])[],
  total: number,
  opts: MeasureOptions = {},
): Promise<Measured> {
  if (opts.until === 'exit') return measureUntilExit(jsm, child, durables, total, opts);
  let start = 0;
  const before = cpuByCommand(opts.postmasterPid);
  for (;;) {
    const acked = await ackedSum(jsm, durables);
    if (start === 0 && acked > 0) start = performance.now();
    if (acked >= total) break;
    if (child.exitCode !== null) throw new Error(`consumer exited early with ${child.exitCode}`);
    await sleep(25);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = processCpuSeconds(child.pid!);
  const after = cpuByCommand(opts.postmasterPid);
  const others = othersBetween(before, after);
  const hwmKb = peakRssKb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { seconds, eventsPerSec: total / seconds, peakRssMb: hwmKb / 1024, cpuSeconds, others };
}

async function measureUntilExit(
  jsm: JetStreamManager,
  child: ChildProcess,
  durables: readonly (readonly [string, string])[],
  total: number,
  opts: MeasureOptions,
): Promise<Measured> {
  // Attached before the first await: the exit cannot be missed.
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, at: performance.now() })),
  );
  let running = true;
  void exited.then(() => (running = false));
  const before = cpuByCommand(opts.postmasterPid);
  let start = 0;
  let hwmKb = 0;
  let cpuSeconds = 0;
  while (running) {
    try {
      hwmKb = Math.max(hwmKb, peakRssKb(child.pid!));
      cpuSeconds = processCpuSeconds(child.pid!);
    } catch {
      // it exited between the check and the read: the last sample stands
    }
    if (start === 0 && (await ackedSum(jsm, durables)) > 0) start = performance.now();
    await sleep(25);
  }
  const exit = await exited;
  const others = othersBetween(before, cpuByCommand(opts.postmasterPid));
  if (exit.code !== 0)
    throw new Error(`consumer exited with ${exit.code ?? exit.signal} instead of 0`);
  if (start === 0) throw new Error('consumer exited before any ack was seen');
  const seconds = (exit.at - start) / 1000;
  return { seconds, eventsPerSec: total / seconds, peakRssMb: hwmKb / 1024, cpuSeconds, others };
}

/** One printed line per measured phase. */
export const row = (name: string, m: Measured) =>
  `${name.padEnd(16)} ${String(Math.round(m.eventsPerSec)).padStart(9)} ev/s  ${m.seconds.toFixed(1).padStart(6)} s  peak RSS ${m.peakRssMb.toFixed(0)} MB  CPU s: own ${m.cpuSeconds.toFixed(1)}, postgres ${m.others['postgres']!.toFixed(1)}, nats ${m.others['nats-server']!.toFixed(1)}`;

/** Sum of the durables' ack floors (a durable not there, yet or any more, counts 0). */
async function ackedSum(
  jsm: JetStreamManager,
  durables: readonly (readonly [string, string])[],
): Promise<number> {
  const floors = await Promise.all(
    durables.map(([s, d]) =>
      jsm.consumers.info(s, d).then(
        (c) => c.ack_floor.stream_seq,
        () => 0,
      ),
    ),
  );
  return floors.reduce((a, b) => a + b, 0);
}

function othersBetween(before: Map<string, number>, after: Map<string, number>) {
  return Object.fromEntries(
    ['postgres', 'nats-server'].map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)]),
  );
}

/** VmHWM: the process's peak resident set so far, in kB. */
function peakRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/**
 * CPU seconds used so far by all processes of each command name (postgres backends etc.);
 * with `postmasterPid`, 'postgres' counts only that server's processes.
 */
export function cpuByCommand(postmasterPid?: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (
        comm === 'postgres' &&
        postmasterPid !== undefined &&
        Number(pid) !== postmasterPid &&
        parentPid(Number(pid)) !== postmasterPid
      )
        continue;
      // The postmaster's reaped children (backends that closed, e.g. those of a process that
      // exited) are in its cutime/cstime.
      const cpu = processCpuSeconds(Number(pid), Number(pid) === postmasterPid);
      out.set(comm, (out.get(comm) ?? 0) + cpu);
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** The parent's pid (from /proc/<pid>/stat); undefined when the process is not readable. */
export function parentPid(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * user + system CPU the process has used so far (from /proc/<pid>/stat, in clock ticks), with
 * `reapedChildren` plus that of its children that ended and were waited for.
 */
export function processCpuSeconds(pid: number, reapedChildren = false): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (reapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
