// The interaction workflow: one per conversation thread. The post that opens
// a thread comes with the start (`firstPost`), later ones by the `addPost`
// update (src/client/capture.ts); each is triaged and
// matched by an activity, the winning plan's steps and commitment clocks run
// here. A later post either takes over (higher-priority policy) or counts as
// the customer's reply. A post by one of our own accounts is the brand
// answering outside Hearken; a third party's post is recorded only. A
// finished interaction stays open `idleCloseMs` for more posts of its
// thread, then closes.
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import { postKey, type Post } from '../shared/post';
import { ErrorType } from '../shared/errors';
import type { Plan } from '../shared/plan';
import { SA } from '../shared/search-attributes';
import { supersedeRunning, watchCommitment } from './commitments';
import { carry, restore, shouldContinueAsNew } from './continue-as-new';
import {
  addPostUpdate,
  decideUpdate,
  seenPostQuery,
  stateQuery,
  timelineQuery,
  type DecisionInput,
  type DecisionResult,
  type InteractionInput,
  type InteractionResult,
} from './definitions';
import { handleAgentActions } from './agent-actions';
import { handleHeldDecisions } from './held';
import { PATCH } from './patches';
import { assessPost, RunContext } from './run-context';
import { startReplyWindow } from './reply-window';
import { runSteps } from './steps';
import { authorRole, brandPost, thirdPartyPost } from './thread-authors';

export async function interaction(input: InteractionInput): Promise<InteractionResult> {
  const ctx = new RunContext(input.interactionId, runSteps);
  const inbox: Post[] = [];
  const known = new Set<string>();
  let scope: CancellationScope | null = input.carried ? restore(ctx, input.carried, known, inbox) : null;
  let programDone = true;
  /** Set once the thread is done: no agent reply or note is taken from then on. */
  let closing = false;
  // Asked once, first: from here on the run assesses posts in a local
  // activity and its upserts are merged per workflow task
  // (coalesce-upserts.ts sees the marker go by); a run recorded before, never.
  const fastPath = patched(PATCH.localAssessCoalescedUpserts);

  /** Takes a post into the run; false: the run has it already. */
  const take = (post: Post): boolean => {
    if (known.has(postKey(post))) {
      ctx.record('post.duplicate', { postId: post.id });
      return false;
    }
    known.add(postKey(post));
    ctx.state.posts.push(post);
    inbox.push(post);
    ctx.record('post.captured', {
      postId: post.id,
      author: post.author,
      text: post.text,
      createdAt: post.createdAt,
      channel: post.channel,
    });
    return true;
  };
  // The post that started the thread (capture's fast path): taken before any
  // update is delivered, so a second capture of it is a duplicate at once.
  if (input.firstPost) take(input.firstPost);

  setHandler(addPostUpdate, (post) => ({ interactionId: input.interactionId, postId: post.id, duplicate: !take(post) }), {
    validator: validatePost,
  });
  setHandler(
    decideUpdate,
    (decision) => new Promise<DecisionResult>((resolve, reject) => (ctx.pendingDecision = { input: decision, resolve, reject })),
    { validator: (decision) => validateDecision(ctx, decision) },
  );
  handleHeldDecisions(ctx);
  handleAgentActions(ctx, () => !closing);
  setHandler(stateQuery, () => ctx.state);
  setHandler(timelineQuery, () => ctx.timeline);
  setHandler(seenPostQuery, (key) => known.has(key));

  const adopt = (plan: Plan, post: Post): void => {
    ctx.active = { plan, post };
    ctx.state.policy = plan.policy;
    ctx.state.candidates = plan.candidates;
    ctx.state.deadlines = { ...plan.deadlines };
    ctx.resolved = false;
    ctx.unanswered = false;
    upsertSearchAttributes([{ key: SA.policy, value: plan.policy.id }]);
    ctx.record('policy.selected', {
      postId: post.id,
      policy: plan.policy.id,
      version: plan.policy.version,
      priority: plan.policy.priority,
      candidates: plan.candidates,
      ...(plan.overlay ? { overlay: plan.overlay } : {}),
    });
    // Handled under a crisis overlay: which crisis and overlay version decided, for lists and audits.
    if (plan.overlay && patched(PATCH.crisisOverlay)) upsertMemo({ overlay: plan.overlay });
    ctx.refreshSummary();
    programDone = false;
    scope = new CancellationScope();
    scope
      .run(() => runPlan(ctx, plan, post))
      .catch((err: unknown) => {
        if (isCancellation(err)) return;
        // A step that failed for good (retries exhausted, bad template) must
        // not take the whole interaction down: record it for the humans.
        ctx.record('step.failed', { error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        programDone = true;
      });
  };

  const nextPost = async (): Promise<Post | 'idle' | 'continue'> => {
    for (;;) {
      // Between posts, with no step running, is the moment to shed a long
      // history; posts still waiting are carried over.
      if (programDone && ctx.holding === 0 && shouldContinueAsNew(input.maxHistoryEvents)) return 'continue';
      const post = inbox.shift();
      if (post) return post;
      if (!programDone) {
        await condition(() => inbox.length > 0 || programDone);
        continue;
      }
      // A reply held by the pause switch keeps the thread open until a lead decides it.
      if (ctx.holding > 0) {
        await condition(() => inbox.length > 0 || ctx.holding === 0);
        continue;
      }
      if (!(await condition(() => inbox.length > 0, input.idleCloseMs))) return 'idle';
    }
  };

  for (;;) {
    const post = await nextPost();
    if (post === 'idle') break;
    if (post === 'continue') {
      await condition(() => allHandlersFinished() && ctx.notifying === 0 && ctx.holding === 0);
      ctx.record('run.continuing-as-new', { historyLength: workflowInfo().historyLength, waitingPosts: inbox.length });
      // The first post is in `known` and the carried state: the next run must not take it again.
      const { firstPost: _taken, ...next } = input;
      return continueAsNew<typeof interaction>({ ...next, carried: carry(ctx, known, inbox, input.carried?.runs ?? 0) });
    }
    const { triage, plan, fromUs } = await assessPost({ interactionId: input.interactionId, post }, fastPath);
    ctx.record('post.triaged', { postId: post.id, triage });
    ctx.record('policy.evaluated', { postId: post.id, candidates: plan.candidates, winner: plan.policy.id, version: plan.policy.version });
    const role = authorRole(ctx, post, fromUs === true);
    if (role !== 'customer' && patched(PATCH.threadAuthors)) {
      if (role === 'brand') brandPost(ctx, post);
      else thirdPartyPost(ctx, post);
      continue;
    }
    if (!ctx.active) {
      ctx.state.triage = triage;
      adopt(plan, post);
    } else if (plan.policy.priority > ctx.active.plan.policy.priority) {
      ctx.record('policy.takeover', { postId: post.id, from: ctx.active.plan.policy.id, to: plan.policy.id });
      (scope as CancellationScope | null)?.cancel();
      await condition(() => programDone);
      supersedeRunning(ctx);
      ctx.state.triage = triage;
      adopt(plan, post);
    } else {
      ctx.customerRepliedAt = Date.now();
      ctx.record('post.customer-reply', { postId: post.id });
      startNextResponse(ctx, post, scope);
      startReplyWindow(ctx, post, scope);
    }
  }

  closing = true;
  // An unanswered interaction keeps its status when it closes: lists still find it.
  if (!ctx.unanswered) ctx.setStatus('closed');
  ctx.record('interaction.closed', {});
  await condition(() => allHandlersFinished() && ctx.notifying === 0 && ctx.holding === 0);
  return {
    status: ctx.state.status,
    policy: ctx.state.policy?.id ?? null,
    replies: ctx.state.replies.length,
    breaches: ctx.state.commitments.filter((c) => c.status === 'breached').length,
  };
}

async function runPlan(ctx: RunContext, plan: Plan, post: Post): Promise<void> {
  const createdAt = Date.parse(post.createdAt);
  const repliesAtStart = ctx.state.replies.length;
  const { firstResponse, resolution } = plan.commitments;
  if (firstResponse && plan.deadlines.firstResponse) {
    void ctx.background(
      watchCommitment(
        ctx,
        'firstResponse',
        post.id,
        createdAt,
        Date.parse(plan.deadlines.firstResponse),
        firstResponse.business,
        repliesAtStart,
      ),
      'firstResponse',
    );
  }
  if (resolution && plan.deadlines.resolution) {
    void ctx.background(
      watchCommitment(ctx, 'resolution', post.id, createdAt, Date.parse(plan.deadlines.resolution), resolution.business),
      'resolution',
    );
  }
  startReplyWindow(ctx, post);
  await runSteps(ctx, plan.steps, 'steps');
  // Replies held by the pause switch are part of the plan: it is done when a lead has decided them.
  if (ctx.holding > 0) await condition(() => ctx.holding === 0);
  // Nobody answered: not resolved, whatever steps came after the escalation.
  if (ctx.unanswered) return;
  if (ctx.state.status !== 'ignored') {
    // Every step the policy asked for is done: the interaction is resolved.
    ctx.resolved = true;
    ctx.setStatus('resolved');
  }
}

/** A later customer post starts a nextResponse clock unless an older one is still unanswered. */
function startNextResponse(ctx: RunContext, post: Post, scope: CancellationScope | null): void {
  const d = ctx.active?.plan.commitments.nextResponse;
  if (!d || !scope) return;
  if (ctx.state.commitments.some((c) => c.name === 'nextResponse' && c.status === 'running')) return;
  const repliesAtPost = ctx.state.replies.length;
  const createdAt = Date.parse(post.createdAt);
  void ctx.background(
    scope.run(async () => {
      const deadline = await ctx.deadlineAfter(createdAt, d);
      await watchCommitment(ctx, 'nextResponse', post.id, createdAt, deadline, d.business, repliesAtPost);
    }),
    'nextResponse',
  );
}

function validatePost(post: Post): void {
  if (!post || typeof post.channel !== 'string' || typeof post.id !== 'string' || typeof post.text !== 'string') {
    throw ApplicationFailure.create({ type: 'InvalidPost', message: 'a post needs channel, id and text' });
  }
  if (Number.isNaN(Date.parse(post.createdAt))) {
    throw ApplicationFailure.create({ type: 'InvalidPost', message: 'createdAt must be an ISO 8601 instant' });
  }
}

function validateDecision(ctx: RunContext, d: DecisionInput): void {
  const esc = ctx.openEscalation;
  if (!esc) throw ApplicationFailure.create({ type: ErrorType.NothingPending, message: 'nothing is waiting for a decision' });
  if (ctx.pendingDecision)
    throw ApplicationFailure.create({ type: ErrorType.AlreadyDecided, message: 'this escalation has already been decided' });
  if (d.forTeam !== undefined && d.forTeam !== esc.team) {
    throw ApplicationFailure.create({ type: ErrorType.EscalationMoved, message: `the escalation is now with team ${esc.team}` });
  }
  if (d.decision === 'approve' && !d.reply?.trim() && esc.draftReply === undefined) {
    throw ApplicationFailure.create({
      type: ErrorType.InvalidDecision,
      message: 'reply: this escalation has no drafted reply; an approval needs the reply text to publish',
    });
  }
  if (d.decision === 'reassign') {
    if (!d.team)
      throw ApplicationFailure.create({ type: ErrorType.InvalidDecision, message: 'team: a reassignment needs the team to hand over to' });
    if (!ctx.active?.plan.teams[d.team]) {
      throw ApplicationFailure.create({ type: ErrorType.InvalidDecision, message: `team: unknown team "${d.team}"` });
    }
  }
  if (!['approve', 'reject', 'reassign'].includes(d.decision)) {
    throw ApplicationFailure.create({ type: ErrorType.InvalidDecision, message: 'decision must be approve, reject or reassign' });
  }
}
