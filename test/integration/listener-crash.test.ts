// A listener survives its worker: the worker is SIGKILLed while listening,
// posts arrive while no worker runs, and a new worker picks the listen round
// up from the last heartbeat's cursor. Every post is heard, none twice, and
// each gets exactly one reply. (Against mastodon-mock: it starts fastest.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRestAPIClient } from 'masto';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { listenerStateQuery, listenerWorkflowId } from '../../src/workflows/listener-definitions';
import { mastodonMockAvailable, retryingMock, startMastodonMock, type MastodonMock } from '../helpers/mastodon';
import { startLossyProxy, type LossyProxy } from '../helpers/lossy-proxy';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';

const run = temporalAvailable() && mastodonMockAvailable() ? describe : describe.skip;
const DECISIONS = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');

run('a listener whose worker is killed', () => {
  const children: Child[] = [];
  let server: DevServer | undefined;
  let api: TestService | undefined;
  let mock: MastodonMock | undefined;
  let proxy: LossyProxy | undefined;
  // Set by the first test, used by the second.
  let env: Record<string, string> = {};
  let posted: (text: string) => Promise<{ id: string }>;
  let repliesTo: (id: string) => Promise<Array<{ id: string }>>;

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await api?.stop();
    await proxy?.close();
    await mock?.close();
    await server?.stop();
  });

  it('misses no post and captures none twice after a SIGKILL; every mention gets exactly one reply', async () => {
    [server, mock] = await Promise.all([startTestServer(), startMastodonMock()]);
    const brandUser = await mock.user('brand');
    const aliceUser = await mock.user('alice');
    const brand = createRestAPIClient({ url: mock.url, accessToken: brandUser.token });
    const alice = createRestAPIClient({ url: mock.url, accessToken: aliceUser.token });
    proxy = await startLossyProxy(mock.url);
    const pack = tempDir('crash-pack');
    fs.cpSync(DECISIONS, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'accounts.yaml'),
      `accounts:\n  - channel: mastodon\n    handle: brand@mock.test\n    mastodon: { instance: "${proxy.url}", token: "\${HEARKEN_TEST_MASTO_TOKEN}" }\n`,
    );
    fs.writeFileSync(
      path.join(pack, 'addressed.policy.yaml'),
      'id: addressed\npriority: 10\nwhen: { addressedToUs: true }\nsteps:\n  - interimReply: { template: interim-ack }\n',
    );
    const dataDir = tempDir('crash-data');
    const taskQueue = 'listener-crash';
    api = await startTestService({
      temporalAddress: server.address,
      workflowBundle: await bundleWorkflows(),
      policiesDir: pack,
      dataDir,
      worker: false,
      taskQueue,
    });
    env = {
      TEMPORAL_ADDRESS: server.address,
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: pack,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: '0',
      HEARKEN_TEST_MASTO_TOKEN: brandUser.token,
    };
    repliesTo = async (id: string) =>
      (await brand.v1.accounts.$select(brandUser.id).statuses.list({ limit: 40 })).filter((s) => s.inReplyToId === id);
    posted = (text) => retryingMock(() => alice.v1.statuses.create({ status: text, visibility: 'public' }));
    const answered = (id: string) =>
      eventually(
        async () => {
          const r = await repliesTo(id);
          return r.length > 0 ? r : null;
        },
        60_000,
        `a reply to ${id}`,
      );

    const first = spawnHearken('src/runtime/worker-main.ts', env);
    children.push(first);
    await first.waitFor('Hearken is running');
    const m1 = await retryingMock(() => alice.v1.statuses.create({ status: '@brand first question', visibility: 'public' }));
    await answered(m1.id);
    // Let a heartbeat carry the cursor past m1, then kill the worker without warning.
    await new Promise((r) => setTimeout(r, 2500));
    await first.kill('SIGKILL');

    // Posted while no worker runs.
    const m2 = await retryingMock(() => alice.v1.statuses.create({ status: '@brand second question', visibility: 'public' }));
    const m3 = await retryingMock(() => alice.v1.statuses.create({ status: '@brand third question', visibility: 'direct' }));

    const t0 = Date.now();
    const second = spawnHearken('src/runtime/worker-main.ts', env);
    children.push(second);
    await second.waitFor('Hearken is running');
    await answered(m2.id);
    await answered(m3.id);
    console.log(`listener caught up ${Date.now() - t0} ms after the new worker started`);
    await new Promise((r) => setTimeout(r, 3000));

    for (const m of [m1, m2, m3]) {
      expect(await repliesTo(m.id), `replies to ${m.id}`).toHaveLength(1);
      const state = (await getJson(`${api.url}/v1/interactions/mastodon:${m.id}`)).body;
      expect(state.posts).toHaveLength(1);
      expect(state.replies).toHaveLength(1);
    }
    const listener = await api.client.workflow.getHandle(listenerWorkflowId('mastodon')).query(listenerStateQuery);
    expect(listener.status).toBe('listening');
  }, 180_000);

  it('a worker SIGKILLed while the platform creates its reply (the answer never reaches it): the next worker publishes nothing twice', async () => {
    let killed!: () => void;
    const whenKilled = new Promise<void>((r) => (killed = r));
    const reached = proxy!.dropNextResponse((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/statuses'), whenKilled);
    const m = await posted('@brand one more question');
    await reached; // the instance created the reply; its answer is held
    expect(await repliesTo(m.id)).toHaveLength(1);
    const running = children[children.length - 1]!;
    await running.kill('SIGKILL');
    killed();
    const t0 = Date.now();
    const next = spawnHearken('src/runtime/worker-main.ts', env);
    children.push(next);
    await next.waitFor('Hearken is running');
    const state = await eventually(
      async () => {
        const s = (await getJson(`${api!.url}/v1/interactions/mastodon:${m.id}`)).body;
        return s?.replies?.length === 1 ? s : null;
      },
      90_000,
      'the reply recorded after the publish was retried',
    );
    console.log(`publish retried and recorded ${Date.now() - t0} ms after the new worker started`);
    const replies = await repliesTo(m.id);
    expect(replies).toHaveLength(1);
    expect(state.replies[0].messageId).toBe(replies[0]!.id);
  }, 150_000);
});
