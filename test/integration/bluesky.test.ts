// Bluesky end to end against a real local network (@atproto/dev-env: PLC and
// PDS on SQLite, no AppView, so the listener reads the PDS firehose): a
// customer's mention is heard by the account's listener workflow and answered
// in the thread; an escalation approved over HTTP is answered in the thread;
// a lost response and a redelivery still give exactly one reply.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtpAgent } from '@atproto/api';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { listenerStateQuery, listenerWorkflowId } from '../../src/workflows/listener-definitions';
import { startBlueskyNetwork, postAs, postsOf, type BlueskyNetwork } from '../helpers/bluesky';
import { fetchVia, startLossyProxy, type LossyProxy } from '../helpers/lossy-proxy';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const run = temporalAvailable() ? describe : describe.skip;
const DECISIONS = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const carla: TestUser = { name: 'carla', token: 'tok-carla', teams: { 'customer-care': 'agent' } };

run('Bluesky: listen and answer on a real local network', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let net: BlueskyNetwork;
  let proxy: LossyProxy;
  let svc: TestService;
  let brand: AtpAgent;
  let alice: AtpAgent;
  let brandDid: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    [server, bundle, net] = await Promise.all([startTestServer(), bundleWorkflows(), startBlueskyNetwork()]);
    timings.networkImportMs = net.startMs.import;
    timings.networkStartMs = net.startMs.network;
    brand = await net.account('brand.test');
    alice = await net.account('alice.test');
    brandDid = brand.session!.did;
    proxy = await startLossyProxy(net.pdsUrl);
    const pack = tempDir('bsky-pack');
    fs.cpSync(DECISIONS, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'accounts.yaml'),
      `accounts:
  - channel: bluesky
    handle: brand.test
    bluesky: { service: "${net.pdsUrl}", password: "\${HEARKEN_TEST_BSKY_PASSWORD}", capture: firehose }
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
    process.env.HEARKEN_TEST_BSKY_PASSWORD = 'hunter22';
    const data = tempDir('bsky-data');
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: pack,
      dataDir: data,
      tokensFile: writeTokensFile(data, [carla]),
      // Every call to the PDS (not the firehose) goes through the lossy proxy.
      connectorDeps: { fetch: fetchVia(net.pdsUrl, proxy.url) },
      listenRunMs: 15_000,
    });
    timings.beforeAllMs = Date.now() - t0;
  });

  afterAll(async () => {
    console.log(`bluesky timings: ${JSON.stringify(timings)}`);
    await svc?.stop();
    await proxy?.close();
    await net?.close();
    await server?.stop();
    delete process.env.HEARKEN_TEST_BSKY_PASSWORD;
  });

  const repliesTo = async (uri: string) => (await postsOf(brand, brandDid)).filter((p) => p.parent === uri);
  const interaction = (id: string) => getJson(`${svc.url}/v1/interactions/bluesky:${id}`);

  it('a mention is heard by the listener and answered in the thread, with a mention facet for the customer', async () => {
    const t0 = Date.now();
    const mention = await postAs(alice, '@brand.test my parcel never arrived');
    const state = await eventually(
      async () => {
        const s = await interaction(mention.id);
        return s.status === 200 ? s.body : null;
      },
      20_000,
      'the interaction of the mention',
      50,
    );
    timings.captureMs = Date.now() - t0;
    expect(state.posts[0]).toMatchObject({
      channel: 'bluesky',
      id: mention.id,
      threadId: mention.id,
      direct: false,
      author: { id: alice.session!.did, handle: 'alice.test' },
      text: '@brand.test my parcel never arrived',
      url: expect.stringMatching(/^https:\/\/bsky\.app\/profile\/alice\.test\/post\//),
    });
    const [reply] = await eventually(async () => {
      const r = await repliesTo(mention.uri);
      return r.length > 0 ? r : null;
    }, 20_000);
    timings.mentionToReplyMs = Date.now() - t0;
    expect(reply!.text).toBe("Hi @alice.test, we're on it.");
    expect(reply!.root).toBe(mention.uri);
    expect(JSON.stringify(reply!.facets)).toContain(alice.session!.did);
    const s = await eventually(async () => {
      const x = (await interaction(mention.id)).body;
      return x.replies?.length === 1 && x.commitments?.[0]?.status === 'met' ? x : null;
    });
    expect(s.replies[0].messageId).toBe(`${brandDid}~${reply!.uri.split('/').pop()}`);
    expect(s.replies[0].channel).toBe('bluesky:bluesky');
    // Hearken's own reply, heard back on the firehose, is not a post of the thread.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await interaction(mention.id)).body.posts).toHaveLength(1);
    // The retry waits for the lost attempt's start-to-close timeout (15 s): room for a busy box.
  }, 90_000);

  it('an escalation approved over HTTP is published in the same thread, under the customer’s reply to us', async () => {
    const first = await postAs(alice, '@brand.test hello?');
    const [ack] = await eventually(async () => {
      const r = await repliesTo(first.uri);
      return r.length > 0 ? r : null;
    }, 20_000);
    // The customer answers our reply (no mention): heard as a reply to us, in the same thread.
    const second = await postAs(alice, 'my bill is wrong, I was charged twice', {
      root: { uri: first.uri, cid: first.cid },
      parent: { uri: ack!.uri, cid: ack!.cid },
    });
    await eventually(
      async () => (await interaction(first.id)).body?.posts?.some((p: { id: string }) => p.id === second.id),
      20_000,
      'the reply heard in the thread',
    );
    // A fresh thread that selects the billing policy: interim reply, then escalation.
    const bill = await postAs(alice, '@brand.test my bill is wrong');
    await eventually(
      async () => ((await interaction(bill.id)).body?.status === 'awaiting-decision' ? true : null),
      20_000,
      'awaiting a decision',
    );
    const decided = await postJson(
      `${svc.url}/v1/escalations/bluesky:${bill.id}/decision`,
      { decision: 'approve', reply: 'We refunded the second charge, @alice.test.' },
      bearer(carla),
    );
    expect(decided.status).toBe(200);
    const replies = await eventually(async () => {
      const r = await repliesTo(bill.uri);
      return r.length === 2 ? r : null;
    }, 20_000);
    expect(replies.map((r) => r.text)).toEqual(["Hi @alice.test, we're on it.", 'We refunded the second charge, @alice.test.']);
    expect(replies.every((r) => r.root === bill.uri)).toBe(true);
  });

  it('when the PDS publishes a reply but the response is lost, the retry finds it: exactly one reply', async () => {
    const dropped = proxy.dropNextResponse((req) => req.method === 'POST' && (req.url ?? '').includes('com.atproto.repo.createRecord'));
    const mention = await postAs(alice, '@brand.test is anyone there?');
    await dropped;
    let last: any = null;
    const s = await eventually(async () => {
      last = (await interaction(mention.id)).body;
      return last?.replies?.length === 1 ? last : null;
    }, 75_000).catch((err) => {
      // Say what was there instead (no reply yet, or more than one).
      throw new Error(`${err.message}; replies: ${JSON.stringify(last?.replies ?? null)}; status ${last?.status}`);
    });
    expect(proxy.dropped()).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await repliesTo(mention.uri)).toHaveLength(1);
    expect(s.replies).toHaveLength(1);
    // The firehose carried the reply while its publish was still being retried: an echo, not a post of the thread.
    expect((await interaction(mention.id)).body.posts).toHaveLength(1);
    // The lost attempt ends only at its 15 s timeout, then the retry runs: on a busy box this outlasts the default 30 s.
  }, 120_000);

  it('a replay of the firehose from the start (a redelivery of every post) captures nothing twice and sends no second reply', async () => {
    const before = (await postsOf(brand, brandDid)).length;
    const handle = svc.client.workflow.getHandle(listenerWorkflowId('bluesky'));
    await handle.terminate('test: replay from the beginning');
    await svc.client.workflow.start('listener', {
      workflowId: listenerWorkflowId('bluesky'),
      taskQueue: svc.config.taskQueue,
      args: [{ accountId: 'bluesky', since: '2000-01-01T00:00:00Z', cursor: '0', runMs: 15_000 }],
    });
    const replayed = await eventually(
      async () => {
        const st = await svc.client.workflow.getHandle(listenerWorkflowId('bluesky')).query(listenerStateQuery);
        return st.rounds >= 1 ? st : null;
      },
      40_000,
      'a round of the replayed listener',
    );
    expect(replayed.totals.captured).toBe(0);
    expect(replayed.totals.duplicates).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await postsOf(brand, brandDid)).length).toBe(before);
  }, 60_000);

  it('a reply the brand makes in the app is recorded in its thread; the listener keeps its cursor', async () => {
    const mention = await postAs(alice, '@brand.test can you call me back?');
    const [ack] = await eventually(async () => {
      const r = await repliesTo(mention.uri);
      return r.length > 0 ? r : null;
    }, 20_000);
    const native = await postAs(brand, 'Calling you in 5 minutes!', {
      root: { uri: mention.uri, cid: mention.cid },
      parent: { uri: ack!.uri, cid: ack!.cid },
    });
    const s = await eventually(
      async () => {
        const x = (await interaction(mention.id)).body;
        return x?.posts?.some((p: { id: string }) => p.id === native.id) ? x : null;
      },
      20_000,
      'the brand reply in the thread',
    );
    expect(s.posts.find((p: { id: string }) => p.id === native.id).author).toMatchObject({ handle: 'brand.test', id: brandDid });
    // Recorded as the brand's reply (outside Hearken), answering the customer's post.
    expect(s.replies.find((r: { messageId: string }) => r.messageId === native.id)).toMatchObject({
      kind: 'brandPost',
      postId: mention.id,
    });
    const st = await svc.client.workflow.getHandle(listenerWorkflowId('bluesky')).query(listenerStateQuery);
    expect(st.status).toBe('listening');
  });
});
