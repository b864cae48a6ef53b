// The walking skeleton end to end, over HTTP, on a real Temporal dev server:
// capture → triage → policy → durable workflow → reply in the outbox.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { capturePostWithRetry } from '../../src/client/capture';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';

const FIXTURE_PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() ? describe : describe.skip;

const outboxLines = (svc: TestService) => jsonLines(svc.config.dataDir, 'outbox.jsonl');

const post = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  channel: 'twitter',
  id,
  author: { id: `u-${id}`, handle: 'jane', name: 'Jane' },
  text,
  createdAt: new Date().toISOString(),
  ...extra,
});

run('capture to reply on a real Temporal server', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: FIXTURE_PACK });
  });

  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('reports healthy when Temporal is reachable', async () => {
    const res = await getJson(`${svc.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('when a customer mentions us, one interim reply is published and the first-response commitment is met', async () => {
    const res = await postJson(`${svc.url}/v1/posts`, post('100', '@sprintcare my phone has no signal since this morning'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ interactionId: 'twitter:100', postId: '100', duplicate: false });

    const lines = await eventually(
      async () => {
        const l = outboxLines(svc).filter((x) => x.interactionId === 'twitter:100');
        return l.length === 1 ? l : null;
      },
      20_000,
      'the interim reply in outbox.jsonl',
    );
    expect(lines[0]).toMatchObject({
      interactionId: 'twitter:100',
      postId: '100',
      channel: 'twitter',
      inReplyTo: '100',
      text: "Hi Jane, thanks for reaching out! We're looking into it.",
    });
    expect(lines[0]!.idempotencyKey).toMatch(/^twitter:100\//);
    expect(typeof lines[0]!.publishedAt).toBe('string');

    const state = await eventually(
      async () => {
        const s = await getJson(`${svc.url}/v1/interactions/twitter:100`);
        return s.body?.commitments?.[0]?.status === 'met' ? s.body : null;
      },
      10_000,
      'firstResponse met',
    );
    expect(state.status).toBe('resolved');
    expect(state.policy.id).toBe('addressed');
    expect(state.policy.version).toMatch(/sha256:|\+/);
    expect(state.triage).toMatchObject({ addressedToUs: true, addressedReason: 'mention' });
    expect(state.replies).toHaveLength(1);
    expect(state.commitments[0]).toMatchObject({ name: 'firstResponse', status: 'met' });
    expect(state.commitments[0].marginMs).toBeGreaterThan(0);

    const history = await getJson(`${svc.url}/v1/interactions/twitter:100/history`);
    expect(history.status).toBe(200);
    const types: string[] = history.body.events.map((e: { type: string }) => e.type);
    const order = ['post.captured', 'post.triaged', 'policy.selected', 'reply.published', 'commitment.met'].map((t) => types.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const selected = history.body.events.find((e: { type: string }) => e.type === 'policy.selected');
    expect(selected).toMatchObject({ policy: 'addressed', version: state.policy.version });
  });

  it('the same post captured twice is one post: the second answer says duplicate and nothing is sent twice', async () => {
    const p = post('200', '@sprintcare is anyone there?');
    const first = await postJson(`${svc.url}/v1/posts`, p);
    const second = await postJson(`${svc.url}/v1/posts`, p);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ interactionId: 'twitter:200', postId: '200', duplicate: true });
    await eventually(async () => outboxLines(svc).some((x) => x.interactionId === 'twitter:200'), 20_000, 'reply');
    const state = await getJson(`${svc.url}/v1/interactions/twitter:200`);
    expect(state.body.posts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(outboxLines(svc).filter((x) => x.interactionId === 'twitter:200')).toHaveLength(1);
  });

  it('a post about us that is not addressed to us is ignored, with the reason, and gets no reply', async () => {
    const res = await postJson(`${svc.url}/v1/posts`, post('300', 'Sprint has the worst coverage in my town'));
    expect(res.status).toBe(202);
    const state = await eventually(
      async () => {
        const s = await getJson(`${svc.url}/v1/interactions/twitter:300`);
        return s.body?.status === 'ignored' ? s.body : null;
      },
      20_000,
      'ignored',
    );
    expect(state.ignoredReason).toBe('not-addressed-to-us');
    expect(state.policy.id).toBe('overheard');
    expect(outboxLines(svc).filter((x) => x.interactionId === 'twitter:300')).toHaveLength(0);
  });

  it('bad input gets 400 problem+json naming each wrong field, and starts nothing', async () => {
    const res = await postJson(`${svc.url}/v1/posts`, { channel: 'twitter', id: '400', author: { followers: -3 }, createdAt: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field).join(' ');
    expect(fields).toMatch(/text/);
    expect(fields).toMatch(/createdAt/);
    expect(fields).toMatch(/author/);
    const lookup = await getJson(`${svc.url}/v1/interactions/twitter:400`);
    expect(lookup.status).toBe(404);
    expect(lookup.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('malformed JSON is a 400 problem, not a crash', async () => {
    const res = await postJson(`${svc.url}/v1/posts`, '{"channel": "twitter",');
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Malformed JSON');
  });

  it('GET /metrics counts captures, duplicates, replies and open interactions in Prometheus text', async () => {
    const res = await fetch(`${svc.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/hearken_posts_captured_total\{channel="twitter",duplicate="true"\} 1\b/);
    expect(text).toMatch(/hearken_replies_published_total\{channel="twitter",duplicate="false"\} [1-9]/);
    expect(text).toMatch(/hearken_interactions\{state="open"\} [1-9]/);
    expect(text).toMatch(/hearken_http_request_duration_seconds_count\{method="POST",route="\/v1\/posts",status="202"\}/);
  });

  // After the metrics count: these capture more duplicates.
  it('the same new post captured at once through several connections (as by several API processes) is captured exactly once', async () => {
    // The first post of a thread is acknowledged when its run starts: Temporal lets one start win, the others are answered by the run.
    const p = post('250', '@sprintcare hello? anyone?');
    const opts = {
      taskQueue: svc.config.taskQueue,
      idleCloseMs: svc.config.idleCloseMs,
      maxHistoryEvents: svc.config.maxHistoryEvents,
      dedupMs: svc.config.dedupMs,
    };
    const connections = await Promise.all([0, 1, 2].map(() => Connection.connect({ address: server.address })));
    try {
      const answers = await Promise.all([
        ...connections.map((connection) => capturePostWithRetry(new Client({ connection }), opts, p)),
        postJson(`${svc.url}/v1/posts`, p).then((r) => r.body as { duplicate: boolean }),
      ]);
      expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
    const state = await eventually(
      async () => {
        const s = await getJson(`${svc.url}/v1/interactions/twitter:250`);
        return s.body?.status && s.body.status !== 'triaging' ? s.body : null;
      },
      20_000,
      'assessed',
    );
    expect(state.posts).toHaveLength(1);
    const history = await getJson(`${svc.url}/v1/interactions/twitter:250/history`);
    const types: string[] = history.body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t) => t === 'post.captured')).toHaveLength(1);
    expect(types.filter((t) => t === 'post.duplicate')).toHaveLength(3);
  });

  it('a later post of a thread joins its interaction, and captured again it is a duplicate', async () => {
    const first = await postJson(`${svc.url}/v1/posts`, post('260', '@sprintcare my phone is broken'));
    const later = post('261', '@sprintcare still broken', { threadId: '260', inReplyTo: '260' });
    const second = await postJson(`${svc.url}/v1/posts`, later);
    const again = await postJson(`${svc.url}/v1/posts`, later);
    expect([first.status, second.status, again.status]).toEqual([202, 202, 200]);
    expect(second.body).toEqual({ interactionId: 'twitter:260', postId: '261', duplicate: false });
    expect(again.body).toEqual({ interactionId: 'twitter:260', postId: '261', duplicate: true });
    const state = await getJson(`${svc.url}/v1/interactions/twitter:260`);
    expect(state.body.posts.map((x: { id: string }) => x.id)).toEqual(['260', '261']);
  });

  it('GET /v1/policies shows the loaded pack and its version', async () => {
    const res = await getJson(`${svc.url}/v1/policies`);
    expect(res.status).toBe(200);
    expect(res.body.policies.map((p: { id: string }) => p.id)).toEqual(['addressed', 'overheard']);
    expect(res.body.lastError).toBeNull();
  });
});
