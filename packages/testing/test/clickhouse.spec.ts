/**
 * ClickHouse helpers: a database per test on the machine's shared server, the query helper's
 * errors, a private clickhouse-server that keeps its data across a SIGKILL and a restart, and
 * a private ZooKeeper that stops and starts on the same port.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseQuery,
  createTestClickHouseDatabase,
  startClickHouseServer,
  TEST_CLICKHOUSE_URL,
  startZooKeeper,
  type ClickHouseServer,
} from '../src/index.js';
import { fourLetterWord } from '../src/servers/zookeeper.js';

describe('createTestClickHouseDatabase', () => {
  it('creates a unique database that its URL points at, and drops it', async () => {
    const [a, b] = await Promise.all([
      createTestClickHouseDatabase(),
      createTestClickHouseDatabase('anlyt_x'),
    ]);
    try {
      expect(a.name).toMatch(/^anlyt_t_[0-9a-f]{10}$/);
      expect(b.name).toMatch(/^anlyt_x_[0-9a-f]{10}$/);
      expect(a.url).toBe(`${TEST_CLICKHOUSE_URL.replace(/\/$/, '')}/${a.name}`);
      // Unqualified names resolve in the URL's database: the path is sent as ?database=.
      await clickhouseQuery(a.url, 'CREATE TABLE t (k UInt64) ENGINE = MergeTree ORDER BY k');
      await clickhouseQuery(a.url, 'INSERT INTO t SELECT number FROM system.numbers LIMIT 10');
      expect(await clickhouseQuery(a.url, 'SELECT currentDatabase(), count() FROM t')).toBe(
        `${a.name}\t10\n`,
      );
      await expect(clickhouseQuery(b.url, 'SELECT count() FROM t')).rejects.toThrow(
        /doesn't exist/,
      );
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    const left = await clickhouseQuery(
      TEST_CLICKHOUSE_URL,
      `SELECT count() FROM system.databases WHERE name IN ('${a.name}', '${b.name}')`,
    );
    expect(left).toBe('0\n');
  }, 15_000);

  it('throws with the server error text', async () => {
    await expect(clickhouseQuery(TEST_CLICKHOUSE_URL, 'SELECT no_such_column')).rejects.toThrow(
      /ClickHouse \d{3}: .*Unknown identifier: no_such_column/,
    );
    await expect(createTestClickHouseDatabase('bad-prefix')).rejects.toThrow(/plain identifier/);
  }, 15_000);
});

describe('startClickHouseServer', () => {
  let ch: ClickHouseServer;
  beforeAll(async () => {
    ch = await startClickHouseServer();
  }, 60_000);
  afterAll(async () => {
    await ch?.destroy();
  }, 30_000);

  it('runs on its own ports and keeps committed rows across a SIGKILL and a start', async () => {
    expect([ch.httpPort, ch.tcpPort]).not.toContain(8123);
    expect(ch.url).toBe(`http://127.0.0.1:${ch.httpPort}`);
    expect(await clickhouseQuery(ch.url, 'SELECT version()')).toMatch(/^18\.16\./);
    await clickhouseQuery(
      ch.url,
      'CREATE TABLE default.probe (k UInt64) ENGINE = MergeTree ORDER BY k',
    );
    await clickhouseQuery(ch.url, 'INSERT INTO default.probe VALUES (1), (2), (3)');

    await ch.kill('SIGKILL');
    expect(ch.running()).toBe(false);
    await expect(clickhouseQuery(ch.url, 'SELECT 1')).rejects.toThrow();

    await ch.start();
    expect(ch.running()).toBe(true);
    expect(await clickhouseQuery(ch.url, 'SELECT sum(k) FROM default.probe')).toBe('6\n');
  }, 30_000);

  it('removes its directory on destroy', async () => {
    const other = await startClickHouseServer();
    expect(existsSync(other.dataDir)).toBe(true);
    await other.destroy();
    expect(other.running()).toBe(false);
    expect(existsSync(other.dataDir)).toBe(false);
  }, 30_000);
});

describe('startZooKeeper', () => {
  it('serves standalone on its own port, stops, starts again and is removed', async () => {
    const zk = await startZooKeeper();
    try {
      expect(zk.port).not.toBe(2181);
      expect(await fourLetterWord(zk.port, 'srvr')).toContain('Mode: standalone');
      await zk.stop();
      expect(zk.running()).toBe(false);
      expect(await fourLetterWord(zk.port, 'ruok')).toBe('');
      await zk.start();
      expect(await fourLetterWord(zk.port, 'ruok')).toBe('imok');
    } finally {
      await zk.destroy();
    }
    expect(existsSync(zk.dataDir)).toBe(false);
  }, 30_000);
});
