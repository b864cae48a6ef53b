// Nothing lost, nothing sent twice: a worker killed mid-interaction, and the
// whole all-in-one process killed and restarted on the same data folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { writeTokensFile } from '../helpers/tokens';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/follow-up');
const run = temporalAvailable() ? describe : describe.skip;

function outbox(dataDir: string): Array<{ idempotencyKey: string; interactionId: string }> {
  const file = path.join(dataDir, 'outbox.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const post = (id: string) => ({
  channel: 'twitter',
  id,
  author: { id: 'u1', handle: 'jane', name: 'Jane' },
  text: '@sprintcare my order never arrived',
  createdAt: new Date().toISOString(),
});

run('crash recovery', () => {
  const children: Child[] = [];
  let server: DevServer | undefined;
  let api: TestService | undefined;

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await api?.stop();
    await server?.stop();
  });

  it('when the worker dies mid-interaction, another worker completes it with each reply published exactly once', async () => {
    server = await startTestServer();
    const dataDir = tempDir('crash');
    const taskQueue = 'crash-test';
    api = await startTestService({
      temporalAddress: server.address,
      workflowBundle: await bundleWorkflows(),
      policiesDir: PACK,
      dataDir,
      worker: false,
      taskQueue,
    });
    const env = { TEMPORAL_ADDRESS: server.address, HEARKEN_DATA_DIR: dataDir, HEARKEN_POLICIES_DIR: PACK, TEMPORAL_TASK_QUEUE: taskQueue };

    const first = spawnHearken('src/runtime/worker-main.ts', env);
    children.push(first);
    await first.waitFor('Hearken is running');
    expect((await postJson(`${api.url}/v1/posts`, post('crash-1'))).status).toBe(202);
    await eventually(async () => outbox(dataDir).length >= 1, 30_000, 'the interim reply');
    // Killed right after the publish: its completion may never have reached Temporal.
    await first.kill('SIGKILL');
    expect(outbox(dataDir)).toHaveLength(1);

    const second = spawnHearken('src/runtime/worker-main.ts', env);
    children.push(second);
    await second.waitFor('Hearken is running');
    await eventually(async () => outbox(dataDir).length >= 2, 60_000, 'the follow-up after the restart');
    const state = await eventually(
      async () => {
        const s = await getJson(`${api!.url}/v1/interactions/twitter:crash-1`);
        return s.body?.status === 'resolved' ? s.body : null;
      },
      30_000,
      'resolved',
    );
    expect(state.replies).toHaveLength(2);
    const keys = outbox(dataDir).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(2);
    await second.kill('SIGTERM');
    await api.stop();
    api = undefined;
    await server.stop();
    server = undefined;
  }, 180_000);

  it('npm start killed with SIGKILL and restarted on the same data folder loses nothing and publishes nothing twice', async () => {
    const dataDir = tempDir('restart');
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
    const one = spawnHearken('src/runtime/main.ts', env);
    children.push(one);
    await one.waitFor('Hearken is running', 90_000);
    expect(one.output()).toContain(`API:         ${url}`);
    expect(one.output()).toMatch(/Temporal UI: http:\/\/127\.0\.0\.1:\d+/);
    expect((await postJson(`${url}/v1/posts`, post('restart-1'))).status).toBe(202);
    await eventually(async () => outbox(dataDir).length >= 1, 30_000, 'the interim reply');
    await one.kill('SIGKILL');

    const two = spawnHearken('src/runtime/main.ts', env);
    children.push(two);
    await two.waitFor('Hearken is running', 90_000);
    await eventually(async () => outbox(dataDir).length >= 2, 60_000, 'the follow-up after the restart');
    const state = await eventually(
      async () => {
        const s = await getJson(`${url}/v1/interactions/twitter:restart-1`);
        return s.body?.status === 'resolved' ? s.body : null;
      },
      30_000,
      'resolved',
    );
    expect(state.posts).toHaveLength(1);
    expect(state.replies.map((r: { kind: string }) => r.kind)).toEqual(['interimReply', 'followUp']);
    // A duplicate delivery after the restart is still recognised.
    const again = await postJson(`${url}/v1/posts`, post('restart-1'));
    expect(again.body.duplicate).toBe(true);
    expect(outbox(dataDir)).toHaveLength(2);
    await two.kill('SIGTERM');
    expect(two.output()).toContain('Hearken stopped.');
  }, 240_000);
});
