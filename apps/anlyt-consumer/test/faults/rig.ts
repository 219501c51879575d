/**
 * One row of the fault matrix (docs/reliability.md): its own PostgreSQL and nats-server
 * (started here, never the machine's shared ones), the contract's streams on them, the built
 * anlyt-consumer as a child process, generated traffic with an independent oracle, and the
 * checks every row ends with: nothing lost, nothing counted twice, every conflict resolved
 * by the documented rule (the lower stream sequence wins), every invalid message in the DLQ.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  connectNats,
  ensureStream,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from '@anlyt/nats';
import { createSql, type Sql } from '@anlyt/pg';
import {
  compareWithOracle,
  eventually,
  freePort,
  spawnService,
  startNatsServer,
  startPostgresServer,
  type NatsServer,
  type PostgresServer,
  type ServiceProcess,
} from '@anlyt/testing';
import {
  defaultTrafficConfig,
  generateTraffic,
  publishAll,
  TrafficOracle,
  type TrafficConfig,
  type TrafficMessage,
} from '@anlyt/traffic';
import { deadLetterCheck, type DeadLetterFigures } from './dead-letter-check.js';
import { DURABLES, STREAMS } from './topology.js';

export { DURABLES, STREAMS };

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../../../test-results/faults/', import.meta.url));

/** Settings that make faults show quickly: short AckWait and statement timeout. */
export const FAST_FAULTS: Record<string, string> = {
  ACK_WAIT_MS: '2000',
  PG_STATEMENT_TIMEOUT_MS: '4000',
  RETRY_DELAY_MS: '200',
  RETRY_MAX_DELAY_MS: '2000',
  STATUS_POLL_MS: '250',
  LOG_LEVEL: 'info',
};

export interface Traffic {
  cfg: TrafficConfig;
  messages: TrafficMessage[];
  oracle: TrafficOracle;
}

/** The row's measured figures, written to test-results/faults/<row>.json for the docs. */
export interface RowFigures {
  row: string;
  messages: number;
  faults: string;
  lost: number;
  doubled: number;
  conflictsToDlq: number;
  invalidToDlq: number;
  winnerCopiesToDlq: number;
  redeliveries: number;
  recoverySeconds: number | null;
  maxPending: number;
  /** Consumer processes started in the row (replicas and replacements). */
  consumerProcesses: number;
}

export interface Consumer {
  process: ServiceProcess;
  port: number;
}

export class Rig {
  /** Every consumer process started, in order; the last is the current one. */
  readonly consumers: Consumer[] = [];
  /** Every backfill process started. */
  readonly backfills: ServiceProcess[] = [];
  private lagTimer: NodeJS.Timeout | null = null;
  maxPending = 0;

  private constructor(
    readonly pg: PostgresServer,
    readonly nats: NatsServer,
    readonly dbUrl: string,
    readonly sql: Sql,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {}

  static async start(opts: { maxPayload?: number } = {}): Promise<Rig> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm build first`);
    const [pg, nats] = await Promise.all([
      startPostgresServer(),
      startNatsServer({ maxPayload: opts.maxPayload }),
    ]);
    const db = await pg.createDatabase();
    const nc = await connectNats(nats.url, 'fault-rig');
    const jsm = await jetstreamManager(nc);
    for (const s of [STREAMS.billing, STREAMS.dlr])
      await ensureStream(jsm, { name: s.stream, subjects: [s.subject] });
    // The consumer's own sessions would die with the server; ours reconnects as well.
    const sql = createSql(db.url, { max: 2 });
    return new Rig(pg, nats, db.url, sql, nc, jetstream(nc), jsm);
  }

  traffic(overrides: Partial<TrafficConfig>): Traffic {
    const cfg = defaultTrafficConfig(overrides);
    const oracle = new TrafficOracle({ keepLatencies: false });
    const messages: TrafficMessage[] = [];
    for (const m of generateTraffic(cfg)) {
      oracle.observe(m);
      messages.push(m);
    }
    return { cfg, messages, oracle };
  }

  publish(messages: readonly TrafficMessage[]) {
    return publishAll(this.js, messages, {
      window: 1000,
      withMsgId: true,
      subjects: { billed: STREAMS.billing.subject, dlr: STREAMS.dlr.subject },
      timeoutMs: 20_000,
    });
  }

  /** Starts a consumer process (or a replacement, as an orchestrator would); resolves once it serves. */
  async startConsumer(env: Record<string, string> = {}): Promise<Consumer> {
    const port = await freePort();
    const process = spawnService(MAIN, {
      ...FAST_FAULTS,
      ...env,
      DATABASE_URL: this.dbUrl,
      NATS_URL: this.nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
    });
    const c = { process, port };
    this.consumers.push(c);
    await process.waitForLine(/anlyt-consumer started/, 30_000);
    return c;
  }

  /** Starts `anlyt-consumer backfill <args>` (one-off job); resolves once it is under way. */
  async startBackfill(args: string[], env: Record<string, string> = {}): Promise<ServiceProcess> {
    const process = spawnService(
      MAIN,
      {
        ...FAST_FAULTS,
        BACKFILL_PROGRESS_MS: '250',
        BACKFILL_END_LAG_S: '0',
        ...env,
        DATABASE_URL: this.dbUrl,
        NATS_URL: this.nats.url,
      },
      { name: 'backfill', args: ['backfill', ...args] },
    );
    this.backfills.push(process);
    await process.waitForLine(/backfill started/, 30_000);
    return process;
  }

  get consumer(): ServiceProcess {
    return this.consumers[this.consumers.length - 1]!.process;
  }

  async readyz(c = this.consumers[this.consumers.length - 1]!) {
    try {
      const r = await fetch(`http://127.0.0.1:${c.port}/readyz`, {
        signal: AbortSignal.timeout(5000),
      });
      return { status: r.status, body: (await r.json()) as { checks: Record<string, unknown> } };
    } catch {
      return { status: 0, body: null };
    }
  }

  /** Polls /readyz until it answers `status`; resolves with the body, rejects after `ms`. */
  async readyzBecomes(status: number, ms: number) {
    const r = await eventually(
      `/readyz ${status}`,
      async () => {
        const x = await this.readyz();
        return x.status === status ? x : undefined;
      },
      ms,
      100,
    );
    return r.body;
  }

  /** Acked or terminated up to the streams' last sequences, nothing in flight. */
  async drained(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await Promise.all(
        DURABLES.map(async ([s, d]) => {
          const [c, st] = await Promise.all([
            this.jsm.consumers.info(s, d),
            this.jsm.streams.info(s),
          ]);
          return c.ack_floor.stream_seq >= st.state.last_seq && c.num_ack_pending === 0;
        }),
      ).catch(() => [false]);
      if (done.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`not drained within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /**
   * Waits until the billing consumer has acked `fraction` of the billing stream — of `total`
   * messages when given (the stream may still be being published), else of what it holds.
   */
  async progressed(fraction: number, total?: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [c, st] = await Promise.all([
        this.jsm.consumers.info(DURABLES[0][0], DURABLES[0][1]).catch(() => null),
        this.jsm.streams.info(DURABLES[0][0]),
      ]);
      if (c !== null && c.ack_floor.stream_seq >= fraction * (total ?? st.state.last_seq)) return;
      if (Date.now() > deadline)
        throw new Error(`no progress to ${fraction} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Samples the backlog (not yet delivered + delivered but unacked) every 250 ms. */
  sampleLag(): void {
    this.lagTimer = setInterval(() => {
      void Promise.all(DURABLES.map(([s, d]) => this.jsm.consumers.info(s, d)))
        .then((cs) => {
          const pending = cs.reduce((n, c) => n + c.num_pending + c.num_ack_pending, 0);
          this.maxPending = Math.max(this.maxPending, pending);
        })
        .catch(() => undefined);
    }, 250);
  }

  /** The checks every row ends with, and its figures. */
  async verify(row: string, faults: string, t: Traffic, recoverySeconds: number | null) {
    if (this.lagTimer) clearInterval(this.lagTimer);
    const diffs = await compareWithOracle(this.sql, t.oracle, 50);
    const dlq: DeadLetterFigures = await deadLetterCheck(this.jsm, STREAMS.dlq.stream, t.messages);
    // Redeliveries of the live durables (a backfill-only row may have none yet: 0).
    const deliveries = await Promise.all(
      DURABLES.map(async ([s, d]) => {
        const [c, st] = await Promise.all([
          this.jsm.consumers.info(s, d).catch(() => null),
          this.jsm.streams.info(s),
        ]);
        return c === null ? 0 : Math.max(0, c.delivered.consumer_seq - st.state.last_seq);
      }),
    );
    const counted = await this.countedEvents();
    const expected = expectedEvents(t.oracle);
    const figures: RowFigures = {
      row,
      messages: t.messages.length,
      faults,
      lost: Math.max(0, expected - counted),
      doubled: Math.max(0, counted - expected),
      conflictsToDlq: dlq.conflicts,
      invalidToDlq: dlq.invalid,
      winnerCopiesToDlq: dlq.winnerCopies,
      redeliveries: deliveries.reduce((a, b) => a + b, 0),
      recoverySeconds,
      maxPending: this.maxPending,
      consumerProcesses: this.consumers.length,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}${row}.json`, JSON.stringify(figures, null, 2));
    return { diffs, dlq, figures };
  }

  /** Billing events (billed + refunded) and DLRs folded into the PLATFORM buckets. */
  private async countedEvents(): Promise<number> {
    const [r] = await this.sql<{ n: string }[]>`
      select coalesce(sum(billed_count + refunded_count + latency_count), 0)::text as n
      from anlyt.metrics_hourly where scope = 'PLATFORM'`;
    return Number(r!.n);
  }

  async close(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    for (const c of this.consumers) if (c.process.alive()) await c.process.kill('SIGKILL');
    for (const b of this.backfills) if (b.alive()) await b.kill('SIGKILL');
    await this.sql.end({ timeout: 1 }).catch(() => undefined);
    await this.nc.close().catch(() => undefined);
    await Promise.all([this.pg.destroy(), this.nats.destroy()]);
  }
}

export { sleep };

/** The same count from the oracle: every distinct valid event, once. */
function expectedEvents(oracle: TrafficOracle): number {
  let n = 0;
  for (const b of oracle.hourly().values())
    if (b.scope === 'PLATFORM') n += b.billed + b.refunded + b.latencyCount;
  return n;
}
