import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSql, runMigrations, type Sql } from '@anlyt/pg';

/** The machine's PostgreSQL (trust auth). Tests create their own databases on it. */
export const TEST_PG_ADMIN_URL =
  process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** A raw postgres.js client on the test database (numeric/int8 as strings). */
  sql: Sql;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database with the anlyt migrations applied, unique to the calling test. */
export async function createTestDatabase(prefix = 'anlyt_t'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(TEST_PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  await runMigrations(url);
  const sql = createSql(url, { max: 4, applicationName: 'anlyt-test' });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = postgres(TEST_PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
