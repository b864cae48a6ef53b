// The state of one interaction run and the effects every part of the
// workflow shares: recording the timeline, publishing, notifying, deadlines.
// Deterministic: time is the workflow's clock, effects are activities.
import { isCancellation, proxyActivities, proxyLocalActivities, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ErrorType } from '../shared/errors';
import type { Post } from '../shared/post';
import type { Duration, Plan, Step } from '../shared/plan';
import type { Pause } from '../shared/controls';
import { SA } from '../shared/search-attributes';
import type {
  DecisionInput,
  DecisionResult,
  EscalationRecord,
  InteractionState,
  InteractionSummary,
  InteractionStatus,
  ReplyRecord,
  TimelineEvent,
} from './definitions';
import type { HeldDecisionInput, HeldRecord } from './controls-messages';
import { notify } from './notifications';
import { reportCareMetrics } from './care-metrics';

// The same activity two ways: runs recorded before
// PATCH.localAssessCoalescedUpserts keep the normal activity; later ones run
// it locally (pure CPU, ~0.2 ms without a classifier: a round trip through
// the server's activity queue costs far more).
const assessOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const { assessPost: assessPostRemote } = proxyActivities<Activities>(assessOptions);
const { assessPost: assessPostLocal } = proxyLocalActivities<Activities>(assessOptions);

export function assessPost(input: Parameters<Activities['assessPost']>[0], locally: boolean): ReturnType<Activities['assessPost']> {
  return locally ? assessPostLocal(input) : assessPostRemote(input);
}

// Short attempts: a worker that dies mid-publish is noticed after this long
// and the retry (idempotent on its key) goes to another worker.
const { publishReply } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [ErrorType.EmptyReply, ErrorType.TemplateError],
  },
});

// The same options: an automatic reply that the pause switch lets through is published like any other.
const { publishAutomaticReply } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [ErrorType.EmptyReply, ErrorType.TemplateError],
  },
});

const { computeDeadline } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/** An automatic reply the pause switch stopped (held.ts holds it); never leaves the workflow. */
export class PublishingPaused extends Error {
  constructor(readonly pause: Pause) {
    super(`automatic publishing is paused (${pause.key})`);
  }
}

export interface ActivePlan {
  plan: Plan;
  /** The post that selected this plan; its id keys the plan's idempotency keys. */
  post: Post;
}

export interface PendingDecision {
  input: DecisionInput;
  resolve: (result: DecisionResult) => void;
  reject: (err: Error) => void;
}

/**
 * Runs a list of steps (src/workflows/steps.ts). Handed to the context at
 * construction so escalations (onTimeout) and commitments (onBreach) can run
 * nested steps without importing the interpreter that imports them.
 */
export type StepRunner = (ctx: RunContext, steps: Step[], path: string, level?: number) => Promise<void>;

export class RunContext {
  readonly state: InteractionState;
  readonly timeline: TimelineEvent[] = [];
  active: ActivePlan | null = null;
  /** Set by an approved escalation or a final reply. */
  resolved = false;
  /** Workflow time of the latest customer post after the first one. */
  customerRepliedAt: number | null = null;
  /** An escalation chain of the active plan ended with nobody deciding. */
  unanswered = false;
  /** Notifications still on their way (they run beside the steps). */
  notifying = 0;
  /** The escalation waiting for a decision, if any. */
  openEscalation: EscalationRecord | null = null;
  /** A decision accepted by the `decide` update, not yet acted on. */
  pendingDecision: PendingDecision | null = null;
  /** Automatic replies held by the pause switch and not yet through (held.ts); the run neither closes nor continues as new meanwhile. */
  holding = 0;
  /** Decisions for held replies, arrived and not yet acted on. */
  readonly heldDecisions = new Map<HeldRecord, HeldDecisionInput>();

  constructor(
    readonly interactionId: string,
    private readonly stepRunner: StepRunner,
  ) {
    this.state = {
      interactionId,
      status: 'triaging',
      posts: [],
      triage: null,
      policy: null,
      candidates: [],
      steps: [],
      deadlines: {},
      commitments: [],
      replies: [],
      escalations: [],
    };
  }
  /**
   * Runs nested steps (an escalation's onTimeout, a commitment's onBreach);
   * `level` is the escalation level an escalate step among them opens at.
   */
  runSteps(steps: Step[], path: string, level?: number): Promise<void> {
    return this.stepRunner(this, steps, path, level);
  }

  now(): string {
    return new Date(Date.now()).toISOString();
  }

  /**
   * Runs work alongside the main flow (commitment clocks, reminders). A
   * takeover cancels it: that is expected and silent. Any other failure is
   * recorded for the humans instead of becoming an unhandled rejection, which
   * would fail every workflow task from then on.
   */
  background(work: Promise<unknown>, what: string): Promise<void> {
    return work.then(
      () => undefined,
      (err: unknown) => {
        if (isCancellation(err)) return;
        this.record('task.failed', { task: what, error: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  record(type: string, detail: Record<string, unknown> = {}, actor?: string): void {
    this.timeline.push({ at: this.now(), type, ...(actor ? { actor } : {}), ...detail });
    reportCareMetrics(this, type, detail, Date.now());
  }

  setStatus(status: InteractionStatus): void {
    if (this.state.status === status) return;
    this.state.status = status;
    this.record('status.changed', { status });
    upsertSearchAttributes([{ key: SA.status, value: status }]);
    this.refreshSummary();
  }

  /** The memo lists show without querying each workflow (customer profiles, interaction lists). */
  refreshSummary(): void {
    const s = this.state;
    const summary: InteractionSummary = {
      status: s.status,
      policy: s.policy ? { id: s.policy.id, version: s.policy.version } : null,
      intent: s.triage?.intent ?? null,
      sentiment: s.triage?.sentiment ?? null,
      posts: s.posts.length,
      replies: s.replies.length,
      commitments: {
        met: s.commitments.filter((c) => c.status === 'met').length,
        breached: s.commitments.filter((c) => c.status === 'breached').length,
      },
      lastPostAt: s.posts[s.posts.length - 1]?.createdAt ?? null,
    };
    upsertMemo({ summary });
  }

  takeDecision(): PendingDecision {
    const d = this.pendingDecision;
    if (!d) throw new Error('no decision pending');
    this.pendingDecision = null;
    return d;
  }

  /** The plan's first interim reply text: the fallback for periodic updates. */
  interimText(): string | undefined {
    const step = this.active?.plan.steps.find((s) => s.kind === 'interimReply');
    return step?.kind === 'interimReply' ? step.text : undefined;
  }

  plan(): Plan {
    if (!this.active) throw new Error('no active plan');
    return this.active.plan;
  }

  idempotencyKey(path: string): string {
    return `${this.interactionId}/${this.active?.post.id ?? '-'}/${path}`;
  }

  /** Instant `d` after `from` (workflow ms), in business time when the duration says so. */
  async deadlineAfter(from: number, d: Duration): Promise<number> {
    if (!d.business) return from + d.ms;
    const iso = await computeDeadline({ from: new Date(from).toISOString(), duration: d, calendar: this.active?.plan.calendar ?? null });
    return Date.parse(iso);
  }

  /** The latest customer post: replies answer it (not a post of ours, nor a third party's). */
  lastPost(): Post {
    const { posts, postRoles } = this.state;
    for (let i = posts.length - 1; i >= 0; i--) {
      const p = posts[i]!;
      if (!postRoles?.[p.id]) return p;
    }
    // A long thread keeps its latest 100 posts over a continue-as-new: they
    // may all be others'. The post that selected the plan is the customer's.
    if (this.active) return this.active.post;
    throw new Error('no customer post yet');
  }

  /**
   * Publishes a reply to the customer's latest post. `text` is a policy
   * template, rendered by the activity; `verbatim` (a person's own words, like
   * an approved reply's text) publishes it exactly as written. `automatic`:
   * not published while the pause switch covers it (PublishingPaused; held.ts holds it).
   */
  async publish(
    text: string,
    kind: ReplyRecord['kind'],
    path: string,
    opts: { verbatim?: boolean; automatic?: boolean; liftedPauses?: string[]; by?: string } = {},
  ): Promise<ReplyRecord> {
    const post = this.lastPost();
    // A person's reply may answer an interaction no policy took on (verbatim: nothing to render).
    const plan = this.active?.plan;
    const idempotencyKey = this.idempotencyKey(path);
    const input = {
      interactionId: this.interactionId,
      post: { id: post.id, channel: post.channel, author: post.author },
      text,
      ...(opts.verbatim ? { verbatim: true } : {}),
      ...(opts.liftedPauses?.length ? { liftedPauses: opts.liftedPauses } : {}),
      vars: {
        deadlines: { ...this.state.deadlines },
        timezone: plan?.calendar?.timezone ?? 'UTC',
        language: plan?.language ?? post.language ?? 'en',
      },
      idempotencyKey,
    };
    const out = opts.automatic ? await publishAutomaticReply(input) : await publishReply(input);
    if ('paused' in out) throw new PublishingPaused(out.paused);
    const reply: ReplyRecord = {
      stepPath: path,
      kind,
      postId: post.id,
      text: out.text,
      messageId: out.messageId,
      channel: out.channel,
      idempotencyKey,
      publishedAt: out.publishedAt,
      ...(opts.by !== undefined ? { by: opts.by } : {}),
    };
    this.state.replies.push(reply);
    this.record(
      'reply.published',
      {
        kind,
        stepPath: path,
        postId: post.id,
        messageId: out.messageId,
        channel: out.channel,
        idempotencyKey,
        text: out.text,
      },
      opts.by,
    );
    return reply;
  }

  /** Tells a team, beside the caller: nothing waits for it (notifications.ts). */
  notify(team: string, kind: string, message: string, path: string): Promise<void> {
    return notify(this, team, kind, message, path);
  }
}
