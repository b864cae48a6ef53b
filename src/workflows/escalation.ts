// An escalation waits for a human decision (the `decide` update) until its
// `decideWithin` runs out, reminding the team on the way and sending
// periodic interim updates to the customer; on timeout its onTimeout chain
// runs, one level up. A chain that ends with nobody deciding leaves the
// customer unanswered, and says so.
import { ApplicationFailure, condition, isCancellation, patched, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { ErrorType } from '../shared/errors';
import type { Step } from '../shared/plan';
import { SA } from '../shared/search-attributes';
import { openCommitment, settleCommitment } from './commitments';
import type { EscalationMemo, EscalationRecord } from './definitions';
import { isHeld, publishOrHold, supersede } from './held';
import { PATCH } from './patches';
import type { RunContext } from './run-context';
import { waitFor } from './wait';

type EscalateStep = Extract<Step, { kind: 'escalate' }>;

export async function runEscalation(ctx: RunContext, step: EscalateStep, path: string, level: number): Promise<string> {
  let team = step.team;
  for (let round = 0; ; round++) {
    const openedAt = Date.now();
    const deadline = await ctx.deadlineAfter(openedAt, step.decideWithin);
    const post = ctx.lastPost();
    const esc: EscalationRecord = {
      stepPath: path,
      team,
      level,
      openedAt: new Date(openedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
      status: 'pending',
      postId: post.id,
      ...(step.draftText !== undefined ? { draftReply: step.draftText } : {}),
    };
    ctx.state.escalations.push(esc);
    ctx.openEscalation = esc;
    ctx.setStatus('awaiting-decision');
    ctx.state.deadlines.decision = esc.deadline;
    upsertSearchAttributes([
      { key: SA.team, value: team },
      { key: SA.decisionDeadline, value: new Date(deadline) },
    ]);
    const memo: EscalationMemo = {
      team,
      level,
      openedAt: esc.openedAt,
      deadline: esc.deadline,
      post: { id: post.id, channel: post.channel, author: post.author, text: post.text.slice(0, 1000), createdAt: post.createdAt },
      triage: ctx.state.triage,
      policy: ctx.state.policy ? { id: ctx.state.policy.id, version: ctx.state.policy.version } : null,
      draftReply: esc.draftReply ?? null,
    };
    upsertMemo({ escalation: memo });
    ctx.record('escalation.opened', { team, level, stepPath: path, deadline: esc.deadline });
    await ctx.notify(team, 'escalation', `Decision needed by ${esc.deadline} for ${ctx.interactionId}`, `${path}/${round}/opened`);

    const decided = () => ctx.pendingDecision !== null;
    const background = [
      ctx.background(remindLater(ctx, step, esc, openedAt, `${path}/${round}`), 'reminder'),
      ctx.background(periodicUpdates(ctx, esc, `${path}/${round}`), 'periodicUpdate'),
    ];
    let inTime: boolean;
    try {
      inTime = await waitFor(decided, deadline - Date.now(), `decideWithin ${team} ${esc.deadline}`);
    } catch (err) {
      if (isCancellation(err)) abandon(ctx, esc);
      throw err;
    }
    ctx.openEscalation = null;
    ctx.setStatus('responding');
    if (!inTime) {
      esc.status = 'timed-out';
      ctx.record('escalation.timed-out', { team, level, stepPath: path, deadline: esc.deadline });
      await Promise.all(background);
      const chainStart = ctx.state.escalations.indexOf(esc);
      await ctx.runSteps(step.onTimeout, `${path}.onTimeout`, level + 1);
      // The innermost end of the chain notices first; outer levels find it marked.
      const chain = ctx.state.escalations.slice(chainStart);
      if (!ctx.unanswered && !chain.some((e) => e.status === 'approved' || e.status === 'rejected') && patched(PATCH.unanswered)) {
        await markUnanswered(ctx, chain[chain.length - 1] ?? esc, path);
      }
      return 'timed-out';
    }
    const d = ctx.takeDecision();
    await Promise.all(background);
    esc.decidedBy = d.input.decider;
    if (d.input.note !== undefined) esc.note = d.input.note;
    ctx.record(
      'escalation.decided',
      { decision: d.input.decision, team, level, note: d.input.note, role: d.input.decider.role, stepPath: path },
      d.input.decider.name,
    );
    if (d.input.decision === 'reassign') {
      esc.status = 'reassigned';
      team = d.input.team ?? team;
      d.resolve({ decision: 'reassign', team });
      continue;
    }
    if (d.input.decision === 'reject') {
      esc.status = 'rejected';
      d.resolve({ decision: 'reject', team });
      return 'rejected';
    }
    esc.status = 'approved';
    // The validator guarantees a reply text or a draft for approvals. The
    // decider's own text is published as written; only the draft is a template.
    const own = d.input.reply?.trim() ? d.input.reply : undefined;
    const text = own ?? esc.draftReply;
    let reply;
    try {
      reply =
        text !== undefined ? await ctx.publish(text, 'approvedReply', `${path}/approved`, { verbatim: own !== undefined }) : undefined;
    } catch (err) {
      // Cancelled by a takeover, or the channel failed for good: the decider must hear it.
      d.reject(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    ctx.resolved = true;
    d.resolve({
      decision: 'approve',
      team,
      ...(reply ? { reply: { messageId: reply.messageId, text: reply.text, publishedAt: reply.publishedAt } } : {}),
    });
    return 'approved';
  }
}

/**
 * Nobody decided anywhere along the chain: the interaction is `unanswered`,
 * flagged as breached, and the last team to hold it is told. The plan's
 * resolution is not met by its steps finishing, and a follow-up text is
 * withheld (steps.ts).
 */
async function markUnanswered(ctx: RunContext, last: EscalationRecord, path: string): Promise<void> {
  ctx.unanswered = true;
  ctx.record('escalation.unanswered', { team: last.team, level: last.level, stepPath: path, deadline: last.deadline });
  upsertSearchAttributes([{ key: SA.breached, value: true }]);
  ctx.setStatus('unanswered');
  await ctx.notify(
    last.team,
    'unanswered',
    `Nobody decided in time: ${ctx.interactionId} has had no answer (the last deadline was ${last.deadline}, team ${last.team}, level ${last.level})`,
    `${path}/unanswered`,
  );
}

/** A higher-priority policy took over: the escalation is void, and so is a decision not yet acted on. */
function abandon(ctx: RunContext, esc: EscalationRecord): void {
  esc.status = 'cancelled';
  if (ctx.openEscalation === esc) ctx.openEscalation = null;
  ctx.record('escalation.cancelled', { team: esc.team, level: esc.level, stepPath: esc.stepPath, reason: 'takeover' });
  const d = ctx.pendingDecision;
  if (d) {
    ctx.pendingDecision = null;
    d.reject(
      ApplicationFailure.create({
        type: ErrorType.EscalationMoved,
        message: 'the interaction was taken over by a higher-priority policy; the escalation is void',
      }),
    );
  }
}

async function remindLater(ctx: RunContext, step: EscalateStep, esc: EscalationRecord, openedAt: number, key: string): Promise<void> {
  if (step.remindAt === undefined) return;
  // The same share of *business* time when decideWithin counts open hours,
  // so a reminder never fires while the team is closed.
  const share = { ...step.decideWithin, ms: Math.round(step.decideWithin.ms * step.remindAt) };
  const remindAt = await ctx.deadlineAfter(openedAt, share);
  const decided = await waitFor(
    () => esc.status !== 'pending' || ctx.pendingDecision !== null,
    remindAt - Date.now(),
    `remind ${esc.team}`,
  );
  if (decided || esc.status !== 'pending') return;
  ctx.record('escalation.reminded', { team: esc.team, deadline: esc.deadline });
  await ctx.notify(esc.team, 'reminder', `Reminder: decision needed by ${esc.deadline} for ${ctx.interactionId}`, `${key}/reminder`);
}

/** Interim updates to the customer at least every `periodicUpdate` while the decision is pending. */
async function periodicUpdates(ctx: RunContext, esc: EscalationRecord, key: string): Promise<void> {
  const every = ctx.active?.plan.commitments.periodicUpdate;
  if (!every) return;
  const text = ctx.active?.plan.periodicUpdateText ?? ctx.interimText();
  if (text === undefined) return;
  const over = () => esc.status !== 'pending' || ctx.pendingDecision !== null;
  // A held update counts from when it was held and when a lead decided it,
  // so a pause does not pile up one update per period (held.ts).
  const heldTimes = () =>
    (ctx.state.held ?? [])
      .filter((h) => h.stepPath.startsWith(`${key}/`))
      .flatMap((h) => [h.heldAt, h.decidedAt ?? h.heldAt].map(Date.parse));
  for (let n = 1; ; n++) {
    const last = Math.max(Date.parse(esc.openedAt), ...ctx.state.replies.map((r) => Date.parse(r.publishedAt)), ...heldTimes());
    const due = await ctx.deadlineAfter(last, every);
    const c = openCommitment(ctx, 'periodicUpdate', ctx.lastPost().id, last, due, every.business);
    // Send a little before the deadline so the update is out in time.
    const sendAt = due - Math.min(60_000, Math.floor((due - last) / 10));
    if (await waitFor(over, sendAt - Date.now(), `periodicUpdate ${esc.team}`)) {
      c.status = 'superseded';
      ctx.record('commitment.superseded', { commitment: c.name, postId: c.postId, reason: 'decision' });
      return;
    }
    const out = await publishOrHold(ctx, text, 'periodicUpdate', `${key}/update-${n}`);
    if (isHeld(out)) {
      // One held update at a time; a decision on the escalation makes it moot.
      await condition(() => out.status !== 'held' || over());
      if (out.status === 'held' || out.status === 'discarded') {
        if (out.status === 'held') supersede(ctx, out, 'the escalation was decided');
        c.status = Date.now() > due ? 'breached' : 'superseded';
        ctx.record(`commitment.${c.status}`, {
          commitment: c.name,
          postId: c.postId,
          deadline: c.deadline,
          reason: `update ${out.status}`,
        });
        if (over()) return;
        continue;
      }
    }
    if (Date.now() > due) {
      c.status = 'breached';
      ctx.record('commitment.breached', { commitment: c.name, postId: c.postId, deadline: c.deadline, byMs: Date.now() - due });
    }
    settleCommitment(ctx, c);
  }
}
