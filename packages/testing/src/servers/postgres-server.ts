/**
 * A private PostgreSQL server for fault tests. Tests that stop, crash or restart the database
 * must never do it to the machine's shared server (127.0.0.1:5432): every other test, the dev
 * stack and the other engineers' runs use it. This starts a throwaway cluster from the
 * installed PostgreSQL's own initdb/pg_ctl, in a temporary directory, on a free port, that the
 * test may stop ('fast' or 'immediate', i.e. a crash) and start again on the same data.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { runMigrations } from '@anlyt/pg';
import { freePort, waitForPort } from '../process.js';
import { reapOnExit } from '../reaper.js';
import { findBinDir, INSTALL_HINT, postgresUser, runner } from './pg-binaries.js';

export interface PostgresServer {
  port: number;
  dataDir: string;
  /** Database `postgres`, user `postgres` (trust auth). */
  adminUrl: string;
  url(db: string): string;
  /** A new database with the anlyt migrations applied. */
  createDatabase(prefix?: string): Promise<{ name: string; url: string }>;
  /** `pg_ctl stop -m <mode> -w`; 'immediate' is a crash (recovery from WAL on the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts again on the same data dir and port; resolves once it accepts connections. No-op if running. */
  start(): Promise<void>;
  running(): boolean;
  /** Stops (immediate) if running and removes the data dir. */
  destroy(): Promise<void>;
}

// The helper's URLs and readiness checks depend on these.
const OWN_SETTINGS = ['port', 'listen_addresses', 'unix_socket_directories'] as const;

function confLine(key: string, value: string): string {
  if (!/^[a-z][a-z0-9_.]*$/i.test(key)) throw new Error(`invalid PostgreSQL setting name: ${key}`);
  return `${key} = '${value.replace(/'/g, "''")}'\n`;
}

/** initdb + pg_ctl start of a new cluster in a temp dir, on a free 127.0.0.1 port. */
export async function startPostgresServer(
  opts: { settings?: Record<string, string> } = {},
): Promise<PostgresServer> {
  for (const k of OWN_SETTINGS)
    if (opts.settings?.[k] !== undefined) throw new Error(`setting ${k} is chosen by the helper`);
  const binDir = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  if (asRoot && owner === null)
    throw new Error(
      `running as root but there is no \`postgres\` user to run the server as: ${INSTALL_HINT}`,
    );

  const base = await mkdtemp(join(tmpdir(), 'anlyt-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'postgres.log');
  const run = runner(binDir, base);
  // pg_ctl daemonizes the postmaster: nothing else ends it if the test process dies.
  const forget = reapOnExit({
    pidFile: join(dataDir, 'postmaster.pid'),
    signal: 'SIGQUIT',
    dir: base,
  });
  try {
    if (owner !== null) await chown(base, ...owner);
    await run('initdb', [
      '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8',
      '--locale=C.UTF-8', '--no-instructions',
    ]); // prettier-ignore
    const port = await freePort();
    // Durability is only given up against OS crashes (fsync): commits still reach the kernel
    // before they return (synchronous_commit stays on), so a killed server loses nothing.
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: dataDir,
      fsync: 'off',
      ...opts.settings,
    };
    const conf = Object.entries(settings)
      .map(([k, v]) => confLine(k, v))
      .join('');
    await appendFile(join(dataDir, 'postgresql.conf'), `\n# anlyt test server\n${conf}`);

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(db)}`;
    const running = () => postmasterAlive(dataDir);
    const start = async () => {
      if (running()) return;
      await run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60']).catch(
        (e: Error) => Promise.reject(new Error(`${e.message}${logTail(logFile)}`, { cause: e })),
      );
      await waitForPort(port, 'open');
    };
    const stop = async (mode: 'fast' | 'immediate') => {
      if (!running()) return;
      await run('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
      await waitForPort(port, 'closed');
    };

    await start();

    return {
      port,
      dataDir,
      adminUrl,
      url,
      start,
      stop,
      running,
      async createDatabase(prefix = 'anlyt_t') {
        const name = `${prefix}_${randomBytes(5).toString('hex')}`;
        const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
        try {
          await admin.unsafe(`create database "${name}"`);
        } finally {
          await admin.end();
        }
        await runMigrations(url(name));
        return { name, url: url(name) };
      },
      async destroy() {
        await stop('immediate').catch(() => killNow(dataDir, base));
        await rm(base, { recursive: true, force: true });
        forget();
      },
    };
  } catch (e) {
    killNow(dataDir, base);
    forget();
    throw new Error(`could not start a test PostgreSQL server: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function logTail(logFile: string): string {
  if (!existsSync(logFile)) return '';
  return `\n--- ${logFile} ---\n${readFileSync(logFile, 'utf8').slice(-2000)}`;
}

/** The postmaster's pid from postmaster.pid, if that process is alive. */
function postmasterPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function postmasterAlive(dataDir: string): boolean {
  return postmasterPid(dataDir) !== null;
}

// Last resort when start or stop fails: SIGQUIT is the postmaster's immediate shutdown.
function killNow(dataDir: string, base: string): void {
  const pid = postmasterPid(dataDir);
  try {
    if (pid !== null) process.kill(pid, 'SIGQUIT');
  } catch {
    // already gone
  }
  rmSync(base, { recursive: true, force: true });
}
