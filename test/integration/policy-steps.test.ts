// Every step kind and every commitment, with short real timers, on a real
// Temporal dev server. Posts go in over HTTP; decisions go to the workflow's
// `decide` update (the HTTP decision API has its own tests).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { decideUpdate, type DecisionInput } from '../../src/workflows/definitions';
import { jsonLines } from '../helpers/files';
import { eventually, getJson, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/all-steps');
const run = temporalAvailable() ? describe : describe.skip;

run('policy steps and commitments', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;
  const outbox = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
  const notes = (id: string) => jsonLines(svc.config.dataDir, 'notifications.jsonl').filter((l) => l.interactionId === id);
  const state = async (id: string) => (await getJson(`${svc.url}/v1/interactions/${id}`)).body;
  const timeline = async (id: string) =>
    (await getJson(`${svc.url}/v1/interactions/${id}/history`)).body.events as Array<Record<string, any>>;
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
  const decide = (id: string, d: Omit<DecisionInput, 'decider'>) =>
    svc.client.workflow.getHandle(id).executeUpdate(decideUpdate, { args: [{ ...d, decider: { name: 'dana', role: 'lead' } }] });
  const waitStatus = (id: string, status: string, ms = 30_000) =>
    eventually(
      async () => {
        const s = await state(id);
        return s?.status === status ? s : null;
      },
      ms,
      `${id} ${status}`,
    );

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, idleCloseSeconds: 2 });
  });
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('when a lead approves an escalation, the approved reply is published once and the plan goes on to its follow-up', async () => {
    const id = await capture('e1', '@sprintcare help, my bill is wrong');
    await waitStatus(id, 'awaiting-decision');
    await eventually(async () => notes(id).length === 2, 10_000, 'escalation notification');
    // Notifications run beside the steps: these two are sent side by side.
    expect(
      notes(id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['escalation', 'notify']);
    const result = await decide(id, { decision: 'approve', reply: 'We refunded the charge, Jane.', note: 'checked the invoice' });
    expect(result.decision).toBe('approve');
    expect(result.reply?.text).toBe('We refunded the charge, Jane.');
    // Approving a second time finds nothing pending.
    await expect(decide(id, { decision: 'approve', reply: 'again' })).rejects.toMatchObject({
      cause: { message: 'nothing is waiting for a decision' },
    });
    const s = await waitStatus(id, 'resolved');
    expect(s.replies.map((r: any) => r.kind)).toEqual(['interimReply', 'approvedReply', 'followUp']);
    expect(outbox(id).map((l) => l.text)).toEqual([
      "Hi Jane, we're on it.",
      'We refunded the charge, Jane.',
      'Hi Jane, is everything sorted?',
    ]);
    expect(s.escalations[0]).toMatchObject({
      team: 'customer-care',
      status: 'approved',
      decidedBy: { name: 'dana', role: 'lead' },
      note: 'checked the invoice',
    });
    const byName = Object.fromEntries(s.commitments.map((c: any) => [c.name, c]));
    expect(byName.firstResponse.status).toBe('met');
    expect(byName.resolution.status).toBe('met');
    expect(byName.resolution.marginMs).toBeGreaterThan(0);
    const decided = (await timeline(id)).find((e) => e.type === 'escalation.decided');
    expect(decided).toMatchObject({ actor: 'dana', role: 'lead', decision: 'approve', note: 'checked the invoice' });
  });

  it('an escalation nobody decides reminds its team, sends periodic updates, runs its timeout chain one level up, and ends unanswered: the breach is recorded and notified, the follow-up text withheld', async () => {
    const id = await capture('e2', '@sprintcare help! nobody answers');
    const s = await eventually(
      async () => {
        const st = await state(id);
        return st.steps.some((x: any) => x.kind === 'followUp' && x.status !== 'running') ? st : null;
      },
      40_000,
      'the follow-up step done',
    );
    expect(s.status).toBe('unanswered');
    expect(s.escalations.map((e: any) => [e.team, e.level, e.status])).toEqual([
      ['customer-care', 1, 'timed-out'],
      ['duty-manager', 2, 'timed-out'],
    ]);
    await eventually(async () => notes(id).some((n) => n.kind === 'unanswered'), 10_000, 'the last team told');
    const kinds = notes(id).map((n) => `${n.kind}:${n.team}`);
    expect(kinds).toContain('reminder:customer-care');
    expect(kinds).toContain('escalation:duty-manager');
    expect(kinds).toContain('notify:duty-manager'); // onBreach
    expect(kinds).toContain('unanswered:duty-manager'); // the last team of the chain
    const replies = s.replies.map((r: any) => r.kind);
    expect(replies[0]).toBe('interimReply');
    expect(replies).toContain('periodicUpdate');
    expect(replies).not.toContain('followUp'); // "is everything sorted?" to a customer nobody answered
    expect(s.steps.find((x: any) => x.kind === 'followUp')).toMatchObject({ status: 'skipped', outcome: 'skipped: unanswered' });
    const periodic = s.commitments.filter((c: any) => c.name === 'periodicUpdate' && c.status === 'met');
    expect(periodic.length).toBeGreaterThanOrEqual(1);
    const resolution = s.commitments.find((c: any) => c.name === 'resolution');
    expect(resolution.status).toBe('breached');
    expect(resolution.metAt).toBeUndefined(); // never resolved: the steps finishing does not count
    const events = await timeline(id);
    const breached = events.find((e) => e.type === 'commitment.breached' && e.commitment === 'resolution');
    expect(breached?.deadline).toBe(resolution.deadline);
    expect(events.filter((e) => e.type === 'escalation.timed-out')).toHaveLength(2);
    expect(events.find((e) => e.type === 'escalation.unanswered')).toMatchObject({ team: 'duty-manager', level: 2 });
    // Every published line has its own key.
    const keys = outbox(id).map((l) => l.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  }, 60_000);

  it('reassign hands the escalation to another team with a fresh deadline; reject closes it without a public reply', async () => {
    const id = await capture('e3', '@sprintcare help with my contract');
    const first = await waitStatus(id, 'awaiting-decision');
    await expect(decide(id, { decision: 'reassign', team: 'nope' })).rejects.toMatchObject({
      cause: { message: 'team: unknown team "nope"' },
    });
    await decide(id, { decision: 'reassign', team: 'billing', note: 'billing question' });
    const second = await eventually(
      async () => {
        const s = await state(id);
        return s.escalations.length === 2 ? s : null;
      },
      10_000,
      'second escalation',
    );
    expect(second.escalations[1]).toMatchObject({ team: 'billing', status: 'pending' });
    expect(Date.parse(second.escalations[1].deadline)).toBeGreaterThan(Date.parse(first.escalations[0].deadline));
    await decide(id, { decision: 'reject', note: 'not a real issue' });
    const done = await waitStatus(id, 'resolved');
    expect(done.escalations.map((e: any) => e.status)).toEqual(['reassigned', 'rejected']);
    expect(done.replies.map((r: any) => r.kind)).toEqual(['interimReply', 'followUp']);
  });

  it('a later customer post starts a nextResponse clock; unanswered, it is breached and the follow-up is skipped because the customer replied', async () => {
    const id = await capture('c1', '@sprintcare can we chat about my plan');
    await eventually(async () => outbox(id).length === 1, 20_000, 'interim reply');
    await capture('c2', '@sprintcare hello? still there?', { threadId: 'c1', inReplyTo: 'c1', inReplyToAuthor: 'sprintcare' });
    const s = await waitStatus(id, 'resolved', 20_000);
    expect(s.posts).toHaveLength(2);
    const next = s.commitments.find((c: any) => c.name === 'nextResponse');
    expect(next).toMatchObject({ postId: 'c2', status: 'breached' });
    expect(s.steps.find((st: any) => st.kind === 'followUp')).toMatchObject({ status: 'skipped' });
    expect(notes(id).map((n) => `${n.kind}:${n.team}`)).toContain('notify:duty-manager');
    expect(outbox(id)).toHaveLength(1);
  });

  it('a final reply resolves the interaction; a finished interaction closes after its idle time', async () => {
    const id = await capture('p1', '@sprintcare thanks, you are great');
    const s = await waitStatus(id, 'resolved');
    expect(s.replies.map((r: any) => r.kind)).toEqual(['reply']);
    expect(s.commitments.map((c: any) => [c.name, c.status])).toEqual([
      ['firstResponse', 'met'],
      ['resolution', 'met'],
    ]);
    const closed = await eventually(
      async () => {
        const c = await state(id);
        return c.workflow.status === 'COMPLETED' ? c : null;
      },
      20_000,
      'workflow completed',
    );
    expect(closed.status).toBe('closed');
  });

  it('a takeover voids a pending escalation: a decision sent afterwards finds nothing pending', async () => {
    const id = await capture('s1', '@sprintcare help with my bill');
    await waitStatus(id, 'awaiting-decision');
    await capture('s2', '@sprintcare my account was hacked!', { threadId: 's1' });
    const s = await waitStatus(id, 'resolved');
    expect(s.policy.id).toBe('security');
    expect(s.escalations[0].status).toBe('cancelled');
    expect(s.commitments.filter((c: any) => c.status === 'superseded').map((c: any) => c.name)).toContain('resolution');
    await expect(decide(id, { decision: 'reject' })).rejects.toMatchObject({ cause: { message: 'nothing is waiting for a decision' } });
    const events = await timeline(id);
    expect(events.find((e) => e.type === 'escalation.cancelled')).toMatchObject({ team: 'customer-care', reason: 'takeover' });
  });

  it('a later post that selects a higher-priority policy takes over the thread', async () => {
    const id = await capture('t1', 'Sprint is slow today');
    await waitStatus(id, 'ignored');
    await capture('t2', '@sprintcare help, I cannot make calls', { threadId: 't1' });
    const s = await waitStatus(id, 'awaiting-decision');
    expect(s.policy.id).toBe('escalation');
    const events = await timeline(id);
    expect(events.find((e) => e.type === 'policy.takeover')).toMatchObject({ from: 'overheard', to: 'escalation', postId: 't2' });
    await decide(id, { decision: 'reject' });
  });
});
