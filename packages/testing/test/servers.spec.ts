/**
 * The fault-test helpers against real processes: a private PostgreSQL and nats-server that are
 * crashed and restarted (the machine's shared ones are never touched), and a child service
 * that is frozen, thawed and SIGKILLed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDbError } from '@anlyt/pg';
import {
  connectNats,
  ensureStream,
  jetstream,
  jetstreamManager,
  type NatsConnection,
} from '@anlyt/nats';
import {
  spawnService,
  startNatsServer,
  startPostgresServer,
  type NatsServer,
  type PostgresServer,
} from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it resolves: the first requests after a restart may race the reconnect. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

async function nextStatus(nc: NatsConnection, type: string): Promise<void> {
  for await (const s of nc.status()) if (s.type === type) return;
}

describe('startPostgresServer', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgresServer({ settings: { work_mem: '7MB' } });
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('keeps a committed row across an immediate (crash) stop and a start', async () => {
    expect(pg.port).not.toBe(5432);
    const db = await pg.createDatabase('anlyt_srv');
    const sql = postgres(db.url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    try {
      const [migrated] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(migrated!['n']).toBeGreaterThan(0);
      await sql`create table probe (id int primary key, note text)`;
      await sql`insert into probe values (1, 'committed before the crash')`;

      await pg.stop('immediate');
      expect(pg.running()).toBe(false);
      const err = await sql`select 1`.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, 'a query against the stopped server').not.toBeNull();
      expect(classifyDbError(err)).toBe('transient');

      await pg.start();
      expect(pg.running()).toBe(true);
      const rows = await sql`select id, note from probe`;
      expect(rows).toEqual([{ id: 1, note: 'committed before the crash' }]);
    } finally {
      await sql.end({ timeout: 2 });
    }
  });

  it('applies opts.settings and stops fast', async () => {
    const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await admin`show work_mem`;
      expect(row!['work_mem']).toBe('7MB');
    } finally {
      await admin.end();
    }
    await pg.stop('fast');
    expect(pg.running()).toBe(false);
    await pg.start();
    expect(pg.running()).toBe(true);
  });
});

describe('startNatsServer', () => {
  let nats: NatsServer;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.destroy();
  });

  it('keeps a file stream across SIGKILL and a restart; connectNats clients reconnect', async () => {
    expect(nats.port).not.toBe(4222);
    const nc = await connectNats(nats.url, 'anlyt-servers-test');
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      await ensureStream(jsm, { name: 'FAULT', subjects: ['fault.>'] });
      for (let i = 0; i < 100; i++) await js.publish('fault.x', JSON.stringify({ i }));

      // A request sent while the client is disconnected is not answered (it times out after
      // 5 s), so wait for the reconnect before asking.
      const reconnected = nextStatus(nc, 'reconnect');
      await nats.kill();
      expect(nats.running()).toBe(false);
      await nats.start();
      expect(nats.running()).toBe(true);
      await reconnected;

      const info = await eventually(() => jsm.streams.info('FAULT'));
      expect(info.state.messages).toBe(100);
      const ack = await eventually(() => js.publish('fault.x', JSON.stringify({ i: 100 })));
      expect(ack.seq).toBe(101);
    } finally {
      await nc.close();
    }
  });

  it('sets max_payload from opts.maxPayload', async () => {
    const small = await startNatsServer({ maxPayload: 2048 });
    try {
      const nc = await connectNats(small.url, 'anlyt-servers-test-payload');
      expect(nc.info?.max_payload).toBe(2048);
      await nc.close();
    } finally {
      await small.destroy();
    }
  });
});

describe('spawnService', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anlyt-spawn-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pauses, resumes and SIGKILLs a child that logs JSON lines', async () => {
    const main = join(dir, 'ticker.js');
    await writeFile(
      main,
      `let i = 0;
       console.log(JSON.stringify({ msg: 'listening', port: Number(process.env.HTTP_PORT) }));
       setInterval(() => console.log(JSON.stringify({ msg: 'tick', i: i++ })), 50);`,
    );
    const svc = spawnService(main, { HTTP_PORT: '4321' }, { name: 'ticker' });
    expect(await svc.waitForLine(/"listening"/)).toContain('"port":4321');
    await svc.waitForLine(/"i":3\b/);

    svc.pause();
    await sleep(100); // lines already in the pipe when it stopped
    const whilePaused = svc.lines().length;
    await sleep(400);
    expect(svc.lines().length).toBe(whilePaused);
    expect(svc.alive()).toBe(true);

    svc.resume();
    const last = JSON.parse(svc.lines().at(-1)!) as { i: number };
    await svc.waitForLine(new RegExp(`"i":${last.i + 2}\\b`));

    expect(await svc.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(svc.alive()).toBe(false);
  });

  it('waitForLine rejects when the child exits first', async () => {
    const main = join(dir, 'exits.js');
    await writeFile(main, `console.error('boom'); process.exit(3);`);
    const svc = spawnService(main, {}, { name: 'exits' });
    await expect(svc.waitForLine(/never/)).rejects.toThrow(/exits exited \(code 3\)[\s\S]*boom/);
    expect(await svc.exited()).toEqual({ code: 3, signal: null });
  });
});
