/**
 * What the bench reads from outside the processes it measures: CPU seconds and peak RSS from
 * /proc, ack floors from JetStream, and samples and histogram quantiles from /metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { JetStreamManager } from '@anlyt/nats';

/** user + system CPU seconds the process has used so far (/proc/<pid>/stat, clock ticks). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by all processes of each command name (comm, ≤ 15 chars). */
export function cpuByCommand(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(comm, (out.get(comm) ?? 0) + processCpuSeconds(Number(pid)));
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** The servers whose CPU the bench reports next to the process it measures. */
export const SERVERS = ['clickhouse-serv', 'nats-server'] as const;

/** CPU seconds the servers used since `before` (a cpuByCommand() snapshot). */
export function serverCpuSince(before: Map<string, number>): Record<string, number> {
  const after = cpuByCommand();
  return Object.fromEntries(SERVERS.map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)]));
}

/** Peak resident set size (VmHWM) of a live process, MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export interface Drained {
  /** From the first ack to the last (startup excluded). */
  seconds: number;
  /** CPU seconds of the consumer process over the drain, and of the servers. */
  cpu: { own: number; servers: Record<string, number> };
  peakRssMb: number;
}

/**
 * Polls the durables' ack floors until they add up to `total` (every preloaded message acked
 * or terminated), printing the rate every 10 s. Throws if the floors stop moving for
 * `stallMs` or the process exits.
 */
export async function timeDrain(
  jsm: JetStreamManager,
  durables: readonly (readonly [stream: string, durable: string])[],
  total: number,
  child: { pid: number; alive(): boolean },
  stallMs: number,
): Promise<Drained> {
  const { pid } = child;
  let start = 0;
  let progress = { at: performance.now(), acked: 0 };
  let ownAtStart = 0;
  let serversAtStart = cpuByCommand();
  let last = -1;
  let movedAt = performance.now();
  for (;;) {
    const floors = await Promise.all(
      durables.map(([s, d]) =>
        jsm.consumers.info(s, d).then(
          (c) => c.ack_floor.stream_seq,
          () => 0,
        ),
      ),
    );
    const acked = floors.reduce((a, b) => a + b, 0);
    const now = performance.now();
    if (start === 0 && acked > 0) {
      start = now;
      ownAtStart = processCpuSeconds(pid);
      serversAtStart = cpuByCommand();
    }
    if (acked >= total) break;
    if (acked !== last) [last, movedAt] = [acked, now];
    if (now - progress.at >= 10_000) {
      const r = ((acked - progress.acked) * 1000) / (now - progress.at);
      console.log(`  … ${acked}/${total} acked, ${Math.round(r)} msg/s over the last 10 s`);
      progress = { at: now, acked };
    }
    if (!child.alive()) throw new Error(`consumer exited with ${acked}/${total} acked`);
    if (now - movedAt > stallMs)
      throw new Error(`stalled: ack floors at ${acked}/${total} for ${stallMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    seconds: (performance.now() - start) / 1000,
    cpu: { own: processCpuSeconds(pid) - ownAtStart, servers: serverCpuSince(serversAtStart) },
    peakRssMb: peakRssMb(pid),
  };
}

export async function scrape(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** The sum of a family's samples whose labels include `label` (e.g. `outcome="inserted"`). */
export function sample(text: string, name: string, label = ''): number {
  let sum = 0;
  let seen = false;
  for (const l of text.split('\n')) {
    if (!(l.startsWith(`${name} `) || l.startsWith(`${name}{`)) || !l.includes(label)) continue;
    sum += Number(l.split(' ').pop());
    seen = true;
  }
  return seen ? sum : NaN;
}

/**
 * Quantile of a Prometheus histogram summed over all its label sets, interpolated within the
 * bucket as histogram_quantile() does. Also returns the share of observations ≤ `le`.
 */
export function histogram(text: string, name: string, q: number, le: number) {
  const buckets = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{.*le="([^"]+)".*\\} (\\S+)$`);
  for (const l of text.split('\n')) {
    const m = re.exec(l);
    if (!m) continue;
    const bound = m[1] === '+Inf' ? Infinity : Number(m[1]);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const count = sorted.at(-1)?.[1] ?? 0;
  const within = buckets.get(le) ?? NaN;
  let value = NaN;
  let [prevBound, prevCount] = [0, 0];
  for (const [bound, n] of sorted) {
    if (n >= q * count) {
      value =
        bound === Infinity
          ? prevBound
          : prevBound + ((bound - prevBound) * (q * count - prevCount)) / (n - prevCount || 1);
      break;
    }
    [prevBound, prevCount] = [bound, n];
  }
  return { value, count, shareWithin: within / count };
}
