/**
 * What the backfill tests share: a ClickHouse database and streams of their own, generated DLR
 * + CDR traffic with the independent FactsOracle, the built anlyt-ingest as a child process
 * (the live service or `backfill …`), one cube builder pass, and the checks — every fact and
 * cube row equal to the oracle, every invalid or conflicting message in the DLQ.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  runClickHouseMigrations,
  rows,
  type ClickHouseClient,
  type Topology,
} from '@anlyt/clickhouse';
import { DEAD_LETTER_HEADERS } from '@anlyt/nats';
import {
  compareFactsWithOracle,
  createTestClickHouseDatabase,
  createTestNats,
  spawnService,
  TEST_CLICKHOUSE_URL,
  type ServiceProcess,
  type TestClickHouseDatabase,
  type TestNats,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  FactsOracle,
  generateTraffic,
  publishAll,
  type TrafficMessage,
} from '@anlyt/traffic';
import { clickhouseCubes } from '../src/adapters/clickhouse-cubes.js';
import { BuildCubesUseCase, type CubePass } from '../src/use-cases/build-cubes.use-case.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The live durables (config defaults) and the backfill's, named here rather than imported. */
export const LIVE = { dlr: 'anlyt-ingest-dlr', cdr: 'anlyt-ingest-cdr' } as const;
export const BACKFILL = { dlr: 'anlyt-ingest-dlr-backfill', cdr: 'anlyt-ingest-cdr-backfill' };

export type FactKind = 'dlr' | 'cdr';

export interface Traffic {
  /** The DLR and CDR messages in publication order (billed ones are anlyt-consumer's). */
  messages: TrafficMessage[];
  facts: FactsOracle;
}

export interface Progress {
  source: FactKind;
  done: number;
  total: number;
}

export class BackfillRig {
  readonly children: ServiceProcess[] = [];
  readonly t: Topology;
  /** Messages published per kind so far: a message's stream sequence is its position. */
  private readonly published = { dlr: 0, cdr: 0 };
  /** Stream sequences of the messages the DLQ must hold (invalid and conflicting ones). */
  private readonly toDlq = { dlr: new Set<number>(), cdr: new Set<number>() };

  private constructor(
    readonly ch: ClickHouseClient,
    readonly db: TestClickHouseDatabase,
    readonly nats: TestNats,
  ) {
    this.t = { database: db.name, cluster: null };
  }

  static async start(ch: ClickHouseClient): Promise<BackfillRig> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
    const db = await createTestClickHouseDatabase('anlyt_backfill');
    await runClickHouseMigrations(ch, { topology: { database: db.name, cluster: null } });
    return new BackfillRig(ch, db, await createTestNats());
  }

  traffic(seed: number, messages: number): Traffic {
    const facts = new FactsOracle();
    const out: TrafficMessage[] = [];
    for (const m of generateTraffic(defaultTrafficConfig({ seed, messages, cdrs: true }))) {
      if (m.kind === 'billed') continue;
      facts.observe(m);
      out.push(m);
    }
    return { messages: out, facts };
  }

  stream(kind: FactKind): string {
    return kind === 'dlr' ? this.nats.topo.dlrStream : this.nats.topo.cdrStream;
  }

  async publish(messages: readonly TrafficMessage[]): Promise<void> {
    const stats = await publishAll(this.nats.js, messages, {
      window: 2000,
      withMsgId: true,
      subjects: {
        billed: this.nats.topo.billingSubject,
        dlr: this.nats.topo.dlrSubject,
        cdr: this.nats.topo.cdrSubject,
      },
    });
    // One stream message per publish, or the positions below are not the sequences.
    if (stats.duplicateAcks !== 0) throw new Error(`${stats.duplicateAcks} publishes deduplicated`);
    for (const m of messages) {
      const kind = m.kind as FactKind;
      const seq = ++this.published[kind];
      if (m.class === 'invalid' || m.class === 'conflict') this.toDlq[kind].add(seq);
    }
  }

  private env(extra: Record<string, string>): Record<string, string> {
    const p = this.nats.topo.prefix;
    return {
      ...this.nats.env,
      CLICKHOUSE_URL: TEST_CLICKHOUSE_URL,
      CLICKHOUSE_DATABASE: this.db.name,
      DLQ_SUBJECT_PREFIX: `${p}.anlyt.dlq.ingest`,
      DLQ_STREAM_SUBJECTS: `${p}.anlyt.dlq.>`,
      BATCH_SIZE: '2000',
      BATCH_LINGER_MS: '50',
      ACK_WAIT_MS: '2000',
      RETRY_DELAY_MS: '200',
      RETRY_MAX_DELAY_MS: '2000',
      CUBE_REFRESH_MS: '300',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  /** The live service (consume loops + the cube builder); resolves once it consumes. */
  async startLive(httpPort: number): Promise<ServiceProcess> {
    const env = this.env({ HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort) });
    const child = spawnService(MAIN, env, { name: 'anlyt-ingest' });
    this.children.push(child);
    await child.waitForLine(/anlyt-ingest started/, 30_000);
    return child;
  }

  /** `anlyt-ingest backfill <args>`; resolves once it is under way. */
  async startBackfill(args: string[], env: Record<string, string> = {}): Promise<ServiceProcess> {
    const all = this.env({ BACKFILL_PROGRESS_MS: '250', BACKFILL_END_LAG_S: '0', ...env });
    const child = spawnService(MAIN, all, { name: 'backfill', args: ['backfill', ...args] });
    this.children.push(child);
    await child.waitForLine(/backfill started/, 30_000);
    return child;
  }

  /** A durable's ack floor (0 when it does not exist). */
  async ackFloor(kind: FactKind, durable: string): Promise<number> {
    const c = await this.nats.jsm.consumers.info(this.stream(kind), durable).catch(() => null);
    return c?.ack_floor.stream_seq ?? 0;
  }

  async backfillDurablesLeft(): Promise<string[]> {
    const kinds = ['dlr', 'cdr'] as const;
    const left = await Promise.all(
      kinds.map((k) =>
        this.nats.jsm.consumers.info(this.stream(k), BACKFILL[k]).then(
          () => BACKFILL[k],
          () => null,
        ),
      ),
    );
    return left.filter((d) => d !== null);
  }

  /** One pass of the cube builder the live service runs (same name, same watermark). */
  cubePass(): Promise<CubePass> {
    return new BuildCubesUseCase(clickhouseCubes(this.ch, this.t, 'main'), 30).run();
  }

  /** Every fact and cube row against the oracle: empty = exactly equal. */
  differences(t: Traffic): Promise<string[]> {
    return compareFactsWithOracle(TEST_CLICKHOUSE_URL, this.db.name, t.facts);
  }

  /** Fact rows as stored, before ReplacingMergeTree collapses copies (no FINAL). */
  async storedFactRows(): Promise<number> {
    const [r] = await rows<{ n: string }>(
      this.ch,
      `SELECT (SELECT count() FROM ${this.db.name}.facts_dlr) + (SELECT count() FROM ${this.db.name}.facts_cdr) AS n`,
    );
    return Number(r!.n);
  }

  /**
   * The DLQ's letters against the messages published: per source, the originals it names are
   * exactly the invalid and conflicting ones. A replay re-sends a letter with the same
   * Nats-Msg-Id, so the DLQ holds it once within its duplicate window; beyond it a second
   * identical letter is the documented outcome — hence sets, not counts.
   */
  async deadLetterProblems(): Promise<string[]> {
    const p = this.nats.topo.prefix;
    const found = { dlr: new Set<number>(), cdr: new Set<number>() };
    const problems: string[] = [];
    const info = await this.nats.jsm.streams.info(this.nats.topo.dlqStream);
    const last = info.state.messages === 0 ? 0 : info.state.last_seq;
    for (let seq = info.state.first_seq; seq <= last; seq++) {
      const l = await this.nats.jsm.streams.getMessage(this.nats.topo.dlqStream, { seq });
      if (l === null) continue;
      const kind = l.subject === `${p}.anlyt.dlq.ingest.dlr` ? 'dlr' : 'cdr';
      if (l.header.get(DEAD_LETTER_HEADERS.stream) !== this.stream(kind))
        problems.push(
          `letter ${seq} on ${l.subject} names ${l.header.get(DEAD_LETTER_HEADERS.stream)}`,
        );
      found[kind].add(Number(l.header.get(DEAD_LETTER_HEADERS.seq)));
    }
    for (const kind of ['dlr', 'cdr'] as const) {
      for (const s of this.toDlq[kind])
        if (!found[kind].has(s)) problems.push(`${kind} #${s}: not in the DLQ`);
      for (const s of found[kind])
        if (!this.toDlq[kind].has(s)) problems.push(`${kind} #${s}: dead-lettered, yet valid`);
    }
    return problems;
  }

  async close(): Promise<void> {
    for (const c of this.children) if (c.alive()) await c.kill('SIGKILL');
    await this.nats.cleanup().catch(() => undefined);
    await this.db.drop().catch(() => undefined);
  }
}

/** The `backfill progress` lines a backfill process printed, in order. */
export function progressLines(lines: readonly string[]): Progress[] {
  return lines
    .filter((l) => l.includes('"backfill progress"'))
    .map((l) => JSON.parse(l) as Progress);
}

/** Invalid, conflicting and duplicate messages the traffic holds, per kind. */
export function classCounts(messages: readonly TrafficMessage[]) {
  const n = { invalid: 0, conflict: 0, duplicate: 0 };
  for (const m of messages) if (m.class !== 'valid') n[m.class]++;
  return n;
}
