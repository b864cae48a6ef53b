// A private PostgreSQL for the cluster: its own data folder made by initdb,
// started with pg_ctl on a loopback port, trust authentication for the one
// role Temporal uses. PostgreSQL refuses to run as root, so a root caller
// (CI containers) runs its commands as the `postgres` system user.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PG_USER = 'temporal';

export interface Postgres {
  dir: string;
  port: number;
}

const asRoot = process.getuid?.() === 0;

/** PostgreSQL's tools: on PATH, else the newest Debian/Ubuntu install. */
function pgBin(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(debian, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(
    `PostgreSQL's ${name} was not found (neither on PATH nor under /usr/lib/postgresql/*/bin). ` +
      'Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), or point TEMPORAL_ADDRESS at an existing cluster.',
  );
}

function run(name: string, args: string[]): SpawnSyncReturns<string> {
  const bin = pgBin(name);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

function mustRun(name: string, args: string[]): string {
  const r = run(name, args);
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Creates the database cluster once; later starts reuse it. */
export function initPostgres(pg: Postgres): void {
  if (fs.existsSync(path.join(pg.dir, 'PG_VERSION'))) return;
  fs.mkdirSync(pg.dir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    spawnSync('chown', ['postgres:', pg.dir]);
    // The postgres user must reach its folder: every folder above it gets
    // search permission for others (x only, not read: nothing is listed).
    for (let dir = path.dirname(pg.dir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    }
  }
  // trust on loopback only (listen_addresses below): a private, single-user cluster.
  mustRun('initdb', ['-D', pg.dir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--no-instructions']);
}

export function startPostgres(pg: Postgres): void {
  const opts = [
    `-p ${pg.port}`,
    "-c listen_addresses='127.0.0.1'",
    // No socket in /var/run/postgresql (may not exist or be writable); TCP only.
    "-c unix_socket_directories=''",
    // Four Temporal services × (persistence + visibility pools) need more than the default 100.
    '-c max_connections=250',
  ].join(' ');
  mustRun('pg_ctl', ['-D', pg.dir, '-l', path.join(pg.dir, 'postgres.log'), '-o', opts, '-w', '-t', '60', 'start']);
}

export function postgresRunning(pg: Postgres): boolean {
  return fs.existsSync(path.join(pg.dir, 'PG_VERSION')) && run('pg_ctl', ['-D', pg.dir, 'status']).status === 0;
}

/** Fast shutdown: open transactions roll back, everything committed is on disk (`immediate`: crash recovery at the next start). */
export function stopPostgres(pg: Postgres, mode: 'fast' | 'immediate' = 'fast'): void {
  if (postgresRunning(pg)) mustRun('pg_ctl', ['-D', pg.dir, '-m', mode, '-w', '-t', '60', 'stop']);
}
