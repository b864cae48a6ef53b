// Nobody reads what is not theirs: on a real service and a real Temporal dev
// server, every route with customer data needs a person's token (a viewer's
// is enough to read, not to decide), capture needs a connector's ingest token
// (none only on loopback before any exists), each read and decision leaves
// one access-log line without the post's text, and guessing tokens ends in 429.
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { lastUsedFileFor, readLastUsed } from '../../src/api/auth';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { conformsToOpenApi } from '../helpers/openapi-conformance';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, TEST_INGEST, TEST_VIEWER, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const run = temporalAvailable() ? describe : describe.skip;

const carla: TestUser = { name: 'carla', token: 'tok-carla-agent-access', teams: { 'customer-care': 'agent' } };
const vera: TestUser = { name: 'vera', token: 'tok-vera-viewer-access', teams: { 'customer-care': 'viewer' } };
const gone: TestUser = { name: 'gone', token: 'tok-gone-expired-access', teams: { '*': 'admin' } };
const oldConnector = { name: 'old-connector', token: 'tok-old-connector-access' };

const POST_TEXT = '@sprintcare my bill is wrong, account 4711, call me on 0151 2345678';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

run('access: tokens for customer data, ingest tokens for capture', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;
  let log: ReturnType<typeof capturingLogger>;
  let id: string;
  const started: TestService[] = [];

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    log = capturingLogger();
    const tokensFile = writeTokensFile(tempDir('access'), [carla, vera, gone], {
      ingest: [TEST_INGEST, oldConnector],
      expires: { gone: '2020-01-01T00:00:00Z', 'old-connector': '2020-01-01T00:00:00Z' },
    });
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      tokensFile,
      logger: log.logger,
    });
    started.push(svc);
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id: 'acc-1',
      author: { id: 'cust-1', handle: 'jane', name: 'Jane' },
      text: POST_TEXT,
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    id = res.body.interactionId as string;
    await eventually(async () => {
      const list = await getJson(`${svc.url}/v1/escalations`, bearer(carla));
      return list.body.escalations?.some((e: { interactionId: string }) => e.interactionId === id);
    });
  });

  afterAll(async () => {
    for (const s of started) await s.stop();
    await server?.stop();
  });

  const readRoutes = () => [
    `/v1/interactions/${id}`,
    `/v1/interactions/${id}/history`,
    '/v1/interactions?customer=twitter:cust-1',
    '/v1/customers/twitter/cust-1',
    '/v1/escalations',
    '/v1/policies',
  ];

  it('every read route answers 401 without a token and 200 with a viewer token', async () => {
    for (const route of readRoutes()) {
      const anonymous = await getJson(svc.url + route, {});
      expect(anonymous.status, route).toBe(401);
      expect(anonymous.headers.get('www-authenticate'), route).toBe('Bearer realm="hearken"');
      expect(conformsToOpenApi('GET', route, 401, anonymous.body, 'application/problem+json'), route).toEqual([]);
      const viewer = await getJson(svc.url + route, bearer(TEST_VIEWER));
      expect(viewer.status, route).toBe(200);
      expect(conformsToOpenApi('GET', route, 200, viewer.body), route).toEqual([]);
    }
  });

  it("an ingest token reads nothing (403); an expired person's token is 401", async () => {
    for (const route of readRoutes()) {
      const connector = await getJson(svc.url + route, bearer(TEST_INGEST));
      expect(connector.status, route).toBe(403);
      expect(connector.body.detail).toBe('an ingest token captures posts (POST /v1/posts) and nothing else');
      const expired = await getJson(svc.url + route, bearer(gone));
      expect(expired.status, route).toBe(401);
      expect(expired.body.detail).toBe('the bearer token has expired');
    }
  });

  it("a viewer sees the team's queue but cannot decide; a connector cannot decide; an agent can", async () => {
    const queue = await getJson(`${svc.url}/v1/escalations`, bearer(vera));
    expect(queue.body.escalations.map((e: { interactionId: string }) => e.interactionId)).toContain(id);
    const decide = (headers: Record<string, string>) =>
      postJson(`${svc.url}/v1/escalations/${id}/decision`, { decision: 'approve' }, headers);
    const byViewer = await decide(bearer(vera));
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.detail).toBe('vera is a viewer: viewers read, they do not decide');
    expect((await decide(bearer(TEST_INGEST))).status).toBe(403);
    expect((await decide({})).status).toBe(401);
    const byAgent = await decide(bearer(carla));
    expect(byAgent.status).toBe(200);
    expect(byAgent.body).toMatchObject({ decision: 'approve', team: 'customer-care' });
  });

  it("capture takes the ingest token; a person's token gets 403, an expired connector 401, no token 401 once ingest tokens exist", async () => {
    const post = (n: string) => ({
      channel: 'twitter',
      id: `acc-cap-${n}`,
      author: { id: 'cust-2' },
      text: 'hello',
      createdAt: new Date().toISOString(),
    });
    expect((await postJson(`${svc.url}/v1/posts`, post('1'), bearer(TEST_INGEST))).status).toBe(202);
    const person = await postJson(`${svc.url}/v1/posts`, post('2'), bearer(carla));
    expect(person.status).toBe(403);
    expect(person.body.detail).toMatch(/ingest token, not a person's/);
    expect((await postJson(`${svc.url}/v1/posts`, post('3'), bearer(oldConnector))).status).toBe(401);
    expect((await postJson(`${svc.url}/v1/posts`, post('4'), {})).status).toBe(401);
    expect((await svc.client.workflow.count(`WorkflowId = 'twitter:acc-cap-2' OR WorkflowId = 'twitter:acc-cap-4'`)).count).toBe(0);
  });

  it('a read of an interaction writes one access-log line with user and route, and no post text', async () => {
    const before = log.lines.length;
    const res = await getJson(`${svc.url}/v1/interactions/${id}`, bearer(vera));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('account 4711');
    await eventually(async () => log.lines.slice(before).some((l) => l.msg === 'access'), 5_000, 'the access line');
    const access = log.lines.slice(before).filter((l) => l.msg === 'access');
    expect(access).toHaveLength(1);
    expect(access[0]!.access).toEqual({
      user: 'vera',
      route: 'getInteraction',
      method: 'GET',
      path: `/v1/interactions/${id}`,
      status: 200,
      ip: expect.any(String),
    });
    // The decision of the test before was logged too, with its decider.
    expect(log.lines.filter((l) => l.msg === 'access' && l.access.route === 'decideEscalation' && l.access.status === 200)).toEqual([
      expect.objectContaining({ access: expect.objectContaining({ user: 'carla', path: `/v1/escalations/${id}/decision` }) }),
    ]);
    // Nothing the customer wrote, nor any token, anywhere in the log.
    for (const secret of ['account 4711', '0151 2345678', 'my bill is wrong', carla.token, vera.token, TEST_INGEST.token])
      expect(log.text()).not.toContain(secret);
  });

  it('health, metrics and the OpenAPI document stay open', async () => {
    for (const route of ['/healthz', '/openapi.json']) expect((await getJson(svc.url + route, {})).status, route).toBe(200);
    expect((await fetch(`${svc.url}/metrics`)).status).toBe(200);
  });

  it('records when each token was last used, when the service stops at the latest', async () => {
    await svc.stop();
    started.splice(started.indexOf(svc), 1);
    const lastUsed = await readLastUsed(lastUsedFileFor(svc.config.tokensFile!));
    const { hashToken } = await import('../../src/api/auth');
    for (const who of [TEST_VIEWER, TEST_INGEST, carla, vera]) expect(lastUsed[hashToken(who.token)], who.name).toEqual(expect.any(String));
    expect(lastUsed[hashToken(gone.token)]).toBeUndefined();
  });

  it('on loopback with no ingest token, capture takes no token (the quick start); reads still need one', async () => {
    const local = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      tokensFile: writeTokensFile(tempDir('access-local'), [], { ingest: [] }),
    });
    started.push(local);
    const post = { channel: 'twitter', id: 'acc-local-1', author: { id: 'cust-3' }, text: 'hello', createdAt: new Date().toISOString() };
    expect((await postJson(`${local.url}/v1/posts`, post, {})).status).toBe(202);
    expect((await getJson(`${local.url}/v1/interactions/twitter:acc-local-1`, {})).status).toBe(401);
  });

  it('bound beyond loopback, capture needs an ingest token even when none exists; 60 wrong tokens end in 429', async () => {
    const exposed = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      worker: false,
      host: '0.0.0.0',
      authFailureLimit: 10,
      tokensFile: writeTokensFile(tempDir('access-exposed'), [], { ingest: [] }),
    });
    started.push(exposed);
    const url = exposed.url.replace('0.0.0.0', '127.0.0.1');
    const post = { channel: 'twitter', id: 'acc-exposed-1', author: { id: 'cust-4' }, text: 'hello', createdAt: new Date().toISOString() };
    const anonymous = await postJson(`${url}/v1/posts`, post, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.detail).toMatch(/beyond loopback/);

    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await getJson(`${url}/v1/interactions`, { authorization: `Bearer guess-${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(50).fill(429));
    const blocked = await getJson(`${url}/v1/interactions`, bearer(TEST_VIEWER));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(conformsToOpenApi('GET', '/v1/interactions', 429, blocked.body, 'application/problem+json')).toEqual([]);
  });
});
