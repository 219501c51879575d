import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;

export interface PgClientOptions {
  /** Pool size. A consumer needs 1–2: one transaction per batch at a time. */
  max?: number;
  applicationName?: string;
  /**
   * statement_timeout and idle_in_transaction_session_timeout for the session. The consumer
   * sets them so that no transaction stays open unboundedly: the rollup's change margin
   * (ROLLUP_CHANGE_MARGIN_S) relies on that bound.
   */
  statementTimeoutMs?: number;
  /**
   * Turn the JIT off for this session. The API's read queries are short; with the server's
   * JIT on, inflated row estimates made them pay 70–350 ms of compilation on every call
   * (docs/benchmarks.md).
   */
  jitOff?: boolean;
}

/**
 * A postgres.js client for raw, set-based SQL. numeric and int8 stay strings (exact), and
 * the session runs in UTC so date_trunc and ::date agree with the UTC buckets.
 * Keep it separate from the client handed to drizzle: drizzle swaps parsers on the client
 * it is given (STACK.md).
 */
export function createSql(url: string, opts: PgClientOptions = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 2,
    onnotice: () => {},
    connection: {
      application_name: opts.applicationName ?? 'anlyt',
      TimeZone: 'UTC',
      ...(opts.jitOff ? { jit: 'off' } : {}),
      ...(opts.statementTimeoutMs === undefined
        ? {}
        : {
            statement_timeout: opts.statementTimeoutMs,
            idle_in_transaction_session_timeout: opts.statementTimeoutMs,
          }),
    },
  });
}
