import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;

export interface PgClientOptions {
  /** Pool size. A consumer needs 1–2: one transaction per batch at a time. */
  max?: number;
  applicationName?: string;
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
    connection: { application_name: opts.applicationName ?? 'anlyt', TimeZone: 'UTC' },
  });
}
