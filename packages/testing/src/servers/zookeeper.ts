/**
 * A private standalone ZooKeeper (Debian's 3.8 package) for a local ReplicatedMergeTree
 * cluster. The JVM runs ZooKeeperServerMain directly from /usr/share/java/zookeeper.jar (its
 * manifest's Class-Path names the dependencies) rather than through zkServer.sh, which
 * daemonizes and would leave a JVM the test process no longer owns.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../process.js';
import { reapOnExit } from '../reaper.js';
import { childServer } from './clickhouse-process.js';

export interface ZooKeeperServer {
  port: number;
  /** host:port for a client's connect string. */
  connectString: string;
  dataDir: string;
  /** Sends `signal` (default SIGTERM) and resolves when the JVM has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and data; resolves once it serves. No-op if running. */
  start(): Promise<void>;
  running(): boolean;
  /** Kills the JVM if running and removes its directory. */
  destroy(): Promise<void>;
}

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const JAVA = '/usr/bin/java';
// Without an SLF4J binding ZooKeeper logs nothing; Debian's libslf4j-java (a dependency) has one.
const SLF4J_SIMPLE = '/usr/share/java/slf4j-simple.jar';

/** Sends a four-letter-word command and returns the whole reply ('' on any error). */
export function fourLetterWord(port: number, cmd: 'ruok' | 'srvr'): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = createConnection({ host: '127.0.0.1', port });
    s.setTimeout(1_000, () => s.destroy());
    s.on('connect', () => s.end(cmd));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', () => undefined); // 'close' follows
  });
}

/** Starts a standalone ZooKeeper on a free 127.0.0.1 port with a temp data dir. */
export async function startZooKeeper(): Promise<ZooKeeperServer> {
  for (const f of [JAVA, ZOOKEEPER_JAR])
    if (!existsSync(f))
      throw new Error(
        `${f} not found: run scripts/stack-up.sh (Debian: apt-get install -y zookeeper)`,
      );
  const port = await freePort();
  const base = await mkdtemp(join(tmpdir(), 'anlyt-zk-'));
  const forgetDir = reapOnExit({ dir: base });
  const dataDir = join(base, 'data');
  await mkdir(dataDir);
  // tickTime 500 ms bounds sessions to 1–10 s: ClickHouse asks for 5 s, so a killed replica's
  // ephemeral nodes (is_active, DDL worker) go away within seconds, not the default 30.
  // The admin server (Jetty on 8080) is off: it would collide with other tests' ports.
  const cfg = [
    'tickTime=500',
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr',
    'forceSync=no',
    '',
  ].join('\n');
  await writeFile(join(base, 'zoo.cfg'), cfg);

  const child = childServer({
    name: `ZooKeeper on 127.0.0.1:${port}`,
    command: JAVA,
    // A small heap and no JIT tiers beyond C1: the JVM starts faster and leaves room for ClickHouse.
    args: [
      '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
      '-Dzookeeper.jmx.log4j.disable=true',
      '-cp', [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE) ? [SLF4J_SIMPLE] : [])].join(':'), 'org.apache.zookeeper.server.ZooKeeperServerMain', join(base, 'zoo.cfg'),
    ], // prettier-ignore
    cwd: base,
    logFile: join(base, 'zookeeper.log'),
    // `ruok` answers before the server takes sessions; `srvr` says so only once it does.
    ready: async () => (await fourLetterWord(port, 'srvr')).includes('Mode: standalone'),
    startTimeoutMs: 30_000,
  });
  const destroy = async () => {
    await child.kill('SIGKILL').catch(() => undefined);
    await rm(base, { recursive: true, force: true });
    forgetDir();
  };
  try {
    await child.start();
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dataDir,
    stop: (signal = 'SIGTERM') => child.kill(signal),
    start: () => child.start(),
    running: () => child.running(),
    destroy,
  };
}
