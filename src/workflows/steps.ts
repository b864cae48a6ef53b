// The step interpreter: runs a policy's steps in order, each when the one
// before it has finished (DESIGN.md "Steps").
import { sleep } from '@temporalio/workflow';
import type { Step } from '../shared/plan';
import type { StepRecord } from './definitions';
import { runEscalation } from './escalation';
import { isHeld, publishOrHold } from './held';
import { publishOrHandOver } from './reply-too-long';
import type { RunContext } from './run-context';

/** `level`: the escalation level an escalate step in `steps` opens at (1, one more in each onTimeout). */
export async function runSteps(ctx: RunContext, steps: Step[], path: string, level = 1): Promise<void> {
  for (const [i, step] of steps.entries()) {
    await runStep(ctx, step, `${path}[${i}].${step.kind}`, level);
  }
}

async function runStep(ctx: RunContext, step: Step, path: string, level: number): Promise<void> {
  const rec: StepRecord = { path, kind: step.kind, status: 'running', startedAt: ctx.now() };
  ctx.state.steps.push(rec);
  ctx.record('step.started', { step: step.kind, stepPath: path });
  const outcome = await execute(ctx, step, path, level);
  rec.status = outcome.startsWith('skipped') ? 'skipped' : 'done';
  rec.outcome = outcome;
  rec.finishedAt = ctx.now();
  ctx.record('step.finished', { step: step.kind, stepPath: path, outcome });
}

async function execute(ctx: RunContext, step: Step, path: string, level: number): Promise<string> {
  switch (step.kind) {
    case 'ignore':
      ctx.state.ignoredReason = step.reason;
      ctx.setStatus('ignored');
      return `ignored: ${step.reason}`;
    case 'interimReply': {
      ctx.setStatus('responding');
      return publishAutomatic(ctx, step.text, 'interimReply', path);
    }
    case 'reply': {
      ctx.setStatus('responding');
      const outcome = await publishAutomatic(ctx, step.text, 'reply', path);
      // A held final answer resolves once it is released (held.ts).
      if (outcome === 'published') ctx.resolved = true;
      return outcome;
    }
    case 'notify':
      await ctx.notify(step.team, 'notify', step.message ?? `New interaction for ${step.team}: ${ctx.interactionId}`, path);
      return 'notified';
    case 'escalate':
      return runEscalation(ctx, step, path, level);
    case 'followUp':
      return runFollowUp(ctx, step, path);
  }
}

async function runFollowUp(ctx: RunContext, step: Extract<Step, { kind: 'followUp' }>, path: string): Promise<string> {
  // An unanswered interaction keeps saying so (ctx.unanswered is only ever set under PATCH.unanswered).
  if (!ctx.unanswered) ctx.setStatus('following-up');
  const startedAt = Date.now();
  const at = await ctx.deadlineAfter(startedAt, step.after);
  ctx.record('timer.set', { purpose: 'followUp', stepPath: path, deadline: new Date(at).toISOString() });
  if (at > Date.now()) await sleep(at - Date.now(), { summary: `followUp ${path}` });
  ctx.record('timer.fired', { purpose: 'followUp', stepPath: path });
  // "customerReplied": the customer wrote again in the thread after the first post.
  if (step.unless === 'customerReplied' && ctx.customerRepliedAt !== null) return 'skipped';
  if (step.unless === 'resolved' && ctx.resolved) return 'skipped';
  // A follow-up text ("is everything working again?") presumes an answer; a
  // customer nobody answered does not get it. Its team is still told.
  const withheld = ctx.unanswered && step.text !== undefined;
  if (withheld) ctx.record('followUp.withheld', { stepPath: path, template: step.template, reason: 'unanswered' });
  else if (step.text !== undefined) await publishAutomatic(ctx, step.text, 'followUp', path);
  if (step.team !== undefined) await ctx.notify(step.team, 'follow-up', `Follow up on ${ctx.interactionId}`, `${path}/notify`);
  return withheld && step.team === undefined ? 'skipped: unanswered' : 'followed-up';
}

/**
 * An automatic reply: held while publishing is paused (held.ts), handed to a
 * person when its channel refuses it as too long (reply-too-long.ts).
 */
async function publishAutomatic(
  ctx: RunContext,
  text: string,
  kind: 'interimReply' | 'reply' | 'followUp',
  path: string,
): Promise<'published' | 'held' | 'handed-over'> {
  return publishOrHandOver(ctx, text, kind, path, async () => (isHeld(await publishOrHold(ctx, text, kind, path)) ? 'held' : 'published'));
}
