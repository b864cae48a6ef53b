// Audit: every interaction explains itself — its timeline entry by entry,
// lists and customer profiles from visibility, and long threads that
// continue-as-new without losing a post.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { decideUpdate } from '../../src/workflows/definitions';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';
import { bearer, TEST_VIEWER } from '../helpers/tokens';

const REPLAY_PACK = path.resolve(import.meta.dirname, '../fixtures/packs/replay');
const BASIC_PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() ? describe : describe.skip;

type Ev = Record<string, any> & { at: string; type: string };

const ROOT = path.resolve(import.meta.dirname, '../..');
function runCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/hearken.mjs', ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

run('audit', () => {
  let server: DevServer;
  let svc: TestService;
  let longSvc: TestService;
  const capture = async (s: TestService, id: string, text: string, author = 'audit-1', extra: Record<string, unknown> = {}) => {
    const res = await postJson(`${s.url}/v1/posts`, {
      channel: 'twitter',
      id,
      author: { id: author, handle: 'jane', name: 'Jane' },
      text,
      createdAt: new Date().toISOString(),
      ...extra,
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  const timeline = async (s: TestService, id: string): Promise<Ev[]> =>
    (await getJson(`${s.url}/v1/interactions/${id}/history`)).body.events;
  const completed = (s: TestService, id: string) =>
    eventually(
      async () => {
        const st = (await getJson(`${s.url}/v1/interactions/${id}`)).body;
        return st.workflow?.status === 'COMPLETED' ? st : null;
      },
      40_000,
      `${id} completed`,
    );
  const types = (evs: Ev[]) => evs.map((e) => e.type);
  const inOrder = (evs: Ev[], expected: string[]) => {
    let from = 0;
    for (const t of expected) {
      const i = evs.findIndex((e, k) => k >= from && e.type === t);
      expect(i, `${t} after index ${from} in ${types(evs).join(', ')}`).toBeGreaterThanOrEqual(0);
      from = i + 1;
    }
  };

  beforeAll(async () => {
    const [s, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    server = s;
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: REPLAY_PACK,
      idleCloseSeconds: 1,
    });
    longSvc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: BASIC_PACK,
      idleCloseSeconds: 600,
      maxHistoryEvents: 400,
    });
  });
  afterAll(async () => {
    await longSvc?.stop();
    await svc?.stop();
    await server?.stop();
  });

  it('an ignored post: captured, triaged, policy chosen with its version, ignored with the reason, closed', async () => {
    const id = await capture(svc, 'a-ignore', 'Sprint is slow today', 'audit-1');
    await completed(svc, id);
    const evs = await timeline(svc, id);
    inOrder(evs, [
      'run.started',
      'post.captured',
      'post.triaged',
      'policy.evaluated',
      'policy.selected',
      'step.started',
      'status.changed',
      'step.finished',
      'interaction.closed',
      'run.completed',
    ]);
    expect(evs.find((e) => e.type === 'post.captured')).toMatchObject({
      source: 'temporal',
      postId: 'a-ignore',
      text: 'Sprint is slow today',
      author: { id: 'audit-1' },
    });
    expect(evs.find((e) => e.type === 'post.triaged')?.triage).toMatchObject({ addressedToUs: false });
    const selected = evs.find((e) => e.type === 'policy.selected')!;
    expect(selected).toMatchObject({ policy: 'overheard', source: 'workflow' });
    expect(selected.version).toMatch(/sha256:|\+/);
    expect(evs.find((e) => e.type === 'step.finished')?.outcome).toBe('ignored: not-addressed-to-us');
    // Oldest first.
    expect([...evs.map((e) => e.at)].sort()).toEqual(evs.map((e) => e.at));
  });

  it('an approved escalation: every timer with its purpose and deadline, the decision with decider, role and note, the reply with its message id, commitments with margins', async () => {
    const id = await capture(svc, 'a-approve', '@sprintcare my bill is wrong', 'audit-1');
    const handle = svc.client.workflow.getHandle(id);
    await eventually(
      async () => (await getJson(`${svc.url}/v1/interactions/${id}`)).body.status === 'awaiting-decision',
      10_000,
      'escalated',
    );
    await handle.executeUpdate(decideUpdate, {
      args: [{ decision: 'approve', note: 'looks right', decider: { name: 'dana', role: 'lead' } }],
    });
    await completed(svc, id);
    const evs = await timeline(svc, id);
    inOrder(evs, [
      'post.captured',
      'policy.selected',
      'commitment.started',
      'timer.set',
      'reply.published',
      'escalation.opened',
      'commitment.met',
      'timer.set',
      'decision.received',
      'escalation.decided',
      'reply.published',
      'step.started',
      'timer.set',
      'timer.fired',
      'reply.published',
      'interaction.closed',
      'run.completed',
    ]);
    const decideTimer = evs.find((e) => e.type === 'timer.set' && String(e.purpose).startsWith('decideWithin customer-care'))!;
    const opened = evs.find((e) => e.type === 'escalation.opened')!;
    expect(decideTimer.deadline).toBe(opened.deadline);
    expect(evs.some((e) => e.type === 'timer.cancelled' && e.timerId === decideTimer.timerId)).toBe(true);
    expect(evs.find((e) => e.type === 'decision.received')).toMatchObject({
      actor: 'dana',
      role: 'lead',
      decision: 'approve',
      source: 'temporal',
    });
    expect(evs.find((e) => e.type === 'escalation.decided')).toMatchObject({
      actor: 'dana',
      role: 'lead',
      note: 'looks right',
      team: 'customer-care',
    });
    const approved = evs.find((e) => e.type === 'reply.published' && e.kind === 'approvedReply')!;
    expect(approved.messageId).toMatch(/^outbox-/);
    expect(approved.idempotencyKey).toBe(`${id}/a-approve/steps[1].escalate/approved`);
    const firstResponse = evs.find((e) => e.type === 'commitment.met' && e.commitment === 'firstResponse')!;
    expect(firstResponse.marginMs).toBeGreaterThan(0);
    expect(firstResponse.late).toBe(false);
    const notified = evs.filter((e) => e.type === 'notification.sent').map((e) => `${e.kind}:${e.team}`);
    expect(notified).toContain('escalation:customer-care');
  });

  it('a timed-out escalation with a breach: reminder, timeout chain, breach by how much, the breach notification, unanswered', async () => {
    const id = await capture(svc, 'a-timeout', '@sprintcare bill bill bill', 'audit-2');
    const done = await completed(svc, id);
    expect(done.status).toBe('unanswered');
    const evs = await timeline(svc, id);
    inOrder(evs, [
      'escalation.opened',
      'escalation.reminded',
      'escalation.timed-out',
      'escalation.opened',
      'escalation.timed-out',
      'escalation.unanswered',
      'followUp.withheld',
      'interaction.closed',
    ]);
    const breach = evs.find((e) => e.type === 'commitment.breached' && e.commitment === 'resolution')!;
    expect(breach.byMs).toBeGreaterThanOrEqual(0);
    expect(breach.deadline).toBeTruthy();
    // Nobody answered: the resolution is never met, not even late.
    expect(evs.some((e) => e.type === 'commitment.met' && e.commitment === 'resolution')).toBe(false);
    expect(evs.some((e) => e.type === 'notification.sent' && e.team === 'duty-manager' && e.kind === 'notify')).toBe(true);
    expect(evs.some((e) => e.type === 'notification.sent' && e.team === 'duty-manager' && e.kind === 'unanswered')).toBe(true);
    expect(evs.filter((e) => e.type === 'timer.fired').length).toBeGreaterThanOrEqual(3);
  });

  it('the history streams as NDJSON for archives', async () => {
    const res = await fetch(`${svc.url}/v1/interactions/twitter:a-ignore/history?format=ndjson`, { headers: bearer(TEST_VIEWER) });
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].type).toBe('run.started');
    expect(lines.length).toBe((await timeline(svc, 'twitter:a-ignore')).length);
  });

  it('lists interactions from visibility, newest first, filtered and paginated; a customer profile sums them up', async () => {
    const byCustomer = await eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/interactions?customer=twitter:audit-1`);
        return res.body.interactions?.length === 2 ? res.body.interactions : null;
      },
      15_000,
      'two interactions for audit-1',
    );
    expect(byCustomer.map((i: any) => i.interactionId)).toEqual(['twitter:a-approve', 'twitter:a-ignore']);
    expect(byCustomer[0].links.interaction).toBe('/v1/interactions/twitter%3Aa-approve');
    const breached = await eventually(
      async () => {
        const res = await getJson(`${svc.url}/v1/interactions?breached=true`);
        return res.body.interactions?.some((i: any) => i.interactionId === 'twitter:a-timeout') ? res.body.interactions : null;
      },
      15_000,
      'breached list',
    );
    expect(breached.every((i: any) => i.breached)).toBe(true);
    const page1 = (await getJson(`${svc.url}/v1/interactions?customer=twitter:audit-1&limit=1`)).body;
    expect(page1.interactions).toHaveLength(1);
    expect(page1.nextPageToken).toBeTruthy();
    const page2 = (await getJson(`${svc.url}/v1/interactions?customer=twitter:audit-1&limit=1&pageToken=${page1.nextPageToken}`)).body;
    expect(page2.interactions[0].interactionId).not.toBe(page1.interactions[0].interactionId);
    const bad = await getJson(`${svc.url}/v1/interactions?status=sleeping&limit=0`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['limit', 'status']);

    const profile = (await getJson(`${svc.url}/v1/customers/twitter/audit-1`)).body;
    expect(profile.interactions).toBe(2);
    expect(profile.perPolicy).toEqual({ billing: 1, overheard: 1 });
    expect(profile.perStatus).toEqual({ closed: 2 });
    expect(profile.commitments.met).toBeGreaterThanOrEqual(1);
    expect(profile.lastSentiment).toHaveProperty('label');
    expect((await getJson(`${svc.url}/v1/customers/twitter/nobody-here`)).status).toBe(404);
  });

  it('hearken audit export writes NDJSON of every interaction closed since a time, with its timeline', async () => {
    const out = path.join(svc.config.dataDir, 'export.ndjson');
    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    const { status, stderr } = await runCli(['audit', 'export', '--since', since, '--out', out, '--address', server.address]);
    expect(stderr).toMatch(/exported \d+ interactions? closed since/);
    expect(status).toBe(0);
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ids = lines.map((l) => l.interactionId);
    expect(ids).toEqual(expect.arrayContaining(['twitter:a-ignore', 'twitter:a-approve', 'twitter:a-timeout']));
    const approve = lines.find((l) => l.interactionId === 'twitter:a-approve');
    expect(approve.timeline.map((e: Ev) => e.type)).toContain('escalation.decided');
    expect((await runCli(['audit', 'export', '--since', 'last tuesday'])).status).toBe(2);
  }, 60_000);

  it('a 300-post thread continues as new and its history still shows every post', async () => {
    const thread = 'long-1';
    await capture(longSvc, thread, '@sprintcare hello, a long story follows', 'audit-long');
    for (let i = 1; i < 300; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, 300 - i) }, (_, k) =>
          capture(longSvc, `long-${i + k + 1}`, `@sprintcare part ${i + k}`, 'audit-long', { threadId: thread }),
        ),
      );
    }
    const id = `twitter:${thread}`;
    const evs = await eventually(
      async () => {
        const t = await timeline(longSvc, id);
        return t.filter((e) => e.type === 'post.triaged').length === 300 ? t : null;
      },
      150_000,
      'all 300 posts triaged',
      2_000,
    );
    const state = (await getJson(`${longSvc.url}/v1/interactions/${id}`)).body;
    expect((state.counts?.posts ?? 0) + state.posts.length).toBe(300);
    expect(state.replies.length + (state.counts?.replies ?? 0)).toBe(1);
    const captured = evs.filter((e) => e.type === 'post.captured').map((e) => e.postId);
    expect(new Set(captured).size).toBe(300);
    expect(evs.filter((e) => e.type === 'run.continued').length).toBeGreaterThanOrEqual(1);
    expect(evs.filter((e) => e.type === 'post.triaged')).toHaveLength(300);
    // A post captured again after the continue-as-new is still a duplicate.
    const again = await postJson(`${longSvc.url}/v1/posts`, {
      channel: 'twitter',
      id: 'long-2',
      threadId: thread,
      author: { id: 'audit-long' },
      text: '@sprintcare part 1',
      createdAt: new Date().toISOString(),
    });
    expect(again.body.duplicate).toBe(true);
  }, 240_000);
});
