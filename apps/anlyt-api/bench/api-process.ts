/**
 * What the anlyt-api benches share: the real API (dist/main.js) as a child process on a free
 * port, ready when /readyz says so (and, where asked, once it reports ClickHouse up), and HS256
 * tokens as the platform's services would send them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { freePort } from '@anlyt/testing';

export const BENCH_SECRET = 'bench-secret-that-is-long-enough';
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  /** The last ~10 kB the API wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts dist/main.js with the bench secret, LOG_LEVEL=warn and `env` on top. */
export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  o: { needClickHouse?: boolean } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const full: NodeJS.ProcessEnv = {
    ...process.env,
    ANLYT_AUTH_JWT_SECRET: BENCH_SECRET,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...env,
  };
  // A developer's shell must not change what is measured.
  for (const k of ['ANLYT_AUTH_JWKS_URL', 'ANLYT_CONFIG_FILE', 'ANLYT_QUERY_CURSOR_SECRET'])
    if (!(k in env)) delete full[k];
  const child = spawn(process.execPath, [MAIN], { env: full, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const stop = () => stopChild(child);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ready = await fetch(`${base}/readyz`).then(
      async (r) =>
        r.ok &&
        (!o.needClickHouse ||
          ((await r.json()) as { checks?: { clickhouse?: boolean } }).checks?.clickhouse === true),
      () => false,
    );
    if (ready) return { child, base, stderr: () => stderr, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`anlyt-api (dist/main.js) did not become ready:\n${stderr.slice(0, 2000)}`);
}

/** SIGTERM, then SIGKILL after 5 s if it is still there; resolves once it exited. */
export async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** A bearer token of `role` for `sub`, valid `hours`. */
export async function benchToken(role: string, sub: string, hours = 4): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + hours * 3600)
    .sign(new TextEncoder().encode(BENCH_SECRET));
}
