// A reply its channel refuses as too long (ReplyTooLong, from the publish
// activity) is never cut and never retried: the interaction records it and
// tells the team that owns it, so a person answers in the thread (a reply
// made in the app counts, issue 13 item 7) or shortens the template. The
// steps after it carry on. Behind a patch: histories recorded before it
// failed the plan at that point and must replay that way.
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { ErrorType } from '../shared/errors';
import type { Plan, Step } from '../shared/plan';
import type { ReplyRecord } from './definitions';
import { PATCH } from './patches';
import type { RunContext } from './run-context';

interface TooLongDetails {
  channel?: string;
  length?: number;
  limit?: number;
  unit?: string;
}

export async function publishOrHandOver(
  ctx: RunContext,
  text: string,
  kind: ReplyRecord['kind'],
  path: string,
  /** How to publish it: by default straight through; the step interpreter passes the pause-aware publish. */
  publish: () => Promise<'published' | 'held'> = async () => {
    await ctx.publish(text, kind, path);
    return 'published';
  },
): Promise<'published' | 'held' | 'handed-over'> {
  try {
    return await publish();
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (!(cause instanceof ApplicationFailure) || cause.type !== ErrorType.ReplyTooLong || !patched(PATCH.replyTooLong)) throw err;
    const d = (cause.details?.[0] ?? {}) as TooLongDetails;
    const team = owningTeam(ctx.plan());
    ctx.record('reply.too-long', {
      kind,
      stepPath: path,
      channel: d.channel,
      length: d.length,
      limit: d.limit,
      unit: d.unit,
      message: cause.message,
      handedTo: team,
    });
    if (team !== null) {
      await ctx.notify(
        team,
        'reply-too-long',
        `The ${kind} for ${ctx.interactionId} was not sent: ${cause.message}. Please answer in the thread yourself. Draft: ${text}`,
        `${path}/too-long`,
      );
    }
    return 'handed-over';
  }
}

/** The team that owns an interaction: the first its steps name, else its onBreach's, else the pack's first. */
export function owningTeam(plan: Plan): string | null {
  const named = (steps: Step[]): string | undefined => {
    for (const s of steps) {
      if (s.kind === 'escalate' || s.kind === 'notify') return s.team;
      if (s.kind === 'followUp' && s.team !== undefined) return s.team;
    }
    return undefined;
  };
  return named(plan.steps) ?? named(plan.onBreach) ?? Object.keys(plan.teams)[0] ?? null;
}
