// Escalations decided over HTTP: authenticated, authorised per team,
// validated, idempotent and race-safe, recorded in the timeline.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { conformsToOpenApi } from '../helpers/openapi-conformance';
import { eventually, getJson as getAnyJson, postJson as postAnyJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const run = temporalAvailable() ? describe : describe.skip;

const carla: TestUser = { name: 'carla', token: 'tok-carla-agent', teams: { 'customer-care': 'agent' } };
const lena: TestUser = { name: 'lena', token: 'tok-lena-lead', teams: { 'customer-care': 'lead' } };
const bill: TestUser = { name: 'bill', token: 'tok-bill-agent', teams: { billing: 'agent' } };
const dora: TestUser = { name: 'dora', token: 'tok-dora-agent', teams: { 'duty-manager': 'agent' } };

type JsonResponse = Awaited<ReturnType<typeof getAnyJson>>;

/** Every answer these tests get, success or problem, is one the OpenAPI document describes. */
function documented(method: string, url: string, res: JsonResponse): JsonResponse {
  const contentType = res.headers.get('content-type') ?? undefined;
  const problems = conformsToOpenApi(method, new URL(url).pathname, res.status, res.body, contentType);
  expect(problems, `${method} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toEqual([]);
  return res;
}
const getJson = async (url: string, headers?: Record<string, string>) => documented('GET', url, await getAnyJson(url, headers));
const postJson = async (url: string, body: unknown, headers?: Record<string, string>) =>
  documented('POST', url, await postAnyJson(url, body, headers));

run('escalation decisions over HTTP', () => {
  let server: DevServer;
  let svc: TestService;
  const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
  const capture = async (id: string, text: string) => {
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id,
      author: { id: `a-${id}`, handle: 'jane', name: 'Jane' },
      text,
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  const decide = (id: string, user: TestUser | null, body: unknown, headers: Record<string, string> = {}) =>
    postJson(`${svc.url}/v1/escalations/${id}/decision`, body, { ...(user ? bearer(user) : {}), ...headers });
  const pendingFor = async (user: TestUser, id: string, team?: string) =>
    eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/escalations${team ? `?team=${team}` : ''}`, bearer(user));
        return res.body.escalations?.find((e: any) => e.interactionId === id);
      },
      20_000,
      `${id} pending for ${user.name}`,
    );

  beforeAll(async () => {
    const dir = tempDir('esc');
    const tokensFile = writeTokensFile(dir, [carla, lena, bill, dora]);
    let bundle;
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, tokensFile });
  });
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('rejects requests without a valid bearer token with 401 problem+json', async () => {
    const none = await decide('twitter:x', null, { decision: 'reject' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/problem\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await decide('twitter:x', { ...carla, token: 'wrong' }, { decision: 'reject' })).status).toBe(401);
    expect((await getJson(`${svc.url}/v1/escalations`, {})).status).toBe(401);
  });

  it('lists what waits for a team, earliest deadline first, with the post, triage, draft and links', async () => {
    const a = await capture('b1', '@sprintcare my bill is wrong');
    const item = await pendingFor(carla, a, 'customer-care');
    expect(item).toMatchObject({
      team: 'customer-care',
      level: 1,
      post: { id: 'b1', text: '@sprintcare my bill is wrong' },
      policy: { id: 'billing' },
      draftReply: 'Hi {{author.name}}, we have fixed your bill.',
    });
    expect(item.timeLeftMs).toBeGreaterThan(0);
    expect(item.timeLeftMs).toBeLessThanOrEqual(5 * 60_000);
    expect(item.triage.addressedToUs).toBe(true);
    expect(item.links.decision).toBe(`/v1/escalations/${encodeURIComponent(a)}/decision`);
    // Another team's agent sees nothing of it.
    const other = await getJson(`${svc.url}/v1/escalations`, bearer(bill));
    expect(other.body.escalations.find((e: any) => e.interactionId === a)).toBeUndefined();
    const b = await capture('b2', '@sprintcare another bill problem');
    await pendingFor(carla, b);
    const list = (await getJson(`${svc.url}/v1/escalations?team=customer-care`, bearer(carla))).body.escalations.map(
      (e: any) => e.interactionId,
    );
    expect(list.indexOf(a)).toBeLessThan(list.indexOf(b));
  });

  it('403 for another team, 403 for an agent reassigning, 404 for an unknown interaction, 422 for a bad body', async () => {
    const id = await capture('b3', '@sprintcare bill question');
    await pendingFor(carla, id);
    const foreign = await decide(id, bill, { decision: 'approve' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toMatch(/bill is not in team customer-care/);
    expect((await decide(id, carla, { decision: 'reassign', team: 'billing' })).status).toBe(403);
    expect((await decide('twitter:nope-404', carla, { decision: 'approve' })).status).toBe(404);
    const bad = await decide(id, carla, { decision: 'maybe', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['decision']));
    expect(outbox(id)).toHaveLength(1); // only the interim reply
  });

  it('when an agent approves, the drafted reply is published once; a retry with the same Idempotency-Key does not decide twice', async () => {
    const id = await capture('b4', '@sprintcare my bill doubled');
    await pendingFor(carla, id);
    const first = await decide(id, carla, { decision: 'approve', note: 'draft is fine' }, { 'idempotency-key': 'req-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      interactionId: id,
      decision: 'approve',
      team: 'customer-care',
      reply: { text: 'Hi Jane, we have fixed your bill.' },
    });
    const retry = await decide(id, carla, { decision: 'approve', note: 'draft is fine' }, { 'idempotency-key': 'req-1' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(outbox(id).map((l) => l.text)).toEqual(["Hi Jane, we're on it.", 'Hi Jane, we have fixed your bill.']);
    const again = await decide(id, carla, { decision: 'reject' });
    expect(again.status).toBe(409);
    const history = (await getJson(`${svc.url}/v1/interactions/${id}/history`)).body.events;
    expect(history.find((e: any) => e.type === 'escalation.decided')).toMatchObject({
      actor: 'carla',
      role: 'agent',
      decision: 'approve',
      note: 'draft is fine',
    });
  });

  it('two different concurrent approvals: exactly one wins and one reply is published, the other gets 409', async () => {
    const id = await capture('b5', '@sprintcare bill bill bill');
    await pendingFor(carla, id);
    const [x, y] = await Promise.all([
      decide(id, carla, { decision: 'approve', reply: 'Answer from Carla' }, { 'idempotency-key': 'c-1' }),
      decide(id, lena, { decision: 'approve', reply: 'Answer from Lena' }, { 'idempotency-key': 'l-1' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const approved = outbox(id).filter((l) => l.text.startsWith('Answer from'));
    expect(approved).toHaveLength(1);
  });

  it('a lead reassigns to another team with a fresh deadline; that team rejects with a reason; no public answer follows', async () => {
    const id = await capture('b6', '@sprintcare bill for someone else');
    const before = await pendingFor(carla, id);
    const moved = await decide(id, lena, { decision: 'reassign', team: 'billing', note: 'billing knows' });
    expect(moved.status).toBe(200);
    const now = await pendingFor(bill, id, 'billing');
    expect(Date.parse(now.deadline)).toBeGreaterThan(Date.parse(before.deadline));
    expect((await decide(id, carla, { decision: 'reject' })).status).toBe(403);
    const rejected = await decide(id, bill, { decision: 'reject', note: 'duplicate ticket' });
    expect(rejected.status).toBe(200);
    const state = (await getJson(`${svc.url}/v1/interactions/${id}`)).body;
    expect(state.escalations.map((e: any) => [e.team, e.status])).toEqual([
      ['customer-care', 'reassigned'],
      ['billing', 'rejected'],
    ]);
    expect(outbox(id)).toHaveLength(1);
  });

  it('an escalation not decided in time moves to the duty manager, with a reminder and a periodic update; 422 when approving with no text and no draft', async () => {
    const id = await capture('u1', '@sprintcare urgent: no service at the hospital');
    const item = await pendingFor(dora, id, 'duty-manager');
    expect(item.level).toBe(2); // one level up the onTimeout chain
    const kinds = () =>
      jsonLines(svc.config.dataDir, 'notifications.jsonl')
        .filter((n) => n.interactionId === id)
        .map((n) => `${n.kind}:${n.team}`);
    await eventually(async () => kinds().length >= 3, 10_000, 'notifications');
    expect(kinds()).toEqual(expect.arrayContaining(['escalation:customer-care', 'reminder:customer-care', 'escalation:duty-manager']));
    const noText = await decide(id, dora, { decision: 'approve' });
    expect(noText.status).toBe(422);
    expect(noText.body.errors[0].field).toBe('reply');
    await eventually(async () => outbox(id).some((l) => l.text.startsWith('Still working')), 10_000, 'periodic update');
    const ok = await decide(id, dora, { decision: 'approve', reply: 'A technician is on the way.' });
    expect(ok.status).toBe(200);
    expect(outbox(id).map((l) => l.text)).toContain('A technician is on the way.');
  });
});
