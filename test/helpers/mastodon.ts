// PyPI's mastodon-mock (a stateful Mastodon API server for testing clients),
// provisioned into .tools by the install step. In CI a missing mock fails
// the suite instead of skipping it, like the Temporal CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pickFreePort } from '../../src/runtime/temporal/ports';

const LAUNCHER = path.resolve(import.meta.dirname, '../../.tools/bin/mastodon-mock');

export function mastodonMockPath(): string | null {
  const given = process.env.MASTODON_MOCK;
  if (given && fs.existsSync(given)) return given;
  return fs.existsSync(LAUNCHER) ? LAUNCHER : null;
}

export function mastodonMockAvailable(): boolean {
  if (mastodonMockPath()) return true;
  if (process.env.CI) {
    throw new Error('CI: mastodon-mock is not installed (run `npm install`: it goes into .tools/); the Mastodon tests must not be skipped');
  }
  return false;
}

export interface MockUser {
  id: string;
  acct: string;
  token: string;
}

export interface MastodonMock {
  url: string;
  startMs: number;
  user(username: string): Promise<MockUser>;
  close(): Promise<void>;
}

export async function startMastodonMock(): Promise<MastodonMock> {
  const t0 = Date.now();
  const port = await pickFreePort();
  const proc: ChildProcess = spawn(
    mastodonMockPath()!,
    ['serve', '--in-memory', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mastodon-mock exited (${proc.exitCode}):\n${out}`);
    const ok = await fetch(`${url}/api/v1/instance`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() - t0 > 60_000) throw new Error(`mastodon-mock did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    startMs: Date.now() - t0,
    async user(username) {
      const res = await fetch(`${url}/api/v1/_mock/dev_user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      const u = (await res.json()) as { id: string; username: string; access_token: string };
      return { id: u.id, acct: u.username, token: u.access_token };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * Runs a test client's call to the mock, again when the mock answers with a
 * server error (its in-memory SQLite occasionally fails a write under the
 * listeners' concurrent polling on a loaded machine). Hearken's own calls
 * need no such help: activities retry.
 */
export async function retryingMock<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      const e = err as { name?: string; statusCode?: number };
      const serverError = e.name === 'MastoUnexpectedError' || (e.statusCode !== undefined && e.statusCode >= 500);
      if (!serverError || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 300 * i));
    }
  }
}
