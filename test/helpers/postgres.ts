// A private PostgreSQL for integration tests, like the harness's Temporal dev
// server: initdb into a temporary folder, pg_ctl start on a free port, trust
// authentication on 127.0.0.1 only, stopped (and its folder removed) at the
// end. PostgreSQL refuses to run as root: as root, it runs as the `postgres`
// user. Missing binaries skip the tests, except under CI.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pickFreePort } from '../../src/runtime/temporal/ports';

const BIN_DIRS = ['/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function binary(name: string): string | null {
  for (const dir of BIN_DIRS) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  const which = spawnSync('which', [name], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

export function postgresAvailable(): boolean {
  const ok = binary('initdb') !== null && binary('pg_ctl') !== null;
  if (!ok && process.env.CI) throw new Error('CI: no PostgreSQL (initdb, pg_ctl) found; the PostgreSQL tests must not be skipped');
  return ok;
}

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** `fsync: true` for measurements (durable commits, as in production); tests skip it. */
export async function startPostgres(opts: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const initdb = binary('initdb')!;
  const pgCtl = binary('pg_ctl')!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  fs.chmodSync(dir, 0o700);
  run(initdb, ['-D', data, '-U', 'hearken', '--auth=trust', '-E', 'UTF8', ...(opts.fsync ? [] : ['--no-sync'])]);
  const port = await pickFreePort();
  run(pgCtl, [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${opts.fsync ? 'on' : 'off'} -c max_connections=100`,
    'start',
  ]);
  return {
    url: `postgres://hearken@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
