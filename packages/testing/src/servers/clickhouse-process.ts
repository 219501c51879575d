/**
 * A restartable server child (clickhouse-server, ZooKeeper's JVM) for the ClickHouse test rig:
 * the same command, ports and directory on every start, so a test can SIGKILL a replica and
 * bring it back on its data. Output goes straight to a log file (no pipes to drain: a child
 * that outlives the pipe reader would block on a full pipe). Every running child is registered
 * with the reaper, so a test process that dies takes its servers with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { freePort } from '../process.js';
import { reapOnExit } from '../reaper.js';

export interface ChildServerSpec {
  /** For error messages. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Further logs to quote when a start fails (the server's own log files). */
  extraLogs?: string[];
  /** Resolves true once the server serves; called every 50 ms until the start timeout. */
  ready(): Promise<boolean>;
  startTimeoutMs: number;
}

export interface ChildServer {
  /** Spawns and resolves once `ready()` says so; rejects (and kills the child) on exit or timeout. No-op if running. */
  start(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once the process has exited. No-op if not running. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  running(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `count` distinct free ports (two listen(0) calls may, rarely, hand out the same one). */
export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export function logTail(file: string, chars = 2000): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  // A stack trace fills the tail; the lines that name the error come before it.
  const errors = text
    .split('\n')
    .filter((l) => /<Error>|Exception:/.test(l))
    .slice(-3);
  const named =
    errors.length > 0 ? `errors:\n${errors.map((l) => l.slice(0, 600)).join('\n')}\n` : '';
  return `\n--- ${file} ---\n${named}${text.slice(-chars)}`;
}

export function childServer(spec: ChildServerSpec): ChildServer {
  let child: ChildProcess | null = null;
  let exit: Promise<void> = Promise.resolve();

  const spawnOnce = (): { c: ChildProcess; exited: () => boolean } => {
    const fd = openSync(spec.logFile, 'a');
    let c: ChildProcess;
    try {
      c = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    child = c;
    const forget = c.pid === undefined ? () => undefined : reapOnExit({ pid: c.pid });
    let gone = false;
    exit = new Promise((resolve) => {
      const done = () => {
        if (gone) return;
        gone = true;
        forget();
        if (child === c) child = null;
        resolve();
      };
      c.once('exit', done);
      c.once('error', done); // e.g. ENOENT: reported by start() as an early exit
    });
    return { c, exited: () => gone };
  };

  const start = async () => {
    if (child !== null) return;
    const { c, exited } = spawnOnce();
    const deadline = Date.now() + spec.startTimeoutMs;
    for (;;) {
      if (exited()) break;
      if (await spec.ready().catch(() => false)) return;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    const why = exited()
      ? `exited during start (${c.signalCode ?? `code ${c.exitCode}`})`
      : `not ready within ${spec.startTimeoutMs} ms`;
    if (!exited()) c.kill('SIGKILL');
    await exit;
    const logs = [spec.logFile, ...(spec.extraLogs ?? [])].map((f) => logTail(f)).join('');
    throw new Error(`${spec.name} ${why}${logs}`);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 30_000) => {
    const c = child;
    if (c === null) return;
    const done = exit;
    c.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${spec.name} did not exit within ${timeoutMs} ms of ${signal}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

  return { start, kill, running: () => child !== null };
}
