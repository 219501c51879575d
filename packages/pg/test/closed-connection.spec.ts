/**
 * postgres.js 3.4.9 crashes the whole process when a connection dies inside `sql.begin`:
 * the failed query makes begin send ROLLBACK on the dead connection, whose socket is
 * already null, and the write throws from a setImmediate (porsager/postgres#1154, #1208).
 * The repo patches the driver (patches/postgres@3.4.9.patch). This runs the failure in a
 * child process against the machine's real PostgreSQL — killing only its own backend — so
 * a crash shows up as an exit code instead of taking the test runner down.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PG_URL = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

// The backend of an open transaction is terminated while a query runs in it.
const SCENARIO = `
import postgres from 'postgres';
const url = process.argv[1];
const sql = postgres(url, { max: 2, onnotice: () => {} });
const admin = postgres(url, { max: 1, onnotice: () => {} });
const out = {};
try {
  await sql.begin(async (tx) => {
    const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
    setTimeout(() => admin\`select pg_terminate_backend(\${pid})\`.catch(() => {}), 200);
    await tx\`select pg_sleep(5)\`;
  });
  out.begin = 'committed';
} catch (e) {
  out.begin = e.code;
}
await new Promise((r) => setTimeout(r, 300));
out.after = await sql\`select 41 + 1 as n\`.then((r) => r[0].n, (e) => 'failed: ' + e.code);
await Promise.all([sql.end({ timeout: 2 }), admin.end({ timeout: 2 })]);
console.log(JSON.stringify(out));
`;

describe('a connection that dies inside a transaction', () => {
  it('rejects the transaction with CONNECTION_CLOSED, the pool reconnects, the process lives', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCENARIO, PG_URL], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr, 'the child wrote to stderr (an uncaught error?)').toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ begin: 'CONNECTION_CLOSED', after: 42 });
  });
});
