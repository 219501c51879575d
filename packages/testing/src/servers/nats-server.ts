/**
 * A private nats-server with JetStream for fault tests. Tests that kill or restart the broker
 * must never do it to the machine's shared server (127.0.0.1:4222): every other test and the
 * dev stack use it. This runs the installed nats-server as a child on a free port with its own
 * store dir; the test may kill it (SIGKILL by default: a crash) and start it again on the same
 * port and store, so clients reconnect and the streams recover from disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats, jetstreamManager } from '@anlyt/nats';
import { freePort, waitForPort } from '../process.js';
import { reapOnExit } from '../reaper.js';

export interface NatsServer {
  port: number;
  url: string;
  storeDir: string;
  /** Sends `signal` (default SIGKILL) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and JetStream store dir; resolves once JetStream answers. No-op if running. */
  start(): Promise<void>;
  running(): boolean;
  /** Kills the server if running and removes its directory. */
  destroy(): Promise<void>;
}

const BIN_CANDIDATES = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

function findBinary(): string {
  const bin = BIN_CANDIDATES.find((b) => existsSync(b));
  if (bin === undefined)
    throw new Error(
      `nats-server not found (looked at ${BIN_CANDIDATES.join(', ')}): install it (Debian: \`apt-get install -y nats-server\`)`,
    );
  return bin;
}

/** Polls until a client gets JetStream account info: the port alone opens before JetStream is up. */
async function waitForJetStream(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const nc = await connectNats(url, 'anlyt-test-nats-ready');
      try {
        await jetstreamManager(nc, { timeout: 2_000 });
        return;
      } finally {
        await nc.close();
      }
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(`JetStream at ${url} not ready within ${timeoutMs} ms`, { cause: e });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts nats-server with JetStream on a free 127.0.0.1 port and a temp store dir. */
export async function startNatsServer(opts: { maxPayload?: number } = {}): Promise<NatsServer> {
  const bin = findBinary();
  const base = await mkdtemp(join(tmpdir(), 'anlyt-nats-'));
  const forgetDir = reapOnExit({ dir: base });
  const storeDir = join(base, 'store');
  const logFile = join(base, 'nats-server.log');
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '-l', logFile];
  if (opts.maxPayload !== undefined) {
    // 2.9 has no command-line flag for it; only the config file sets it.
    const conf = join(base, 'nats-server.conf');
    await writeFile(conf, `max_payload: ${Math.trunc(opts.maxPayload)}\n`);
    args.unshift('-c', conf);
  }

  let child: ChildProcess | null = null;
  let exit: Promise<void> = Promise.resolve();
  const running = () => child !== null;

  const start = async () => {
    if (child !== null) return;
    let stderr = '';
    const c = spawn(bin, args, { cwd: base, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child = c;
    const forget = reapOnExit({ pid: c.pid, signal: 'SIGKILL' });
    let exited = false;
    exit = new Promise((resolve) => {
      const gone = () => {
        exited = true;
        forget();
        if (child === c) child = null;
        resolve();
      };
      c.once('exit', gone);
      c.once('error', (e) => {
        stderr += e.message;
        gone();
      });
    });
    try {
      await Promise.race([
        waitForPort(port, 'open', 15_000).then(() => waitForJetStream(url, 15_000)),
        exit.then(() => Promise.reject(new Error('nats-server exited during start'))),
      ]);
    } catch (e) {
      if (!exited) c.kill('SIGKILL');
      await exit;
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`could not start nats-server on ${url}: ${stderr.trim()}\n${log}`, {
        cause: e,
      });
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    if (c === null) return;
    const done = exit;
    c.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`nats-server did not exit within 15 s of ${signal}`)),
          15_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

  try {
    await start();
  } catch (e) {
    await rm(base, { recursive: true, force: true });
    forgetDir();
    throw e;
  }

  return {
    port,
    url,
    storeDir,
    kill,
    start,
    running,
    async destroy() {
      await kill('SIGKILL').catch(() => undefined);
      await rm(base, { recursive: true, force: true });
      forgetDir();
    },
  };
}
