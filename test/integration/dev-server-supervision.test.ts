// `npm start` keeps its embedded dev server alive: killed from outside, it is
// started again on the same SQLite file, open interactions carry on and
// capture works again, without restarting Hearken.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, postJson } from '../helpers/service';
import { temporalAvailable, tempDir } from '../helpers/temporal';
import { writeTokensFile } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/follow-up');
const run = temporalAvailable() ? describe : describe.skip;

const post = (id: string) => ({
  channel: 'twitter',
  id,
  author: { id: 'u1', handle: 'jane', name: 'Jane' },
  text: '@sprintcare my order never arrived',
  createdAt: new Date().toISOString(),
});

/** Pids of `temporal server start-dev` processes using this data folder's SQLite file. */
function devServerPids(dataDir: string): number[] {
  const db = path.join(dataDir, 'temporal.sqlite');
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('start-dev') && line.includes(db) && !line.includes(' -e '))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

run('embedded dev server supervision', () => {
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGTERM')));
  });

  it('when the dev server is killed, it is restarted on the same data and capture works again', async () => {
    const dataDir = tempDir('supervised');
    const env = {
      PORT: String(await pickFreePort()),
      HEARKEN_DEV_SERVER_PORT: String(await pickFreePort()),
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: PACK,
      TEMPORAL_ADDRESS: '',
    };
    // The test's viewer and ingest tokens, which getJson and postJson send (instead of the admin token a first start would make).
    writeTokensFile(dataDir, []);
    const url = `http://127.0.0.1:${env.PORT}`;
    const hearken = spawnHearken('src/runtime/main.ts', env);
    children.push(hearken);
    await hearken.waitFor('Hearken is running', 90_000);
    expect((await postJson(`${url}/v1/posts`, post('before-kill'))).status).toBe(202);
    await eventually(async () => fs.existsSync(path.join(dataDir, 'outbox.jsonl')), 30_000, 'the interim reply');

    const pids = devServerPids(dataDir);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    await hearken.waitFor('Temporal dev server restarted', 90_000);
    expect(devServerPids(dataDir)).not.toContain(pids[0]);

    // The same Hearken process captures again, and the earlier interaction is still there.
    await eventually(
      async () => (await postJson(`${url}/v1/posts`, post('after-kill'))).status === 202,
      60_000,
      'capture after the restart',
    );
    const before = await getJson(`${url}/v1/interactions/twitter:before-kill`);
    expect(before.status).toBe(200);
    expect(before.body.posts).toHaveLength(1);
    expect(hearken.proc.exitCode).toBeNull();
  }, 240_000);
});
