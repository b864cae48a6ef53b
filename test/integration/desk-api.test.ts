// The care desk's API on a real Temporal dev server: a session cookie in
// place of the bearer token (with CSRF protection), live events polled from
// Temporal (so a decision taken through another API process shows up),
// presence, the 409 that says who decided, and the item's channel limit.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { conformsToOpenApi } from '../helpers/openapi-conformance';
import { getJson as getAnyJson, postJson as postAnyJson, startTestService, type TestService } from '../helpers/service';
import { openSse, type SseStream } from '../helpers/sse';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, TEST_VIEWER, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const run = temporalAvailable() ? describe : describe.skip;

const carla: TestUser = { name: 'carla', token: 'tok-carla-agent', teams: { 'customer-care': 'agent' } };
const lena: TestUser = { name: 'lena', token: 'tok-lena-lead', teams: { 'customer-care': 'lead' } };
const bill: TestUser = { name: 'bill', token: 'tok-bill-agent', teams: { billing: 'agent' } };

type JsonResponse = Awaited<ReturnType<typeof getAnyJson>>;
function documented(method: string, url: string, res: JsonResponse): JsonResponse {
  const problems = conformsToOpenApi(method, new URL(url).pathname, res.status, res.body, res.headers.get('content-type') ?? undefined);
  expect(problems, `${method} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toEqual([]);
  return res;
}
const getJson = async (url: string, headers?: Record<string, string>) => documented('GET', url, await getAnyJson(url, headers));
const postJson = async (url: string, body: unknown, headers?: Record<string, string>) =>
  documented('POST', url, await postAnyJson(url, body, headers));

run('care desk API', () => {
  let server: DevServer;
  let svc: TestService;
  /** A second API process (no worker) with the same data folder (session secret) and tokens file. */
  let other: TestService;
  const streams: SseStream[] = [];

  const capture = async (id: string, text: string) => {
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id,
      author: { id: `a-${id}`, handle: 'jane', name: 'Jane', followers: 12 },
      text,
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  const login = async (url: string, user: TestUser) => {
    const res = await postJson(`${url}/v1/session`, { token: user.token }, {});
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { cookie, csrf: res.body.csrfToken as string };
  };
  const sse = async (url: string, headers: Record<string, string>) => {
    const s = await openSse(`${url}/v1/events`, headers);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    const dir = tempDir('desk');
    const tokensFile = writeTokensFile(dir, [carla, lena, bill]);
    let bundle;
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, tokensFile });
    other = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      tokensFile,
      worker: false,
      taskQueue: svc.config.taskQueue,
      dataDir: svc.config.dataDir,
    });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await other?.stop();
    await svc?.stop();
    await server?.stop();
  });

  it('a session cookie reads and decides like the token; a decision without the CSRF token is refused', async () => {
    const { cookie, csrf } = await login(svc.url, carla);
    const session = await getJson(`${other.url}/v1/session`, { cookie });
    expect(session.body.user).toMatchObject({ name: 'carla', role: 'agent' });
    const id = await capture('s1', '@sprintcare my bill is wrong');
    const pending = async () =>
      (await getJson(`${svc.url}/v1/escalations`, { cookie })).body.escalations.find((e: any) => e.interactionId === id);
    await expect.poll(pending, { timeout: 20_000 }).toBeTruthy();
    const url = `${svc.url}/v1/escalations/${id}/decision`;
    const refused = await postJson(url, { decision: 'reject' }, { cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('csrf');
    const decided = await postJson(url, { decision: 'reject', note: 'spam' }, { cookie, 'x-csrf-token': csrf });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toBe('reject');
    const history = await getJson(`${svc.url}/v1/interactions/${id}/history`, { cookie });
    expect(history.body.events.find((e: any) => e.type === 'escalation.decided')).toMatchObject({ actor: 'carla', decision: 'reject' });
  });

  it("streams escalation.opened to the team's people only, and escalation.decided for a decision taken through another API process", async () => {
    const { cookie } = await login(svc.url, carla);
    const carlas = await sse(svc.url, { cookie });
    const bills = await sse(svc.url, bearer(bill));
    expect(carlas.status).toBe(200);
    expect(carlas.retry).toBeGreaterThan(0);
    // Let the first poll set the baseline.
    await new Promise((r) => setTimeout(r, 1_500));
    const id = await capture('s2', '@sprintcare my bill doubled');
    const opened = await carlas.next((e) => e.event === 'escalation.opened' && e.data.interactionId === id, 20_000, 'opened');
    expect(opened.data).toMatchObject({ team: 'customer-care', policyId: 'billing' });
    expect(opened.data.summary).toContain('my bill doubled');
    expect(Date.parse(opened.data.deadline)).toBeGreaterThan(Date.now());

    const decided = await postJson(
      `${other.url}/v1/escalations/${id}/decision`,
      { decision: 'approve', reply: 'Fixed it, Jane.' },
      bearer(lena),
    );
    expect(decided.status).toBe(200);
    const event = await carlas.next((e) => e.event === 'escalation.decided' && e.data.interactionId === id, 20_000, 'decided');
    expect(event.data).toMatchObject({ team: 'customer-care', decision: 'approve', by: 'lena', role: 'lead' });
    expect(Date.parse(event.data.at)).toBeGreaterThan(0);
    // bill (team billing) heard nothing of customer-care's queue.
    expect(bills.events.filter((e) => e.data.interactionId === id)).toEqual([]);

    // The second decision is told who won, what and when.
    const late = await postJson(`${svc.url}/v1/escalations/${id}/decision`, { decision: 'reject' }, bearer(carla));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ decision: 'approve', decidedBy: { name: 'lena', role: 'lead' } });
    expect(late.body.decidedAt).toBe(event.data.at);
    expect(late.body.detail).toMatch(/lena decided approve/);
  });

  it('two people decide at once: one wins, the other gets 409 naming the winner', async () => {
    const id = await capture('s3', '@sprintcare bill question');
    await expect
      .poll(
        async () => (await getJson(`${svc.url}/v1/escalations`, bearer(carla))).body.escalations.some((e: any) => e.interactionId === id),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    const [a, b] = await Promise.all([
      postJson(`${svc.url}/v1/escalations/${id}/decision`, { decision: 'reject' }, bearer(carla)),
      postJson(`${other.url}/v1/escalations/${id}/decision`, { decision: 'approve' }, bearer(lena)),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.body.decision).toBe(won.body.decision);
    expect(lost.body.decidedBy.name).toBe(won === a ? 'carla' : 'lena');
  });

  it('presence: who views or types on an item reaches every listener, and leaving removes it', async () => {
    const { cookie, csrf } = await login(svc.url, carla);
    const lenas = await sse(svc.url, bearer(lena));
    await new Promise((r) => setTimeout(r, 300));
    const id = 'twitter:presence-1';
    const url = `${svc.url}/v1/interactions/${encodeURIComponent(id)}/presence`;
    expect((await postJson(url, { state: 'typing' }, { cookie })).status).toBe(403); // no CSRF token
    expect((await postJson(url, { state: 'typing' }, { cookie, 'x-csrf-token': csrf })).status).toBe(204);
    const typing = await lenas.next((e) => e.event === 'presence' && e.data.interactionId === id, 5_000, 'presence');
    expect(typing.data.viewers).toEqual([{ name: 'carla', state: 'typing' }]);
    expect((await postJson(url, { state: 'left' }, { cookie, 'x-csrf-token': csrf })).status).toBe(204);
    await lenas.next((e) => e.event === 'presence' && e.data.interactionId === id && e.data.viewers.length === 0, 5_000, 'left');
    const bad = await postJson(url, { state: 'dancing' }, bearer(lena));
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('state');
  });

  it("the item view: posts with author and reach, triage signals, policy and pack version, the channel's reply limit", async () => {
    const id = await capture('s4', '@sprintcare bill bill bill');
    await expect
      .poll(async () => (await getJson(`${svc.url}/v1/interactions/${id}`)).body.escalations?.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const item = (await getJson(`${svc.url}/v1/interactions/${id}`)).body;
    expect(item.channel).toEqual({ name: 'twitter', replyLimit: { max: 280, unit: 'characters', text: '280 characters' } });
    expect(item.posts[0].author).toMatchObject({ handle: 'jane', name: 'Jane', followers: 12 });
    expect(item.triage.signals.length).toBeGreaterThan(0);
    expect(item.policy).toMatchObject({ id: 'billing' });
    expect(item.policy.version).toBeTruthy();
    expect(item.escalations[0]).toMatchObject({ status: 'pending', team: 'customer-care', draftReply: expect.any(String) });
    // The draft as the customer would read it, beside the template the workflow keeps.
    expect(item.pendingDraft).toEqual({ template: item.escalations[0].draftReply, text: 'Hi Jane, we have fixed your bill.' });
    expect(item.pendingDraft.template).toContain('{{author.name}}');
    const canned = await getJson(`${svc.url}/v1/interactions/${id}/templates`, bearer(carla));
    expect(canned.status).toBe(200);
    expect(canned.body.languages).toEqual(['en']);
    expect(canned.body.templates).toContainEqual({ id: 'draft-answer', language: 'en', text: 'Hi Jane, we have fixed your bill.' });
    expect((await getJson(`${svc.url}/v1/interactions/twitter:nope/templates`, bearer(carla))).status).toBe(404);
  });
  it('an agent answers an interaction verbatim, once per Idempotency-Key; it meets the first-response clock and the timeline says who', async () => {
    const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
    const id = await capture('r1', '@sprintcare urgent: no service');
    await expect
      .poll(async () => (await getJson(`${svc.url}/v1/interactions/${id}`)).body.escalations?.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const url = `${svc.url}/v1/interactions/${id}/replies`;
    // Not rendered: a person's words go out as written, braces and all.
    const text = 'Hi Jane, {{author.name}} is not a template here. We are on it.';
    const { cookie, csrf } = await login(svc.url, carla);
    const first = await postJson(url, { text }, { cookie, 'x-csrf-token': csrf, 'idempotency-key': 'k-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ interactionId: id, duplicate: false, published: { text, by: 'carla' } });
    const again = await postJson(url, { text }, { ...bearer(carla), 'idempotency-key': 'k-1' });
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.published.messageId).toBe(first.body.published.messageId);
    expect(outbox(id).filter((l) => l.text === text)).toHaveLength(1);

    expect((await postJson(url, { text: 'me too' }, bearer(bill))).status).toBe(403);
    expect((await postJson(url, { text: 'me too' }, bearer(TEST_VIEWER))).status).toBe(403);
    const long = await postJson(url, { text: 'x'.repeat(300) }, bearer(carla));
    expect(long.status).toBe(422);
    expect(long.body.errors[0].field).toBe('text');
    expect((await postJson(url, { text: '   ' }, bearer(carla))).status).toBe(422);

    const item = (await getJson(`${svc.url}/v1/interactions/${id}`)).body;
    expect(item.replies.find((r: any) => r.kind === 'agentReply')).toMatchObject({ text, by: 'carla' });
    await expect
      .poll(
        async () =>
          (await getJson(`${svc.url}/v1/interactions/${id}`)).body.commitments.find((c: any) => c.name === 'firstResponse')?.status,
        { timeout: 10_000 },
      )
      .toBe('met');
    const events = (await getJson(`${svc.url}/v1/interactions/${id}/history`)).body.events;
    expect(events.find((e: any) => e.type === 'reply.published' && e.kind === 'agentReply')).toMatchObject({ actor: 'carla', text });
    expect(events.find((e: any) => e.type === 'agent.replied')).toMatchObject({ actor: 'carla' });
  });

  it('an internal note is in the timeline with who wrote it, and never published', async () => {
    const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
    const id = await capture('n1', '@sprintcare my bill again');
    await expect
      .poll(async () => (await getJson(`${svc.url}/v1/interactions/${id}`)).body.escalations?.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const note = 'Customer called twice; VIP <b>handle with care</b>';
    const res = await postJson(`${svc.url}/v1/interactions/${id}/notes`, { text: note }, bearer(lena));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ interactionId: id, by: 'lena', noteId: expect.any(String) });
    const events = (await getJson(`${svc.url}/v1/interactions/${id}/history`)).body.events;
    expect(events.find((e: any) => e.type === 'note.added')).toMatchObject({ actor: 'lena', text: note, noteId: res.body.noteId });
    expect(outbox(id).some((l) => String(l.text).includes('VIP'))).toBe(false);
    expect((await postJson(`${svc.url}/v1/interactions/${id}/notes`, { text: 'x' }, bearer(bill))).status).toBe(403);
    expect((await postJson(`${svc.url}/v1/interactions/twitter:nope/notes`, { text: 'x' }, bearer(lena))).status).toBe(404);
  });
});
