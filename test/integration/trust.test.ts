// Issue 11, section 1: what makes a care desk stop trusting a tool. An
// agent's words altered, a notification that stalls a decision, a customer
// nobody answered reported as resolved, the brand's own posts taken for the
// customer's, a webhook secret in the history, a level that never rises, a
// breach with no warning. Real dev server, real timers, driven over HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { decideUpdate, type DecisionInput, type DecisionResult } from '../../src/workflows/definitions';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/trust');
const run = temporalAvailable() ? describe : describe.skip;

const admin: TestUser = { name: 'ada', token: 'tok-ada-admin', teams: { '*': 'lead' } };
const SECRET = `T0P-SECRET-${Math.random().toString(36).slice(2, 10)}`;

type Ev = Record<string, any> & { at: string; type: string };

run('trust: nothing altered, nothing stalled, nothing leaked, nobody misattributed', () => {
  let server: DevServer;
  let svc: TestService;
  let hooks: http.Server;
  const received: Array<{ url: string; body: any }> = [];
  const envBefore = { ...process.env };

  const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
  const notes = (id: string) => jsonLines(svc.config.dataDir, 'notifications.jsonl').filter((l) => l.interactionId === id);
  const state = async (id: string) => (await getJson(`${svc.url}/v1/interactions/${id}`)).body;
  const timeline = async (id: string): Promise<Ev[]> => (await getJson(`${svc.url}/v1/interactions/${id}/history`)).body.events;
  const capture = async (id: string, text: string, extra: Record<string, unknown> = {}) => {
    const res = await postJson(`${svc.url}/v1/posts`, {
      channel: 'twitter',
      id,
      author: { id: 'cust-1', handle: 'jane', name: 'Jane' },
      text,
      createdAt: new Date().toISOString(),
      ...extra,
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  /** A decision that must come back soon: a hang fails the test instead of timing it out. */
  const decide = (id: string, d: Omit<DecisionInput, 'decider'>, ms = 10_000): Promise<DecisionResult> =>
    Promise.race([
      svc.client.workflow.getHandle(id).executeUpdate(decideUpdate, { args: [{ ...d, decider: { name: 'dana', role: 'lead' } }] }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer to the decision within ${ms} ms`)), ms)),
    ]);
  const waitFor = <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000) => eventually(fn, ms, what);
  const waitStatus = (id: string, status: string, ms = 20_000) =>
    waitFor(`${id} ${status}`, async () => ((await state(id))?.status === status ? state(id) : null), ms);

  beforeAll(async () => {
    hooks = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(body) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    // Read by the pack loader when the service starts (teams.yaml: ${VAR}).
    process.env.HEARKEN_TEST_SECRET_WEBHOOK = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/${SECRET}`;
    process.env.HEARKEN_TEST_DOWN_WEBHOOK = `http://127.0.0.1:${await pickFreePort()}/down/${SECRET}`;
    const tokensFile = writeTokensFile(tempDir('trust'), [admin]);
    let bundle;
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      idleCloseSeconds: 2,
      tokensFile,
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
    await new Promise<void>((r) => (hooks ? hooks.close(() => r()) : r()));
    process.env = envBefore;
  });

  it("a decider's own reply is published exactly as written: {{promo}} stays, an unclosed {{ is no error", async () => {
    const id = await capture('a1', '@sprintcare I want a refund');
    await waitStatus(id, 'awaiting-decision');
    const text = 'Use {{promo}} at checkout, and {{ this stays too';
    const result = await decide(id, { decision: 'approve', reply: text });
    expect(result.reply?.text).toBe(text);
    expect(outbox(id).map((l) => l.text)).toEqual(["Hi Jane, we're on it.", text]);
    const s = await waitStatus(id, 'resolved');
    expect(s.replies.map((r: any) => r.text)).toEqual(["Hi Jane, we're on it.", text]);
  });

  it('approving without a text still renders the policy draft', async () => {
    const id = await capture('a2', '@sprintcare refund please');
    await waitStatus(id, 'awaiting-decision');
    const result = await decide(id, { decision: 'approve' });
    expect(result.reply?.text).toBe('Hi Jane, we have fixed it.');
  });

  it('a team webhook that is down delays nothing: the escalation opens, times out and moves on time, and is decided at once; the failure is recorded, counted and falls back to the file', async () => {
    const id = await capture('b1', '@sprintcare outage in my street');
    const opened = await waitStatus(id, 'awaiting-decision', 5_000);
    expect(opened.escalations[0]).toMatchObject({ team: 'on-call', level: 1, status: 'pending' });
    // decideWithin 3s: the chain moves to customer-care on time, not after the webhook's retries.
    const moved = await waitFor('second level', async () => {
      const s = await state(id);
      return s.escalations.length === 2 ? s : null;
    });
    const [first, second] = moved.escalations;
    expect(Date.parse(second.openedAt) - Date.parse(first.openedAt)).toBeLessThan(5_000);
    expect(second).toMatchObject({ team: 'customer-care', level: 2 });
    await decide(id, { decision: 'reject', note: 'handled by phone' }, 5_000);
    // The webhook gets four attempts (about 7 s), then the file takes the notification.
    const events = await waitFor(
      'the failure in the timeline',
      async () => {
        const evs = await timeline(id);
        return evs.filter((e) => e.type === 'notification.failed').length >= 2 ? evs : null;
      },
      40_000,
    );
    const failed = events.filter((e) => e.type === 'notification.failed');
    expect(failed.map((e) => e.team)).toEqual(['on-call', 'on-call']);
    expect(failed[0]).toMatchObject({ attempts: 4, fallback: 'file' });
    expect(failed[0]!.error).toMatch(/^webhook for team on-call failed: ECONNREFUSED$/);
    const fallback = notes(id).filter((n) => n.team === 'on-call');
    expect(fallback.map((n) => n.kind).sort()).toEqual(['escalation', 'notify']);
    expect(fallback.every((n) => n.via === 'file' && /ECONNREFUSED/.test(n.webhookError))).toBe(true);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/hearken_notification_failures_total\{team="on-call",kind="escalation"\} [1-9]/);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  }, 60_000);

  it('an escalation chain nobody decides rises level by level and ends unanswered: breach flagged, the last team told, no follow-up presuming an answer', async () => {
    const id = await capture('d1', '@sprintcare nobody helps me');
    const s = await waitFor('the follow-up step done', async () => {
      const st = await state(id);
      return st.steps.some((x: any) => x.kind === 'followUp' && x.status !== 'running') ? st : null;
    });
    expect(s.status).toBe('unanswered');
    expect(s.escalations.map((e: any) => [e.team, e.level, e.status])).toEqual([
      ['customer-care', 1, 'timed-out'],
      ['duty-manager', 2, 'timed-out'],
      ['management', 3, 'timed-out'],
    ]);
    expect(s.steps.find((x: any) => x.kind === 'followUp')).toMatchObject({ status: 'skipped', outcome: 'skipped: unanswered' });
    expect(outbox(id).map((l) => l.text)).toEqual(["Hi Jane, we're on it."]);
    expect(s.commitments.find((c: any) => c.name === 'resolution')?.status).not.toBe('met');
    const events = await timeline(id);
    expect(events.filter((e) => e.type === 'escalation.unanswered')).toEqual([expect.objectContaining({ team: 'management', level: 3 })]);
    expect(events.some((e) => e.type === 'followUp.withheld' && e.reason === 'unanswered')).toBe(true);
    await waitFor('the last team told', async () => notes(id).some((n) => n.kind === 'unanswered' && n.team === 'management'));
    const desc = await svc.client.workflow.getHandle(id).describe();
    expect(desc.searchAttributes.HearkenStatus).toEqual(['unanswered']);
    expect(desc.searchAttributes.HearkenBreached).toEqual([true]);
    // It stays unanswered when the thread closes.
    const closed = await waitFor('closed', async () => {
      const st = await state(id);
      return st.workflow.status === 'COMPLETED' ? st : null;
    });
    expect(closed.status).toBe('unanswered');
  }, 40_000);

  it("the brand's own post in the thread meets firstResponse; a third party's post is recorded, starts no clock and is not the customer's reply", async () => {
    const id = await capture('e1', '@sprintcare my router keeps dropping');
    await capture('e2', '@jane try a restart, we are checking the line', {
      threadId: 'e1',
      inReplyTo: 'e1',
      author: { id: 'brand-1', handle: 'SprintCare', name: 'Sprint Care' },
    });
    await capture('e3', '@sprintcare same here!', { threadId: 'e1', inReplyTo: 'e1', author: { id: 'bob-1', handle: 'bob' } });
    const s = await waitStatus(id, 'resolved');
    const first = s.commitments.find((c: any) => c.name === 'firstResponse');
    expect(first).toMatchObject({ status: 'met' });
    expect(first.marginMs).toBeGreaterThan(0);
    expect(s.commitments.filter((c: any) => c.name === 'nextResponse')).toEqual([]);
    expect(s.replies.map((r: any) => [r.kind, r.postId, r.messageId])).toEqual([
      ['brandPost', 'e1', 'e2'],
      ['followUp', 'e1', expect.stringMatching(/^outbox-/)],
    ]);
    // The follow-up went to the customer's post: the third party did not count as the customer replying.
    expect(outbox(id).map((l) => [l.postId, l.text])).toEqual([['e1', 'Hi Jane, is everything working again?']]);
    const events = await timeline(id);
    expect(events.find((e) => e.type === 'post.brand-reply')).toMatchObject({ postId: 'e2', inReplyTo: 'e1' });
    expect(events.find((e) => e.type === 'post.third-party')).toMatchObject({ postId: 'e3', author: 'bob' });
    expect(events.some((e) => e.type === 'post.customer-reply')).toBe(false);
  }, 30_000);

  it("the customer's later post starts nextResponse; the brand's post answers it", async () => {
    const id = await capture('n1', '@sprintcare router broken again');
    await capture('n2', '@sprintcare hello??', { threadId: 'n1', inReplyTo: 'n1' });
    await waitFor('nextResponse running', async () => (await state(id)).commitments.some((c: any) => c.name === 'nextResponse'));
    await capture('n3', '@jane we see it, a technician is coming', {
      threadId: 'n1',
      inReplyTo: 'n2',
      author: { id: 'brand-1', handle: 'sprintcare' },
    });
    const s = await waitStatus(id, 'resolved');
    expect(s.commitments.find((c: any) => c.name === 'nextResponse')).toMatchObject({ postId: 'n2', status: 'met' });
    expect(s.replies.map((r: any) => [r.kind, r.postId])).toEqual([['brandPost', 'n2']]);
    expect(s.steps.find((x: any) => x.kind === 'followUp')).toMatchObject({ status: 'skipped' });
    expect(outbox(id)).toEqual([]);
  }, 30_000);

  it("a policy with thirdPartyPosts: asCustomer counts a third party's post as the customer's reply", async () => {
    const id = await capture('x1', '@sprintcare refund for my family plan');
    await waitStatus(id, 'awaiting-decision');
    await capture('x2', '@sprintcare same for me', { threadId: 'x1', inReplyTo: 'x1', author: { id: 'bob-1', handle: 'bob' } });
    const events = await waitFor('the reply counted', async () => {
      const evs = await timeline(id);
      return evs.some((e) => e.type === 'post.customer-reply') ? evs : null;
    });
    expect(events.find((e) => e.type === 'post.customer-reply')).toMatchObject({ postId: 'x2' });
    expect(events.some((e) => e.type === 'post.third-party')).toBe(false);
    await decide(id, { decision: 'reject' });
  });

  it('a commitment about to breach warns the team first (warnAt 50% of a 4 s first response)', async () => {
    const id = await capture('k1', '@sprintcare warnme about my plan');
    const warning = await waitFor('the warning', async () => notes(id).find((n) => n.kind === 'warning'), 10_000);
    expect(warning.team).toBe('customer-care'); // the team the escalation waits on
    const events = await waitFor('the breach', async () => {
      const evs = await timeline(id);
      return evs.some((e) => e.type === 'commitment.breached') ? evs : null;
    });
    const warned = events.find((e) => e.type === 'commitment.warned')!;
    const breached = events.find((e) => e.type === 'commitment.breached')!;
    expect(warned).toMatchObject({ commitment: 'firstResponse', team: 'customer-care' });
    const createdAt = Date.parse(events.find((e) => e.type === 'post.captured')!.createdAt);
    expect(Date.parse(warned.at) - createdAt).toBeGreaterThanOrEqual(1_900);
    expect(Date.parse(warned.at)).toBeLessThan(Date.parse(breached.at));
    const s = await state(id);
    expect(s.commitments[0].warnedAt).toBe(warned.at);
    await decide(id, { decision: 'reject' });
  }, 30_000);

  it('a team webhook URL (a secret) is in no history, memo, search attribute or API response: the activity looks it up when it sends', async () => {
    const id = await capture('f1', '@sprintcare secretdesk needs you');
    await waitFor('both notifications at the webhook', async () => received.filter((r) => r.body.interactionId === id).length >= 2);
    expect(received.filter((r) => r.body.interactionId === id).map((r) => [r.url, r.body.kind])).toEqual(
      expect.arrayContaining([
        [`/hooks/${SECRET}`, 'notify'],
        [`/hooks/${SECRET}`, 'escalation'],
      ]),
    );
    const handle = svc.client.workflow.getHandle(id);
    const history = await handle.fetchHistory();
    // Payloads are bytes (base64 in JSON): read them as text so a URL inside one is found.
    const historyText = JSON.stringify(history, (k, v: unknown) =>
      k === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v,
    );
    expect(historyText).toContain('secret-desk'); // the plan's teams are there, their webhooks not
    expect(historyText).toContain('assessPost');
    const desc = await handle.describe();
    const responses = [
      historyText,
      JSON.stringify({ memo: desc.memo, searchAttributes: desc.searchAttributes }),
      JSON.stringify((await getJson(`${svc.url}/v1/interactions/${id}`)).body),
      JSON.stringify((await getJson(`${svc.url}/v1/interactions/${id}/history`)).body),
      JSON.stringify((await getJson(`${svc.url}/v1/escalations`, bearer(admin))).body),
      JSON.stringify((await getJson(`${svc.url}/v1/policies`)).body),
      await (await fetch(`${svc.url}/metrics`)).text(),
    ];
    for (const text of responses) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('/hooks/');
    }
    await decide(id, { decision: 'reject' });
  }, 30_000);
});
