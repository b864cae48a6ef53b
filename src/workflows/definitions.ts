// Messages of the interaction workflow, shared by the workflow, the API and
// the CLI. Type-level and `define*` calls only: safe in the workflow bundle.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Post } from '../shared/post';
import type { CommitmentName, Plan } from '../shared/plan';
import type { Triage } from '../shared/triage';
import type { CarriedState } from './continue-as-new';
import type { HeldRecord } from './controls-messages';

/**
 * Every interaction status, in the order an interaction may pass through
 * them. `unanswered`: an escalation chain ended with nobody deciding; it stays
 * so when the interaction closes, so such customers can still be found.
 */
export const INTERACTION_STATUSES = [
  'triaging',
  'ignored',
  'responding',
  'awaiting-decision',
  'following-up',
  'resolved',
  'unanswered',
  'closed',
] as const;

export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

export interface InteractionInput {
  interactionId: string;
  /** How long a finished interaction waits for more posts of its thread before it closes. */
  idleCloseMs: number;
  /** History length at which a quiet interaction continues as new (default 5,000). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: what the previous run handed over. */
  carried?: CarriedState;
  /**
   * The post that opened the thread, when capture started the run with it
   * (src/client/capture.ts): durable in the start event, acknowledged without
   * waiting for a workflow task. Not carried over continue-as-new.
   */
  firstPost?: Post;
}

export interface AddPostResult {
  interactionId: string;
  postId: string;
  duplicate: boolean;
}

export interface Decider {
  name: string;
  role: 'agent' | 'lead' | string;
}

export interface DecisionInput {
  decision: 'approve' | 'reject' | 'reassign';
  reply?: string;
  /** For reassign: the team to hand over to. */
  team?: string;
  note?: string;
  decider: Decider;
  /**
   * The team the decider was authorised for. If the escalation moved to
   * another team meanwhile, the decision is refused instead of applied.
   */
  forTeam?: string;
}

export interface DecisionResult {
  decision: DecisionInput['decision'];
  team: string;
  /** Set when approving published a reply. */
  reply?: { messageId: string; text: string; publishedAt: string };
}

export interface TimelineEvent {
  at: string;
  type: string;
  actor?: string;
  [detail: string]: unknown;
}

export interface StepRecord {
  path: string;
  kind: string;
  status: 'running' | 'done' | 'skipped' | 'cancelled';
  startedAt: string;
  finishedAt?: string;
  outcome?: string;
}

export interface CommitmentRecord {
  id: string;
  name: CommitmentName;
  /** The customer post whose clock this is. */
  postId: string;
  startedAt: string;
  deadline: string;
  business: boolean;
  status: 'running' | 'met' | 'breached' | 'superseded';
  /** Replies published before the clock started: a later one answers it. */
  replyIndex: number;
  /** When the team was warned that the clock is about to breach (`warnAt`). */
  warnedAt?: string;
  metAt?: string;
  /** Positive: met this many ms early; negative: met late. */
  marginMs?: number;
}

export interface ReplyRecord {
  stepPath: string;
  /**
   * What Hearken published, or `brandPost`: one of our accounts answered in
   * the thread outside Hearken (messageId is that post's id, idempotencyKey
   * its `channel:id`).
   */
  kind: 'interimReply' | 'reply' | 'followUp' | 'periodicUpdate' | 'approvedReply' | 'brandPost' | 'agentReply';
  /** agentReply: the person who wrote it. */
  by?: string;
  /** The customer post this reply answers. */
  postId: string;
  text: string;
  messageId: string;
  channel: string;
  idempotencyKey: string;
  publishedAt: string;
}

export interface EscalationRecord {
  stepPath: string;
  team: string;
  /** 1 for a policy's escalate step; each escalate in an onTimeout chain is one more. A reassignment keeps it. */
  level: number;
  openedAt: string;
  deadline: string;
  status: 'pending' | 'approved' | 'rejected' | 'reassigned' | 'timed-out' | 'cancelled';
  /** The customer post the decision is about. */
  postId: string;
  /** A drafted reply from the policy; approving without a text publishes it. */
  draftReply?: string;
  decidedBy?: Decider;
  note?: string;
}

export interface InteractionState {
  interactionId: string;
  status: InteractionStatus;
  posts: Post[];
  triage: Triage | null;
  policy: Plan['policy'] | null;
  candidates: Plan['candidates'];
  steps: StepRecord[];
  deadlines: Record<string, string>;
  commitments: CommitmentRecord[];
  replies: ReplyRecord[];
  escalations: EscalationRecord[];
  ignoredReason?: string;
  /**
   * Posts of the thread not written by the customer: `brand` (one of our
   * accounts) or `third-party`. Replies answer the customer's latest post.
   */
  postRoles?: Record<string, 'brand' | 'third-party'>;
  /** Posts and replies of earlier runs no longer listed here (long threads keep the latest 100). */
  counts?: { posts: number; replies: number };
  /** Automatic replies that waited because publishing was paused, and what became of them (held.ts). */
  held?: HeldRecord[];
}

export interface InteractionResult {
  status: InteractionStatus;
  policy: string | null;
  replies: number;
  breaches: number;
}

/** Kept in the memo so lists and customer profiles need no query per interaction. */
export interface InteractionSummary {
  status: InteractionStatus;
  policy: { id: string; version: string } | null;
  intent: Triage['intent'] | null;
  sentiment: Triage['sentiment'] | null;
  posts: number;
  replies: number;
  commitments: { met: number; breached: number };
  lastPostAt: string | null;
}

/** What the escalation list shows without querying each workflow (kept in the memo). */
export interface EscalationMemo {
  team: string;
  level: number;
  openedAt: string;
  deadline: string;
  post: { id: string; channel: string; author: Post['author']; text: string; createdAt: string };
  triage: Triage | null;
  policy: { id: string; version: string } | null;
  draftReply: string | null;
}

/** A person's own reply, published verbatim (the `agentReply` update). */
export interface AgentReplyInput {
  text: string;
  by: Decider;
  /** Unique per reply: keys the publish, so a retried activity publishes once. */
  replyId: string;
}

export interface AgentReplyResult {
  replyId: string;
  messageId: string;
  text: string;
  publishedAt: string;
  channel: string;
  by: string;
}

/** An internal note (the `addNote` update): timeline only, never published. */
export interface NoteInput {
  text: string;
  by: Decider;
}

export interface NoteResult {
  noteId: string;
  at: string;
  by: string;
}

export const addPostUpdate = defineUpdate<AddPostResult, [Post]>('addPost');
export const decideUpdate = defineUpdate<DecisionResult, [DecisionInput]>('decide');
export const agentReplyUpdate = defineUpdate<AgentReplyResult, [AgentReplyInput]>('agentReply');
export const addNoteUpdate = defineUpdate<NoteResult, [NoteInput]>('addNote');
export const stateQuery = defineQuery<InteractionState>('state');
export const timelineQuery = defineQuery<TimelineEvent[]>('timeline');
/**
 * Whether this run has seen the post with this key (`<channel>:<id>`), carried
 * over continue-as-new. Capture asks a closed run, so a connector's
 * redelivery after the interaction closed stays one post. A query issues no
 * command: adding it changes no history, so it needs no patch.
 */
export const seenPostQuery = defineQuery<boolean, [string]>('seenPost');
