// Mastodon end to end against PyPI's mastodon-mock (a stateful Mastodon API
// server): mentions and direct messages are heard by the account's listener
// (notifications polled with a min_id cursor) and answered in the thread with
// the same visibility; an approved escalation is answered in the thread; a
// lost response still gives exactly one reply (Idempotency-Key).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestAPIClient, type mastodon } from 'masto';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { startLossyProxy, type LossyProxy } from '../helpers/lossy-proxy';
import { mastodonMockAvailable, retryingMock, startMastodonMock, type MastodonMock, type MockUser } from '../helpers/mastodon';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';
import { MastodonSession } from '../../src/channels/mastodon/client';

const run = temporalAvailable() && mastodonMockAvailable() ? describe : describe.skip;
const DECISIONS = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const carla: TestUser = { name: 'carla', token: 'tok-carla', teams: { 'customer-care': 'agent' } };

run('Mastodon: listen and answer against mastodon-mock', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let mock: MastodonMock;
  let proxy: LossyProxy;
  let svc: TestService;
  let brandUser: MockUser;
  let supportUser: MockUser;
  let brand: mastodon.rest.Client;
  let alice: mastodon.rest.Client;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    [server, bundle, mock] = await Promise.all([startTestServer(), bundleWorkflows(), startMastodonMock()]);
    timings.mockStartMs = mock.startMs;
    brandUser = await mock.user('brand');
    const aliceUser = await mock.user('alice');
    brand = createRestAPIClient({ url: mock.url, accessToken: brandUser.token });
    alice = createRestAPIClient({ url: mock.url, accessToken: aliceUser.token });
    proxy = await startLossyProxy(mock.url);
    const pack = tempDir('masto-pack');
    fs.cpSync(DECISIONS, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'accounts.yaml'),
      `accounts:
  - channel: mastodon
    handle: brand@mock.test
    mastodon: { instance: "${proxy.url}", token: "\${HEARKEN_TEST_MASTO_TOKEN}" }
  - id: support
    channel: mastodon
    handle: support@mock.test
    mastodon: { instance: "${mock.url}", token: "\${HEARKEN_TEST_MASTO_SUPPORT_TOKEN}" }
brand:
  names: [Brand]
`,
    );
    fs.writeFileSync(
      path.join(pack, 'addressed.policy.yaml'),
      `id: addressed
priority: 10
when: { addressedToUs: true }
commitments: { firstResponse: 5m }
steps:
  - interimReply: { template: interim-ack }
`,
    );
    process.env.HEARKEN_TEST_MASTO_TOKEN = brandUser.token;
    supportUser = await mock.user('support');
    process.env.HEARKEN_TEST_MASTO_SUPPORT_TOKEN = supportUser.token;
    const data = tempDir('masto-data');
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: pack,
      dataDir: data,
      tokensFile: writeTokensFile(data, [carla]),
      listenRunMs: 15_000,
    });
    timings.beforeAllMs = Date.now() - t0;
  });

  afterAll(async () => {
    console.log(`mastodon timings: ${JSON.stringify(timings)}`);
    await svc?.stop();
    await proxy?.close();
    await mock?.close();
    await server?.stop();
    delete process.env.HEARKEN_TEST_MASTO_TOKEN;
    delete process.env.HEARKEN_TEST_MASTO_SUPPORT_TOKEN;
  });

  const repliesTo = async (statusId: string) => {
    const mine = await brand.v1.accounts.$select(brandUser.id).statuses.list({ limit: 40 });
    return mine.filter((s) => s.inReplyToId === statusId).reverse();
  };
  const interaction = (id: string) => getJson(`${svc.url}/v1/interactions/mastodon:${id}`);

  it('a public mention is heard and answered in the thread, publicly, mentioning the customer', async () => {
    const t0 = Date.now();
    const mention = await retryingMock(() => alice.v1.statuses.create({ status: '@brand my parcel never arrived', visibility: 'public' }));
    const state = await eventually(
      async () => {
        const s = await interaction(mention.id);
        return s.status === 200 ? s.body : null;
      },
      20_000,
      'the interaction',
      50,
    );
    timings.captureMs = Date.now() - t0;
    expect(state.posts[0]).toMatchObject({
      channel: 'mastodon',
      id: mention.id,
      threadId: mention.id,
      direct: false,
      author: { id: mention.account.id, handle: 'alice', followers: 0 },
      text: '@brand my parcel never arrived',
    });
    const [reply] = await eventually(async () => {
      const r = await repliesTo(mention.id);
      return r.length > 0 ? r : null;
    }, 20_000);
    timings.mentionToReplyMs = Date.now() - t0;
    expect(reply!.visibility).toBe('public');
    expect(reply!.content).toContain("@alice Hi alice, we're on it.");
    const ctx = await alice.v1.statuses.$select(mention.id).context.fetch();
    expect(ctx.descendants.map((d) => d.id)).toEqual([reply!.id]);
    await eventually(async () => ((await interaction(mention.id)).body.replies?.[0]?.messageId === reply!.id ? true : null));
  });

  it('a direct message is answered by direct message', async () => {
    const dm = await retryingMock(() => alice.v1.statuses.create({ status: '@brand please reset my password', visibility: 'direct' }));
    const [reply] = await eventually(async () => {
      const r = await repliesTo(dm.id);
      return r.length > 0 ? r : null;
    }, 20_000);
    expect(reply!.visibility).toBe('direct');
    expect(reply!.mentions.map((m) => m.acct)).toContain('alice');
    const state = (await interaction(dm.id)).body;
    expect(state.posts[0].direct).toBe(true);
    expect(state.triage.addressedReason).toBe('direct');
  });

  it('an escalation approved over HTTP is answered in the thread, and the customer’s answer to us joins it', async () => {
    const bill = await retryingMock(() => alice.v1.statuses.create({ status: '@brand my bill is wrong', visibility: 'unlisted' }));
    await eventually(async () => ((await interaction(bill.id)).body?.status === 'awaiting-decision' ? true : null), 20_000);
    const decided = await postJson(
      `${svc.url}/v1/escalations/mastodon:${bill.id}/decision`,
      { decision: 'approve', reply: 'We refunded the second charge.' },
      bearer(carla),
    );
    expect(decided.status).toBe(200);
    const replies = await eventually(async () => {
      const r = await repliesTo(bill.id);
      return r.length === 2 ? r : null;
    }, 20_000);
    expect(replies.map((r) => r.visibility)).toEqual(['unlisted', 'unlisted']);
    expect(replies[1]!.content).toContain('We refunded the second charge.');
    const answer = await retryingMock(() =>
      alice.v1.statuses.create({ status: '@brand thanks!', inReplyToId: replies[1]!.id, visibility: 'unlisted' }),
    );
    const state = await eventually(async () => {
      const s = (await interaction(bill.id)).body;
      return s?.posts?.some((p: { id: string }) => p.id === answer.id) ? s : null;
    }, 20_000);
    expect(state.posts.find((p: { id: string }) => p.id === answer.id)).toMatchObject({
      threadId: bill.id,
      inReplyToAuthor: 'brand@mock.test',
    });
  });

  it('when the instance creates the reply but the response is lost, the retry (same Idempotency-Key) gives exactly one reply', async () => {
    const dropped = proxy.dropNextResponse((req) => req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/statuses'));
    const mention = await retryingMock(() => alice.v1.statuses.create({ status: '@brand is anyone there?', visibility: 'public' }));
    await dropped;
    const s = await eventually(async () => {
      const x = (await interaction(mention.id)).body;
      return x?.replies?.length === 1 ? x : null;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const replies = await repliesTo(mention.id);
    expect(replies).toHaveLength(1);
    expect(s.replies[0].messageId).toBe(replies[0]!.id);
  });

  it('a reply the brand makes in the app is recorded in its thread; Hearken’s own replies are not', async () => {
    const mention = await retryingMock(() => alice.v1.statuses.create({ status: '@brand can you call me?', visibility: 'public' }));
    const [ack] = await eventually(async () => {
      const r = await repliesTo(mention.id);
      return r.length > 0 ? r : null;
    }, 20_000);
    const native = await retryingMock(() =>
      brand.v1.statuses.create({ status: '@alice calling you now', inReplyToId: mention.id, visibility: 'public' }),
    );
    const state = await eventually(async () => {
      const x = (await interaction(mention.id)).body;
      // The post joins the thread first; it is recorded as the brand's reply once it is assessed.
      const heard = x?.posts?.some((p: { id: string }) => p.id === native.id);
      const recorded = x?.replies?.some((r: { messageId: string }) => r.messageId === native.id);
      return heard && recorded ? x : null;
    }, 40_000);
    expect(state.posts.find((p: { id: string }) => p.id === native.id).author).toMatchObject({
      handle: 'brand@mock.test',
      id: brandUser.id,
    });
    expect(state.posts.some((p: { id: string }) => p.id === ack!.id)).toBe(false);
    expect(state.replies.find((r: { messageId: string }) => r.messageId === native.id)).toMatchObject({
      kind: 'brandPost',
      postId: mention.id,
    });
  }, 90_000);

  it('GET /v1/channels shows the listener: listening, its cursor, the last post, its lag and counts', async () => {
    expect((await getJson(`${svc.url}/v1/channels`, {})).status).toBe(401);
    // Heartbeats are throttled: the round in progress shows up within a few seconds.
    const ch = await eventually(async () => {
      const res = await getJson(`${svc.url}/v1/channels`, bearer(carla));
      expect(res.status).toBe(200);
      const c = res.body.channels[0];
      return c?.listener?.totals?.brandReplies >= 1 ? c : null;
    }, 20_000);
    expect(ch).toMatchObject({
      id: 'mastodon',
      channel: 'mastodon',
      handle: 'brand@mock.test',
      kind: 'mastodon',
      textLimit: { max: 500, unit: 'characters' },
      warnings: [],
      listener: { workflowId: 'listener:mastodon', status: 'listening', lastError: null },
    });
    expect(ch.listener.cursor).toMatch(/^\d+:\d+$/);
    expect(ch.listener.totals.captured).toBeGreaterThanOrEqual(5);
    expect(ch.listener.totals.brandReplies).toBeGreaterThanOrEqual(1);
    expect(ch.listener.lagMs).toBeGreaterThanOrEqual(0);
  });

  it('warns when the account’s notification policy (Mastodon 4.3+) filters mentions', async () => {
    const session = new MastodonSession({ id: 'm', handle: 'brand@mock.test', instance: mock.url, token: brandUser.token });
    expect(await session.notificationPolicyWarnings()).toEqual([]);
    await fetch(`${mock.url}/api/v2/notifications/policy`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${brandUser.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ for_not_following: 'filter' }),
    });
    const [warning] = await session.notificationPolicyWarnings();
    expect(warning).toMatch(/brand@mock\.test: its notification policy filters or drops mentions \(for_not_following: filter\)/);
  });

  it('with two connected accounts on the channel, a post addressed to the second is answered by the second', async () => {
    const support = createRestAPIClient({ url: mock.url, accessToken: supportUser.token });
    const mention = await retryingMock(() => alice.v1.statuses.create({ status: '@support my router blinks red', visibility: 'public' }));
    const reply = await eventually(async () => {
      const mine = await support.v1.accounts.$select(supportUser.id).statuses.list({ limit: 20 });
      return mine.find((s) => s.inReplyToId === mention.id) ?? null;
    }, 20_000);
    expect(reply.account.acct).toBe('support');
    expect(await repliesTo(mention.id)).toHaveLength(0);
    const state = (await interaction(mention.id)).body;
    expect(state.replies[0]).toMatchObject({ messageId: reply.id, channel: 'mastodon:support' });
  });
});
