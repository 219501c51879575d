/**
 * What the bench starts and must clean up however it ends: private streams, ClickHouse
 * databases (migrated), anlyt-ingest and ceiling children.
 */
import { fileURLToPath } from 'node:url';
import { createClickHouse, rows, runClickHouseMigrations, type Topology } from '@anlyt/clickhouse';
import {
  createTestClickHouseDatabase,
  createTestNats,
  spawnService,
  TEST_CLICKHOUSE_URL,
  type ServiceProcess,
  type TestNats,
} from '@anlyt/testing';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CEILING = fileURLToPath(new URL('./ceiling.ts', import.meta.url));

export class Harness {
  readonly ch = createClickHouse({ url: TEST_CLICKHOUSE_URL, requestTimeoutMs: 900_000 });
  private readonly children: ServiceProcess[] = [];
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(private readonly ingestEnv: Record<string, string>) {}

  async freshDatabase(prefix: string): Promise<Topology> {
    const db = await createTestClickHouseDatabase(prefix);
    this.cleanups.push(() => db.drop());
    const t = { database: db.name, cluster: null };
    await runClickHouseMigrations(this.ch, { topology: t });
    return t;
  }

  async freshNats(): Promise<TestNats> {
    const nats = await createTestNats();
    this.cleanups.push(() => nats.cleanup());
    return nats;
  }

  /** dist/main.js on these streams and this database; LOG_LEVEL warn. */
  startIngest(nats: TestNats, t: Topology, port: number): ServiceProcess {
    const p = nats.topo.prefix;
    return this.spawn(MAIN, 'anlyt-ingest', {
      ...nats.env,
      ...this.ingestEnv,
      CLICKHOUSE_URL: TEST_CLICKHOUSE_URL,
      CLICKHOUSE_DATABASE: t.database,
      DLQ_SUBJECT_PREFIX: `${p}.anlyt.dlq.ingest`,
      DLQ_STREAM_SUBJECTS: `${p}.anlyt.dlq.>`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: profiles every anlyt-ingest child.
      NODE_OPTIONS: process.env['BENCH_INGEST_NODE_OPTIONS'] ?? '',
    });
  }

  /** bench/ceiling.ts (through tsx) on these streams. */
  startCeiling(nats: TestNats): ServiceProcess {
    const nodeOptions = `${process.env['NODE_OPTIONS'] ?? ''} --import tsx`.trim();
    return this.spawn(CEILING, 'ceiling', {
      ...nats.env,
      ...this.ingestEnv,
      NODE_OPTIONS: nodeOptions,
    });
  }

  private spawn(file: string, name: string, env: Record<string, string>) {
    const child = spawnService(file, env, { name });
    this.children.push(child);
    return child;
  }

  async stop(child: ServiceProcess): Promise<void> {
    const s = await child.kill('SIGTERM');
    if (s.code !== 0) console.log(`  (${child.pid} exited with ${s.signal ?? s.code})`);
  }

  async waitReady(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`anlyt-ingest not ready within ${timeoutMs} ms`);
  }

  async countRows(t: Topology, table: string): Promise<number> {
    const sql = `SELECT count() AS n FROM ${t.database}.${table}`;
    return Number((await rows<{ n: string }>(this.ch, sql))[0]!.n);
  }

  /** The last log lines of every child that printed any (why a phase failed). */
  lastLines(): string {
    return this.children
      .filter((c) => c.lines().length > 0)
      .flatMap((c) => c.lines().slice(-4))
      .map((l) => `  | ${l.slice(0, 400)}`)
      .join('\n');
  }

  async cleanup(): Promise<void> {
    for (const c of this.children) if (c.alive()) await c.kill('SIGKILL');
    for (const f of this.cleanups.splice(0).reverse())
      await f().catch((e: unknown) => console.error(String(e)));
    await this.ch.close();
  }
}
