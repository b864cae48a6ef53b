// Commitment clocks: each a durable timer racing a condition. Events
// `started`, `paused`, `warned`, `met` (with margin) and `breached` go to the
// timeline; a breach runs the policy's onBreach steps once.
import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { CommitmentName, Duration, Step } from '../shared/plan';
import { SA } from '../shared/search-attributes';
import type { CommitmentRecord } from './definitions';
import type { RunContext } from './run-context';
import { waitFor } from './wait';

/** Opens a commitment clock: a record and a `started` event. */
export function openCommitment(
  ctx: RunContext,
  name: CommitmentName,
  postId: string,
  startedAt: number,
  deadline: number,
  business: boolean,
  replyIndex = ctx.state.replies.length,
): CommitmentRecord {
  const c: CommitmentRecord = {
    id: `${name}:${postId}:${ctx.state.commitments.length}`,
    name,
    postId,
    startedAt: new Date(startedAt).toISOString(),
    deadline: new Date(deadline).toISOString(),
    business,
    status: 'running',
    replyIndex,
  };
  ctx.state.commitments.push(c);
  ctx.record('commitment.started', { commitment: name, postId, startedAt: c.startedAt, deadline: c.deadline, business });
  return c;
}

/** Whether what the clock waits for has happened: a reply (ours or the brand's own post) after it started, or the resolution. */
export function isMet(ctx: RunContext, c: CommitmentRecord): boolean {
  if (c.name === 'resolution') return ctx.resolved;
  return ctx.state.replies.length > c.replyIndex;
}

/** Starts a clock and watches it; resolves once it is met (possibly late). */
export async function watchCommitment(
  ctx: RunContext,
  name: CommitmentName,
  postId: string,
  startedAt: number,
  deadline: number,
  business: boolean,
  replyIndex?: number,
): Promise<void> {
  const c = openCommitment(ctx, name, postId, startedAt, deadline, business, replyIndex);
  if (business && !isMet(ctx, c) && deadline > Date.now() && ctx.active?.plan.calendar && !ctx.active.plan.calendar.always) {
    // A business clock does not run while the calendar is closed (the deadline
    // already accounts for that); say so in the timeline.
    await recordPauseIfClosed(ctx, c);
  }
  await superviseCommitment(ctx, c);
}

/**
 * Races the clock against what it waits for. Also used to resume clocks
 * carried over a continue-as-new.
 */
export async function superviseCommitment(ctx: RunContext, c: CommitmentRecord): Promise<void> {
  const deadline = Date.parse(c.deadline);
  const met = () => isMet(ctx, c);
  // Only a plan with `warnAt` waits here (no await otherwise: the commands of
  // clocks recorded before warnAt existed stay in their order).
  if (wantsWarning(ctx, c)) await warnBeforeBreach(ctx, c);
  const remaining = deadline - Date.now();
  const metInTime = met() || (remaining > 0 && (await condition(met, remaining, { summary: `${c.name} deadline ${c.deadline}` })));
  if (c.status === 'superseded') return;
  if (metInTime) {
    settleCommitment(ctx, c);
    return;
  }
  c.status = 'breached';
  ctx.record('commitment.breached', {
    commitment: c.name,
    postId: c.postId,
    deadline: c.deadline,
    byMs: Math.max(0, Date.now() - deadline),
  });
  upsertSearchAttributes([{ key: SA.breached, value: true }]);
  ctx.refreshSummary();
  const onBreach = ctx.active?.plan.onBreach ?? [];
  if (onBreach.length > 0) await ctx.runSteps(onBreach, `onBreach.${c.id}`);
  // Still record when it is met at last, so "breached by how much" is known.
  // (A takeover cancels this wait through the plan's cancellation scope.)
  await condition(met);
  settleCommitment(ctx, c);
}

/** Records a clock as met now; a breached clock keeps its status and gets a negative margin. */
export function settleCommitment(ctx: RunContext, c: CommitmentRecord): void {
  const metAt = Date.now();
  const late = c.status === 'breached';
  c.metAt = new Date(metAt).toISOString();
  c.marginMs = Date.parse(c.deadline) - metAt;
  if (!late) c.status = 'met';
  ctx.refreshSummary();
  ctx.record('commitment.met', { commitment: c.name, postId: c.postId, deadline: c.deadline, marginMs: c.marginMs, late });
}

function wantsWarning(ctx: RunContext, c: CommitmentRecord): boolean {
  // periodicUpdate: Hearken sends those itself, just before their deadline.
  return ctx.active?.plan.warnAt !== undefined && c.name !== 'periodicUpdate' && c.warnedAt === undefined && !isMet(ctx, c);
}

/**
 * `warnAt` of the clock's time gone and not met: tell the team that can still
 * act (warnTeam). In business time when the clock counts business time, so a
 * warning never comes while the team is closed. A clock captured late is
 * warned at once, unless it is already breached.
 */
async function warnBeforeBreach(ctx: RunContext, c: CommitmentRecord): Promise<void> {
  const plan = ctx.active!.plan;
  const share = plan.warnAt!;
  const startedAt = Date.parse(c.startedAt);
  const deadline = Date.parse(c.deadline);
  const d = plan.commitments[c.name];
  const warnAt =
    d?.business === true
      ? await ctx.deadlineAfter(startedAt, { ...d, ms: Math.round(d.ms * share) })
      : startedAt + Math.round((deadline - startedAt) * share);
  const met = await waitFor(() => isMet(ctx, c), Math.min(warnAt, deadline) - Date.now(), `warn ${c.name} ${c.deadline}`);
  if (met || c.status !== 'running' || Date.now() >= deadline) return;
  c.warnedAt = new Date(Date.now()).toISOString();
  const team = warnTeam(ctx);
  ctx.record('commitment.warned', { commitment: c.name, postId: c.postId, deadline: c.deadline, team: team ?? null });
  if (team) {
    await ctx.notify(
      team,
      'warning',
      `${c.name} for ${ctx.interactionId} breaches at ${c.deadline} unless the customer is answered`,
      `commitments/${c.id}/warning`,
    );
  }
}

/**
 * Who is warned: the team of the escalation pending now (it can answer);
 * else the first team the policy's steps name (escalate, notify, followUp);
 * else the first team of onBreach; else nobody (the warning is only recorded).
 */
export function warnTeam(ctx: RunContext): string | undefined {
  if (ctx.openEscalation) return ctx.openEscalation.team;
  const plan = ctx.active?.plan;
  return plan ? (firstTeam(plan.steps) ?? firstTeam(plan.onBreach)) : undefined;
}

function firstTeam(steps: Step[]): string | undefined {
  for (const s of steps) {
    if (s.kind === 'escalate' || s.kind === 'notify') return s.team;
    if (s.kind === 'followUp' && s.team !== undefined) return s.team;
  }
  return undefined;
}

async function recordPauseIfClosed(ctx: RunContext, c: CommitmentRecord): Promise<void> {
  // One minute of business time from now: if that lands later than a minute
  // of wall time, the calendar is closed right now.
  const probe: Duration = { ms: 60_000, business: true, source: '1m business' };
  const now = Date.now();
  const oneOpenMinute = await ctx.deadlineAfter(now, probe);
  if (oneOpenMinute - now > 60_000) {
    ctx.record('commitment.paused', { commitment: c.name, postId: c.postId, resumesAt: new Date(oneOpenMinute - 60_000).toISOString() });
  }
}

/** Marks the running clocks of a plan that another plan took over. */
export function supersedeRunning(ctx: RunContext): void {
  for (const c of ctx.state.commitments) {
    if (c.status === 'running') {
      c.status = 'superseded';
      ctx.record('commitment.superseded', { commitment: c.name, postId: c.postId });
    }
  }
}
