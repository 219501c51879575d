/**
 * Where the installed PostgreSQL server binaries are and how to run them for
 * startPostgresServer: Debian keeps initdb/pg_ctl off PATH, and PostgreSQL refuses to run as
 * root, so as root they run as the `postgres` user (`runuser`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTALL_HINT =
  'install PostgreSQL (Debian: `apt-get install -y postgresql`; its binaries live in /usr/lib/postgresql/<version>/bin)';

/** The newest installed server binaries: Debian keeps initdb/pg_ctl off PATH. */
export function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = versions.map((v) => join(root, v, 'bin'));
  try {
    // Non-Debian layouts: pg_config's bindir (on Debian it may name the client-only package's).
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim(),
    );
  } catch {
    // no pg_config: only the Debian layout is searched
  }
  for (const dir of candidates)
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  throw new Error(
    `PostgreSQL server binaries (initdb, pg_ctl) not found under ${root}/<version>/bin nor in \`pg_config --bindir\`: ${INSTALL_HINT}`,
  );
}

export interface Runner {
  /** Runs a PostgreSQL binary (as `postgres` when we are root); throws with its output on failure. */
  (bin: string, args: string[]): Promise<void>;
}

export function runner(binDir: string, cwd: string): Runner {
  const asRoot = process.getuid?.() === 0;
  return (bin, args) =>
    new Promise((resolve, reject) => {
      const exe = join(binDir, bin);
      const [cmd, argv] = asRoot
        ? ['runuser', ['-u', 'postgres', '--', exe, ...args]]
        : [exe, args];
      // pg_ctl start hands the server's output to -l, so these pipes close when pg_ctl exits.
      const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('error', (e) => reject(new Error(`${cmd}: ${e.message}. ${INSTALL_HINT}`)));
      child.once('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${bin} ${args.join(' ')} exited ${code}:\n${output.trim()}`)),
      );
    });
}

/** uid and gid of the `postgres` user (created by Debian's postgresql package), if any. */
export function postgresUser(): [uid: number, gid: number] | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (line === undefined) return null;
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
