/**
 * Cleans up the test servers and services of a test process however it dies. vitest ends its
 * workers without running `process.on('exit')` handlers (and Ctrl-C or a SIGKILL never runs
 * them), so private PostgreSQL/nats-server instances and service children would outlive a
 * failed run, holding ports, memory and temp dirs. Instead one detached reaper per test process
 * holds a pipe from it: when the pipe reaches EOF — the test process is gone, by any means —
 * the reaper signals whatever is still registered and removes the registered directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ReapEntry {
  /** A process to signal... */
  pid?: number;
  /** ...or a file whose first line is its pid, read at reaping time (postmaster.pid). */
  pidFile?: string;
  signal?: NodeJS.Signals;
  /** Removed (recursively) a moment after the signal. */
  dir?: string;
}

// Plain CommonJS for `node -e`: registrations arrive as JSON lines on stdin.
const REAPER = `
const { readFileSync, rmSync } = require('node:fs');
const live = new Map();
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) {
    const m = JSON.parse(buf.slice(0, i));
    if (m.op === 'add') live.set(m.id, m.entry); else live.delete(m.id);
  }
});
process.stdin.on('end', () => {
  for (const e of live.values()) {
    let pid = e.pid ?? 0;
    try { if (e.pidFile) pid = Number(readFileSync(e.pidFile, 'utf8').split('\\n')[0]); } catch {}
    try { if (pid > 0) process.kill(pid, e.signal ?? 'SIGKILL'); } catch {}
  }
  setTimeout(() => {
    for (const e of live.values())
      try { if (e.dir) rmSync(e.dir, { recursive: true, force: true }); } catch {}
  }, 1000);
});
`;

let reaper: ChildProcess | null | undefined;
let nextId = 0;

function instance(): ChildProcess | null {
  if (reaper !== undefined) return reaper;
  try {
    // Detached: its own session, so the Ctrl-C or group kill that ends the tests spares it.
    const r = spawn(process.execPath, ['-e', REAPER], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    r.on('error', () => (reaper = null));
    r.stdin!.on('error', () => undefined);
    r.unref();
    (r.stdin as unknown as { unref?: () => void }).unref?.();
    reaper = r;
  } catch {
    reaper = null; // best effort: without a reaper only the tests' own cleanup runs
  }
  return reaper;
}

/** Registers `entry` for cleanup if this process dies first; call the result to unregister. */
export function reapOnExit(entry: ReapEntry): () => void {
  const r = instance();
  if (r === null) return () => undefined;
  const id = ++nextId;
  r.stdin!.write(`${JSON.stringify({ op: 'add', id, entry })}\n`);
  return () => {
    if (r.stdin!.writable) r.stdin!.write(`${JSON.stringify({ op: 'del', id })}\n`);
  };
}
