/**
 * A private clickhouse-server (Debian's 18.16) for tests that kill, restart or replicate
 * ClickHouse: the machine's shared server (127.0.0.1:8123) is never touched. The installed
 * binary runs as a child on free ports with its own config, users and data in a temp dir, as
 * the current user (18.16 runs as root without complaint: it has no data-owner check yet).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapOnExit } from '../reaper.js';
import { configXml, USERS_XML } from './clickhouse-config.js';
import { childServer, distinctFreePorts } from './clickhouse-process.js';

export interface ClickHouseServer {
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  /** http://127.0.0.1:<httpPort> (database `default`, user `default`, no password). */
  url: string;
  dataDir: string;
  /** The server's own log (level debug): replication and DDL errors land here. */
  logFile: string;
  /** Sends `signal` (default SIGKILL: a crash) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same ports and data; resolves once /ping answers. No-op if running. */
  start(): Promise<void>;
  running(): boolean;
  /** Kills the server if running and removes its directory. */
  destroy(): Promise<void>;
}

export interface ClickHouseReplicaAddress {
  host: string;
  tcpPort: number;
  httpPort?: number;
}

export interface ClickHouseServerOptions {
  zookeeper?: { host: string; port: number };
  /** One shard holding these replicas (internal_replication: the Replicated engine copies). */
  cluster?: { name: string; replicas: ClickHouseReplicaAddress[] };
  macros?: Record<string, string>;
  /** Ports chosen by the caller, e.g. a cluster whose nodes must know each other's up front. */
  ports?: { http: number; tcp: number; interserver: number };
  /**
   * With `zookeeper`, start() also waits (default true) until the distributed DDL worker has
   * its ZooKeeper session: an ON CLUSTER query before that segfaults 18.16 (null ZooKeeper in
   * DDLWorker::enqueueQuery). Set false to start a node while its ZooKeeper is down.
   */
  waitForDdlWorker?: boolean;
}

export const CLICKHOUSE_SERVER_BIN = '/usr/sbin/clickhouse-server';
// Logged (debug) by 18.16's DDLWorker thread once it has a session and its queue node.
const DDL_WORKER_READY = 'DDLWorker: Processing tasks';

/** Whether `file` holds `needle` after byte `from` (this start's part of an appended log). */
async function logHas(file: string, from: number, needle: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => null);
  if (fh === null) return false;
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.max(0, size - from));
    await fh.read(buf, 0, buf.length, from);
    return buf.includes(needle);
  } finally {
    await fh.close();
  }
}

async function pingOk(url: string): Promise<boolean> {
  const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
  return res.ok && (await res.text()).trim() === 'Ok.';
}

/** Starts clickhouse-server on free 127.0.0.1 ports (or `opts.ports`) with a temp data dir. */
export async function startClickHouseServer(
  opts: ClickHouseServerOptions = {},
): Promise<ClickHouseServer> {
  if (!existsSync(CLICKHOUSE_SERVER_BIN))
    throw new Error(
      `${CLICKHOUSE_SERVER_BIN} not found: run scripts/stack-up.sh (Debian: apt-get install -y clickhouse-server)`,
    );
  const [http, tcp, interserver] = opts.ports ? [] : await distinctFreePorts(3);
  const ports = opts.ports ?? { http: http!, tcp: tcp!, interserver: interserver! };
  const base = await mkdtemp(join(tmpdir(), 'anlyt-ch-'));
  const forgetDir = reapOnExit({ dir: base });
  const dataDir = join(base, 'data');
  const url = `http://127.0.0.1:${ports.http}`;
  const logFile = join(base, 'clickhouse-server.log');
  await mkdir(dataDir);
  // The config's own directory: clickhouse-server also merges <dir>/config.d/*.xml, so it must
  // not live in /etc/clickhouse-server, whose overrides are meant for the shared server.
  await writeFile(join(base, 'config.xml'), configXml(base, ports, opts));
  await writeFile(join(base, 'users.xml'), USERS_XML);

  const waitDdl = opts.zookeeper !== undefined && opts.waitForDdlWorker !== false;
  let logFrom = 0;
  const start = () => {
    logFrom = existsSync(logFile) ? statSync(logFile).size : 0;
    return child.start();
  };
  const child = childServer({
    name: `clickhouse-server on ${url}`,
    command: CLICKHOUSE_SERVER_BIN,
    args: [`--config-file=${join(base, 'config.xml')}`],
    cwd: base,
    logFile: join(base, 'stdout.log'),
    extraLogs: [logFile],
    ready: async () =>
      (await pingOk(url)) && (!waitDdl || (await logHas(logFile, logFrom, DDL_WORKER_READY))),
    startTimeoutMs: 60_000,
  });
  const destroy = async () => {
    await child.kill('SIGKILL').catch(() => undefined);
    await rm(base, { recursive: true, force: true });
    forgetDir();
  };
  try {
    await start();
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    httpPort: ports.http,
    tcpPort: ports.tcp,
    interserverPort: ports.interserver,
    url,
    dataDir,
    logFile,
    kill: (signal = 'SIGKILL') => child.kill(signal),
    start,
    running: () => child.running(),
    destroy,
  };
}
