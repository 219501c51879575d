/**
 * A service under test as a child process, for reliability tests (DESIGN.md §4): the test
 * starts the built `dist/main.js` with its own environment, reads its log lines, and can
 * SIGKILL it at any point, or freeze it (SIGSTOP) and thaw it (SIGCONT) to simulate a stalled
 * process whose leases and acks time out. Nothing here touches the machine's shared servers;
 * pair it with startPostgresServer / startNatsServer when the fault is on the server side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { reapOnExit } from './reaper.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** Every stdout and stderr line printed so far, in arrival order. */
  lines(): string[];
  /** The first line (already printed or still to come) matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the process has exited and its output has been read. */
  exited(): Promise<ExitStatus>;
  alive(): boolean;
  /** Sends `signal` (default SIGKILL) and resolves on exit. A paused process is resumed first unless the signal is SIGKILL. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** SIGSTOP: the process keeps its sockets but runs nothing, like a stalled pod. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
}

/** Runs `node <mainJs> [args]` with `{ ...process.env, ...env }` and captures its output lines. */
export function spawnService(
  mainJs: string,
  env: Record<string, string>,
  opts: { name?: string; args?: readonly string[] } = {},
): ServiceProcess {
  const name = opts.name ?? mainJs;
  const child = spawn(process.execPath, [mainJs, ...(opts.args ?? [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('error', () => undefined); // a failed spawn is reported by the pid check below
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${process.execPath}`);
  // A child outliving a killed test run would keep its port and consume the tests' streams.
  const forget = reapOnExit({ pid: child.pid, signal: 'SIGKILL' });

  const out: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.push(line);
      for (const l of listeners) l(line);
    });
  }

  let status: ExitStatus | null = null;
  let paused = false;
  const exit = new Promise<ExitStatus>((resolve) => {
    child.on('exit', (code, signal) => {
      status = { code, signal };
      forget();
      // 'close' follows once stdout/stderr are drained; don't wait forever in case a
      // grandchild inherited the pipes.
      const t = setTimeout(() => resolve(status!), 500);
      child.once('close', () => {
        clearTimeout(t);
        resolve(status!);
      });
    });
  });

  const tail = () => out.slice(-20).join('\n');

  return {
    child,
    pid: child.pid,
    lines: () => [...out],
    exited: () => exit,
    alive: () => status === null,
    waitForLine(pattern, timeoutMs = 10_000) {
      const seen = out.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(onLine);
        };
        const onLine = (line: string) => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `${name}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${tail()}`,
            ),
          );
        }, timeoutMs);
        listeners.add(onLine);
        void exit.then((s) => {
          if (!listeners.has(onLine)) return;
          done();
          reject(
            new Error(
              `${name} exited (${s.signal ?? `code ${s.code}`}) before a line matching ${pattern}; last lines:\n${tail()}`,
            ),
          );
        });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (status !== null) return status;
      child.kill(signal);
      // A stopped process only acts on SIGKILL; let it see any other signal.
      if (paused && signal !== 'SIGKILL') child.kill('SIGCONT');
      return exit;
    },
    pause() {
      if (status === null && child.kill('SIGSTOP')) paused = true;
    },
    resume() {
      if (status === null && child.kill('SIGCONT')) paused = false;
    },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice for listen(0)). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('listen(0) gave no port'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Polls 127.0.0.1:`port` until it accepts connections ('open') or refuses them ('closed'). */
export async function waitForPort(
  port: number,
  state: 'open' | 'closed',
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await accepts(port)) === (state === 'open')) return;
    if (Date.now() > deadline)
      throw new Error(`port ${port} did not become ${state} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
