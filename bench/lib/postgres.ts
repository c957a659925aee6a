import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private PostgreSQL server for the peers section (Emmett on PostgreSQL): Debian's packages,
 * installed with apt-get when missing (as root), a throw-away cluster in a temporary folder on a
 * free port of 127.0.0.1, stopped and removed by `stop()` (also on SIGINT / SIGTERM and at exit).
 *
 * The cluster keeps PostgreSQL's durable defaults (`fsync = on`, `synchronous_commit = on`), as
 * Jalon's store syncs each commit to disk. When root, the server runs as the `postgres` user
 * (PostgreSQL refuses to run as root).
 */
export interface LocalPostgres {
  /** e.g. `PostgreSQL 15.18`. */
  readonly version: string;
  /** Creates a database and returns its connection string. */
  createDatabase(name: string): string;
  /** Stops the server and removes its folder; safe to call more than once. */
  stop(): void;
}

export type PostgresStart = { readonly ok: true; readonly server: LocalPostgres } | { readonly ok: false; readonly reason: string };

const DEBIAN_ROOT = '/usr/lib/postgresql';
const COMMAND_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 900_000;

/** The bin folder of the newest PostgreSQL installed from Debian's packages, if any. */
export function findPostgresBin(root = DEBIAN_ROOT): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && ['initdb', 'pg_ctl', 'postgres', 'createdb'].every((tool) => existsSync(join(root, name, 'bin', tool))))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function installFromDebian(log: (line: string) => void): string | null {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return 'PostgreSQL is not installed and apt-get is not available to install it';
  if (!isRoot()) return 'PostgreSQL is not installed (install Debian\'s `postgresql` package, or run as root to let the benchmark install it)';
  log('Peers: installing PostgreSQL from Debian\'s packages (apt-get install postgresql)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: INSTALL_TIMEOUT_MS });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'ignore', env, timeout: INSTALL_TIMEOUT_MS });
  } catch (error) {
    return `apt-get install postgresql failed: ${firstLine(error)}`;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: Buffer | string }).stderr;
  const text = stderr && String(stderr).trim() ? String(stderr) : error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0] ?? 'unknown error';
}

/** Installs (if needed) and starts a private PostgreSQL; never throws: a failure is a reason. */
export async function startLocalPostgres(log: (line: string) => void): Promise<PostgresStart> {
  let bin = findPostgresBin();
  if (!bin) {
    const failure = installFromDebian(log);
    if (failure) return { ok: false, reason: failure };
    bin = findPostgresBin();
    if (!bin) return { ok: false, reason: `PostgreSQL installed, but no initdb / pg_ctl under ${DEBIAN_ROOT}/<version>/bin` };
  }

  const asRoot = isRoot();
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    try {
      owner = {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      };
    } catch {
      return { ok: false, reason: 'running as root and there is no `postgres` user to run the server (PostgreSQL refuses root)' };
    }
  }
  // Runs a PostgreSQL tool, as the `postgres` user when root.
  const run = (tool: string, args: readonly string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin!, tool), asRoot ? ['-u', 'postgres', '--', join(bin!, tool), ...args] : [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: COMMAND_TIMEOUT_MS,
      encoding: 'utf8',
    });

  const dir = mkdtempSync(join(tmpdir(), 'jalon-bench-postgres-'));
  const data = join(dir, 'data');
  let started = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (started) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      } catch {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted: stop the server, then end as the signal would (other listeners, e.g. Emmett's, may
  // keep the process alive otherwise).
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const port = await freePort();
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale']);
    // Unix socket in the private folder, TCP on 127.0.0.1 only.
    run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    started = true;
    const version = `PostgreSQL ${/\d+(?:\.\d+)*/.exec(run('postgres', ['--version']))?.[0] ?? '?'}`;
    return {
      ok: true,
      server: {
        version,
        createDatabase: (name) => {
          run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
          return `postgresql://postgres@127.0.0.1:${port}/${name}`;
        },
        stop,
      },
    };
  } catch (error) {
    stop();
    return { ok: false, reason: `PostgreSQL could not be started: ${firstLine(error)}` };
  }
}
