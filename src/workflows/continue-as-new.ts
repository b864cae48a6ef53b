// Long threads: before Temporal's history limits, the interaction continues
// as new at a quiet moment (no post waiting, no step running), carrying what
// it needs: its state (long lists trimmed), the posts it has seen (for
// dedup), the plan in force, and the clocks still running. Each run keeps
// its own history and journal; the audit timeline joins all runs.
import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import { superviseCommitment } from './commitments';
import type { Post } from '../shared/post';
import type { InteractionState } from './definitions';
import type { ActivePlan, RunContext } from './run-context';

export interface CarriedState {
  state: InteractionState;
  knownPostKeys: string[];
  /** Posts captured but not yet triaged. */
  waiting: Post[];
  active: ActivePlan | null;
  resolved: boolean;
  customerRepliedAt: number | null;
  /** The active plan's escalation chain ended with nobody deciding (absent before that existed). */
  unanswered?: boolean;
  /** How many runs came before this one. */
  runs: number;
}

/** Default history length at which a quiet interaction continues as new. */
export const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
const KEEP = 100;

export function shouldContinueAsNew(maxHistoryEvents: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS);
}

export function carry(ctx: RunContext, known: Set<string>, waiting: Post[], runs: number): CarriedState {
  const s = ctx.state;
  const tail = <T>(xs: T[]) => xs.slice(-KEEP);
  const keptPosts = new Set(tail(s.posts).map((p) => p.id));
  const postRoles = s.postRoles ? Object.fromEntries(Object.entries(s.postRoles).filter(([id]) => keptPosts.has(id))) : undefined;
  return {
    state: {
      ...s,
      posts: tail(s.posts),
      steps: tail(s.steps),
      ...(postRoles ? { postRoles } : {}),
      replies: tail(s.replies),
      ...(s.held ? { held: tail(s.held) } : {}),
      escalations: tail(s.escalations),
      // Running clocks must survive; settled ones are history.
      commitments: [
        ...s.commitments.filter((c) => c.status !== 'running').slice(-KEEP),
        ...s.commitments.filter((c) => c.status === 'running'),
      ],
      counts: {
        posts: (s.counts?.posts ?? 0) + s.posts.length - tail(s.posts).length,
        replies: (s.counts?.replies ?? 0) + s.replies.length - tail(s.replies).length,
      },
    },
    knownPostKeys: [...known],
    waiting: [...waiting],
    active: ctx.active,
    resolved: ctx.resolved,
    customerRepliedAt: ctx.customerRepliedAt,
    ...(ctx.unanswered ? { unanswered: true } : {}),
    runs: runs + 1,
  };
}

/** Restores a carried state; returns the scope in which resumed clocks run. */
export function restore(ctx: RunContext, carried: CarriedState, known: Set<string>, inbox: Post[]): CancellationScope {
  Object.assign(ctx.state, carried.state);
  for (const k of carried.knownPostKeys) known.add(k);
  inbox.push(...carried.waiting);
  ctx.active = carried.active;
  ctx.resolved = carried.resolved;
  ctx.customerRepliedAt = carried.customerRepliedAt;
  ctx.unanswered = carried.unanswered ?? false;
  ctx.record('run.resumed', { runs: carried.runs, posts: known.size, waitingPosts: carried.waiting.length });
  const scope = new CancellationScope();
  for (const c of ctx.state.commitments.filter((x) => x.status === 'running')) {
    void ctx.background(
      scope.run(() => superviseCommitment(ctx, c)),
      c.name,
    );
  }
  return scope;
}
