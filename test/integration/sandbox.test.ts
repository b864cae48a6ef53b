// `npm run sandbox` as a newcomer runs it: local Bluesky network, Mastodon
// mock, Hearken on an embedded dev server; `hearken sandbox post --wait`
// posts as the customer and sees the brand's reply in the thread; Ctrl-C
// stops everything.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { mastodonMockAvailable } from '../helpers/mastodon';
import { temporalAvailable, tempDir } from '../helpers/temporal';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = temporalAvailable() && mastodonMockAvailable() ? describe : describe.skip;

run('npm run sandbox', () => {
  let proc: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  });

  it('starts, answers the customer in the thread on Bluesky and on Mastodon, and stops on SIGINT', async () => {
    const dataDir = tempDir('sandbox');
    const env = {
      ...process.env,
      HEARKEN_DATA_DIR: dataDir,
      PORT: '0',
      HEARKEN_DEV_SERVER_PORT: String(await pickFreePort()),
      LOG_LEVEL: 'warn',
    };
    const t0 = Date.now();
    proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('Ctrl-C stops everything')) {
      if (proc.exitCode !== null) throw new Error(`sandbox exited:\n${out}`);
      if (Date.now() - t0 > 150_000) throw new Error(`sandbox did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`sandbox started in ${Date.now() - t0} ms`);
    const file = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox.json'), 'utf8'));
    expect(file.bluesky.brand.handle).toBe('brand.test');
    expect(file.mastodon.customer.acct).toBe('customer');
    expect(out).toContain('npx hearken sandbox post --as customer --wait "@brand.test my order never arrived"');

    const post = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/hearken.mjs', 'sandbox', 'post', '--as', 'customer', '--wait', ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const bsky = post('@brand.test my order never arrived');
    expect(bsky.status, bsky.stderr).toBe(0);
    expect(bsky.stdout).toMatch(/^posted as @customer\.test: at:\/\//mu);
    expect(bsky.stdout).toMatch(/^@brand\.test replied after \d+ ms: Hi @customer\.test, /mu);
    console.log(bsky.stdout.trim());
    const masto = post('--mastodon', '@brand my order never arrived');
    expect(masto.status, masto.stderr).toBe(0);
    expect(masto.stdout).toMatch(/^@brand replied after \d+ ms: @customer Hi customer, /mu);
    console.log(masto.stdout.trim());

    proc.kill('SIGINT');
    await new Promise<void>((resolve) => proc!.once('exit', () => resolve()));
    expect(out).toContain('Sandbox stopped.');
  }, 240_000);
});
