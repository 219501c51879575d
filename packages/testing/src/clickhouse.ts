/**
 * ClickHouse for integration tests: a database per test on the machine's shared server, and a
 * tiny HTTP query helper. Plain fetch against the HTTP interface, so this package does not
 * depend on @clickhouse/client; the package under test brings its own client and migrations.
 *
 * URLs follow @clickhouse/client's convention: the path names the database
 * (http://127.0.0.1:8123/anlyt_t_ab12cd34ef), so one URL serves both that client and
 * clickhouseQuery. (The server itself ignores the path; the database goes in `?database=`.)
 */
import { randomBytes } from 'node:crypto';

export const TEST_CLICKHOUSE_URL = process.env['TEST_CLICKHOUSE_URL'] ?? 'http://127.0.0.1:8123';

export interface TestClickHouseDatabase {
  name: string;
  /** TEST_CLICKHOUSE_URL with the database as its path. */
  url: string;
  drop(): Promise<void>;
}

/** The HTTP endpoint and settings for `url`: its path becomes the `database` parameter. */
function endpoint(url: string): URL {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  u.pathname = '/';
  if (db !== '' && !u.searchParams.has('database')) u.searchParams.set('database', db);
  return u;
}

/**
 * POSTs `sql` and returns the response body (use `FORMAT JSONEachRow` etc. in the SQL for
 * structured output). Throws with the server's error text on any non-2xx answer — 18.16 maps
 * some query errors to 404 or 400 rather than 500.
 */
export async function clickhouseQuery(
  url: string,
  sql: string,
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const post = () =>
    fetch(endpoint(url), {
      method: 'POST',
      body: sql,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  // ClickHouse closes a keep-alive connection after 3 s idle, undici keeps it 4 s: a request
  // sent on a socket the server just closed fails before the server read it ("other side
  // closed"), so sending it again on a new connection cannot apply it twice.
  const res = await post().catch((err: unknown) => {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return post();
    throw err;
  });
  const text = await res.text();
  if (!res.ok) {
    const q = sql.length > 200 ? `${sql.slice(0, 200)}…` : sql;
    throw new Error(`ClickHouse ${res.status}: ${text.trim()}\n(query: ${q})`);
  }
  return text;
}

/** A new, empty, uniquely named database on the shared server; the caller migrates it. */
export async function createTestClickHouseDatabase(
  prefix = 'anlyt_t',
): Promise<TestClickHouseDatabase> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix))
    throw new Error(`database prefix must be a plain identifier: ${prefix}`);
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await clickhouseQuery(TEST_CLICKHOUSE_URL, `CREATE DATABASE ${name}`);
  const u = new URL(TEST_CLICKHOUSE_URL);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      await clickhouseQuery(TEST_CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
