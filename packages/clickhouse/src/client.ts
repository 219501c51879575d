import {
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
  type Logger as ClientLogger,
} from '@clickhouse/client';

export type { ClickHouseClient };

/** The part of our (pino) logger the client bridge needs. */
export interface LogSink {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface ClickHouseOptions {
  /** http://host:8123 — credentials in the URL are honoured by the client. */
  url: string;
  /** The database every unqualified name resolves to; our SQL qualifies names anyway. */
  database?: string;
  /** Client-side timeout of one request (the server has its own max_execution_time). */
  requestTimeoutMs?: number;
  maxOpenConnections?: number;
  log?: LogSink;
  applicationName?: string;
}

/**
 * A client for the HTTP interface. The client's own console logger is replaced: its warnings
 * go to our logger, its error lines to debug — every failed request also rejects its promise,
 * and the caller that handles the rejection is the one that logs it (once, with context).
 */
export function createClickHouse(o: ClickHouseOptions): ClickHouseClient {
  const sink = o.log;
  class Bridge implements ClientLogger {
    trace() {}
    debug() {}
    info() {}
    warn(p: { module: string; message: string; err?: Error }) {
      sink?.warn({ module: p.module, err: p.err?.message }, `clickhouse client: ${p.message}`);
    }
    error(p: { module: string; message: string; err: Error }) {
      sink?.debug({ module: p.module, err: p.err.message }, `clickhouse client: ${p.message}`);
    }
  }
  return createClient({
    url: o.url,
    ...(o.database === undefined ? {} : { database: o.database }),
    application: o.applicationName ?? 'anlyt',
    request_timeout: o.requestTimeoutMs ?? 60_000,
    max_open_connections: o.maxOpenConnections ?? 4,
    // 18.16 knows none of the settings newer clients like to send; send none by default.
    clickhouse_settings: {},
    log: { LoggerClass: Bridge, level: sink ? ClickHouseLogLevel.WARN : ClickHouseLogLevel.OFF },
  });
}

export interface ServerVersion {
  text: string;
  major: number;
  minor: number;
}

/** `SELECT version()`, read at start: it decides which version-gated migrations apply. */
export async function readServerVersion(ch: ClickHouseClient): Promise<ServerVersion> {
  const rs = await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
  const [row] = await rs.json<{ v: string }>();
  return parseVersion(row?.v ?? '');
}

export function parseVersion(text: string): ServerVersion {
  const m = /^(\d+)\.(\d+)/.exec(text);
  if (!m) throw new Error(`unrecognised ClickHouse version ${JSON.stringify(text)}`);
  return { text, major: Number(m[1]), minor: Number(m[2]) };
}

/** major.minor ≥ the other's. */
export function atLeast(v: ServerVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** Runs one statement that returns nothing (DDL, INSERT … SELECT, ALTER). */
export async function exec(ch: ClickHouseClient, sql: string): Promise<void> {
  const r = await ch.command({ query: sql });
  void r;
}

/** Runs a SELECT and returns its rows (64-bit integers arrive as strings: keep them so). */
export async function rows<T>(ch: ClickHouseClient, sql: string): Promise<T[]> {
  const rs = await ch.query({ query: sql, format: 'JSONEachRow' });
  return rs.json<T>();
}

/**
 * Whether the server answers `/ping` within `timeoutMs` (a readiness probe must not hang for
 * the client's request timeout while the server is unreachable).
 */
export async function answersPing(ch: ClickHouseClient, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  const probe = ch.ping().then(
    (r) => r.success,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
