// Lists and the audit timeline on a real dev server: one row per
// interaction however many runs it has (continue-as-new, a thread reopened
// after it closed), and the query parameters and ids that answered 500
// before: a since Date.parse takes but visibility does not, a forged page
// token, a post id with a backslash before a quote.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsById } from '../../src/client/runs';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() ? describe : describe.skip;
const AUTHOR = 'lists-u1';

const post = (id: string, threadId?: string) => ({
  channel: 'twitter',
  id,
  ...(threadId ? { threadId } : {}),
  author: { id: AUTHOR, handle: 'jane', name: 'Jane' },
  text: '@sprintcare still waiting for my refund',
  createdAt: new Date().toISOString(),
});

async function timed<T>(fn: () => Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  return { ...(await fn()), ms: Date.now() - started };
}

run('lists and history', () => {
  let server: DevServer;
  let svc: TestService;
  const thread = 'lh-long';
  const id = `twitter:${thread}`;

  beforeAll(async () => {
    const [s, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    server = s;
    // A short history limit, so a handful of posts continue the thread as new; quiet threads close after 2 s.
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      idleCloseSeconds: 2,
      maxHistoryEvents: 40,
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  const statuses = async (wid: string) => {
    const all: string[] = [];
    for await (const wf of runsById(svc.client, wid)) all.push(wf.status.name);
    return all.sort();
  };

  it('an interaction that continued as new, closed and was reopened is one row in the list and one in the customer profile', async () => {
    for (let i = 0; i < 10; i++) expect((await postJson(`${svc.url}/v1/posts`, post(`${thread}-${i}`, thread))).status).toBe(202);
    // It continued as new at least once, then closed when quiet.
    await eventually(
      async () => {
        const s = await statuses(id);
        return s.includes('CONTINUED_AS_NEW') && s.includes('COMPLETED');
      },
      60_000,
      'continued as new, then closed',
    );
    // A new post reopens it: another run of the same interaction.
    expect((await postJson(`${svc.url}/v1/posts`, post(`${thread}-reopen`, thread))).status).toBe(202);
    expect((await postJson(`${svc.url}/v1/posts`, post('lh-other'))).status).toBe(202);
    await eventually(async () => (await statuses(id)).filter((s) => s !== 'CONTINUED_AS_NEW').length === 2, 30_000, 'the reopened run');
    expect((await statuses(id)).filter((s) => s === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);

    const rows = await eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/interactions?customer=twitter:${AUTHOR}`);
        return res.status === 200 && res.body.interactions.length >= 2 ? res.body.interactions : null;
      },
      20_000,
      'the list',
    );
    expect(rows.map((r: { interactionId: string }) => r.interactionId).sort()).toEqual(['twitter:lh-long', 'twitter:lh-other']);
    const profile = await getJson(`${svc.url}/v1/customers/twitter/${AUTHOR}`);
    expect(profile.status).toBe(200);
    expect(profile.body.interactions).toBe(2);
    expect(Object.values(profile.body.perStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);
  }, 120_000);

  it('since: an instant Date.parse takes but visibility cannot is a 422; the first year is fine', async () => {
    for (const since of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-11-01', '2026-11-01T00:00:00', 'yesterday']) {
      const res = await timed(() => getJson(`${svc.url}/v1/interactions?since=${encodeURIComponent(since)}`));
      expect(res.status, since).toBe(422);
      expect(res.body.errors, since).toEqual([expect.objectContaining({ field: 'since' })]);
      expect(res.ms, since).toBeLessThan(1_000);
    }
    for (const since of [
      '0001-01-01T00:00:00Z',
      '0000-01-01T00:00:00+01:00',
      '9999-12-31T23:59:59-23:59',
      '2026-01-01T00:00:00.123456789+02:00',
    ])
      expect((await getJson(`${svc.url}/v1/interactions?since=${encodeURIComponent(since)}`)).status, since).toBe(200);
  });

  it('a page token that is not the next page of this list is a 422 at once; a real one pages on', async () => {
    for (const token of ['AAAA', 'not a token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA', '%00']) {
      const res = await timed(() => getJson(`${svc.url}/v1/interactions?pageToken=${encodeURIComponent(token)}`));
      expect(res.status, token).toBe(422);
      expect(res.ms, token).toBeLessThan(1_000);
    }
    const first = await getJson(`${svc.url}/v1/interactions?customer=twitter:${AUTHOR}&limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.interactions).toHaveLength(1);
    const token = first.body.nextPageToken as string;
    expect(token).toEqual(expect.any(String));
    const second = await getJson(`${svc.url}/v1/interactions?customer=twitter:${AUTHOR}&limit=1&pageToken=${token}`);
    expect(second.status).toBe(200);
    expect(second.body.interactions).toHaveLength(1);
    expect(second.body.interactions[0].interactionId).not.toBe(first.body.interactions[0].interactionId);
    // The same token with other filters is not the next page of that list.
    const other = await getJson(`${svc.url}/v1/interactions?customer=twitter:${AUTHOR}&limit=1&status=closed&pageToken=${token}`);
    expect(other.status).toBe(422);
  });

  it('the history of a post id with a backslash before a quote answers 200 with its timeline', async () => {
    const postId = "q\\'2";
    expect((await postJson(`${svc.url}/v1/posts`, post(postId))).status).toBe(202);
    const path = `/v1/interactions/${encodeURIComponent(`twitter:${postId}`)}`;
    const history = await eventually(
      async () => {
        const res = await getJson(`${svc.url}${path}/history`);
        expect(res.status).toBe(200);
        return res.body.events.some((e: { type: string }) => e.type === 'post.triaged') ? res.body : null;
      },
      20_000,
      'the timeline',
    );
    expect(history.interactionId).toBe(`twitter:${postId}`);
    expect(history.events.find((e: { type: string }) => e.type === 'post.captured')).toMatchObject({ postId });
    expect((await getJson(`${svc.url}${path}`)).status).toBe(200);
  });

  it('a customer filter visibility cannot match exactly is refused, not answered wrongly', async () => {
    // Visibility strips a quote at either end of a value, so "'x" would list the interactions of "x".
    for (const customer of ["twitter:lists-u1'", "'twitter:lists-u1", 'twitter:"', 'twitter:a\\b']) {
      const res = await getJson(`${svc.url}/v1/interactions?customer=${encodeURIComponent(customer)}`);
      expect(res.status, customer).toBe(422);
    }
    expect((await getJson(`${svc.url}/v1/customers/twitter/${encodeURIComponent("lists-u1'")}`)).status).toBe(400);
  });
});
