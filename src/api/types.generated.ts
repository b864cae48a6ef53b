// Generated from schemas/api.schema.json, post and decision by scripts/generate-schema-types.ts: do not edit.
// Regenerate: node --import tsx scripts/generate-schema-types.ts
/**
 * Where an interaction stands. `unanswered`: an escalation chain ended with nobody deciding.
 */
export type InteractionStatus =
  'triaging' | 'ignored' | 'responding' | 'awaiting-decision' | 'following-up' | 'resolved' | 'unanswered' | 'closed';

/**
 * Every schema of the OpenAPI document, by its component name.
 */
export interface ApiComponents {
  Post: Post;
  Decision: Decision;
  PauseRequest: PauseRequest;
  ResumeRequest: ResumeRequest;
  HeldDecision: HeldDecision;
  SessionRequest: SessionRequest;
  PresenceRequest: PresenceRequest;
  AgentReplyRequest: AgentReplyRequest;
  NoteRequest: NoteRequest;
  CrisisAction: CrisisAction;
  Problem: Problem;
  Health: Health;
  HealthChecks: HealthChecks;
  AddPostResult: AddPostResult;
  InteractionStatus: InteractionStatus;
  Sentiment: Sentiment;
  Triage: Triage;
  StepRecord: StepRecord;
  CommitmentRecord: CommitmentRecord;
  ReplyRecord: ReplyRecord;
  EscalationRecord: EscalationRecord;
  HeldRecord: HeldRecord;
  InteractionState: InteractionState;
  TimelineEvent: TimelineEvent;
  History: History;
  InteractionSummary: InteractionSummary;
  InteractionListItem: InteractionListItem;
  InteractionList: InteractionList;
  CustomerProfile: CustomerProfile;
  Escalation: Escalation;
  HeldReply: HeldReply;
  EscalationList: EscalationList;
  DecisionResult: DecisionResult;
  HeldDecisionResult: HeldDecisionResult;
  Actor: Actor;
  Pause: Pause;
  ControlsLogEntry: ControlsLogEntry;
  ControlsState: ControlsState;
  PauseResult: PauseResult;
  ResumeResult: ResumeResult;
  Policies: Policies;
  OpenApiDocument: OpenApiDocument;
  ChannelList: ChannelList;
  WorkerPacks: WorkerPacks;
  Session: Session;
  AgentReplyResult: AgentReplyResult;
  NoteResult: NoteResult;
  Templates: Templates;
  CrisisEvaluation: CrisisEvaluation;
  CrisisActor: CrisisActor;
  Crisis: Crisis;
  CrisisList: CrisisList;
  Pulse: Pulse;
}
/**
 * A post as connectors deliver it to POST /v1/posts and as the CLI reads it.
 */
export interface Post {
  /**
   * Channel the post came from, like twitter or mastodon. No whitespace, "/" or control characters (it becomes part of the interaction id).
   */
  channel: string;
  /**
   * The post's id on the channel; channel + id identify a post. No whitespace, "/" or control characters (it becomes part of the interaction id).
   */
  id: string;
  /**
   * Conversation the post belongs to; defaults to id. No whitespace, "/" or control characters (it becomes part of the interaction id).
   */
  threadId?: string;
  /**
   * Id of the post this one replies to. No whitespace, "/" or control characters (it becomes part of the interaction id).
   */
  inReplyTo?: string;
  /**
   * Handle of the author this post replies to.
   */
  inReplyToAuthor?: string;
  /**
   * A direct (private) message to one of our accounts.
   */
  direct?: boolean;
  author: Author;
  /**
   * The post's text.
   */
  text: string;
  /**
   * Language code of the text if the channel knows it, like en or de.
   */
  language?: string;
  /**
   * When the customer posted it (ISO 8601 with offset); commitment clocks start here.
   */
  createdAt: string;
  /**
   * Link to the post.
   */
  url?: string;
}
/**
 * Who wrote the post; needs an id or a handle.
 */
export interface Author {
  /**
   * The author's id on the channel.
   */
  id?: string;
  /**
   * The author's handle.
   */
  handle?: string;
  /**
   * The author's display name.
   */
  name?: string;
  /**
   * How many followers the author has.
   */
  followers?: number;
}
/**
 * The body of POST /v1/escalations/{interactionId}/decision.
 */
export interface Decision {
  /**
   * approve publishes the reply (the given one, else the drafted one) and lets the plan continue; reject closes the escalation without a public reply; reassign moves it to another team (needs the lead role).
   */
  decision: 'approve' | 'reject' | 'reassign';
  /**
   * With approve: the reply to publish instead of the drafted one.
   */
  reply?: string;
  /**
   * With reassign: the team (from teams.yaml) that decides next.
   */
  team?: string;
  /**
   * Why; recorded in the interaction history with the decider (the reason of a reject).
   */
  note?: string;
}
/**
 * The body of POST /v1/controls/pause: which automatic publishing stops (every automatic reply waits for a lead instead). An empty body pauses everything.
 */
export interface PauseRequest {
  /**
   * Pause only replies on this channel (like twitter); without channel and account: everything.
   */
  channel?: string;
  /**
   * Pause only replies published through this account of ours: <channel>:<handle> as in accounts.yaml, like twitter:sprintcare.
   */
  account?: string;
  /**
   * Why; recorded with who and when in the controls workflow and in the audit of every interaction whose reply waits.
   */
  note?: string;
}
/**
 * The body of POST /v1/controls/resume: lift a pause (the global one without channel and account; every pause with all) and decide what waited.
 */
export interface ResumeRequest {
  /**
   * What becomes of the automatic replies that waited: release publishes them now (each checked against the switch again), discard records them and sends nothing.
   */
  decision: 'release' | 'discard';
  /**
   * Resume the pause of this channel.
   */
  channel?: string;
  /**
   * Resume the pause of this account: <channel>:<handle>.
   */
  account?: string;
  /**
   * Resume every pause in force.
   */
  all?: boolean;
  /**
   * Why; recorded with who and when in the controls workflow and in the audit of every interaction whose reply waits.
   */
  note?: string;
}
/**
 * The body of POST /v1/held/{interactionId}/decision: release or discard the automatic replies of one interaction that wait because publishing was paused.
 */
export interface HeldDecision {
  /**
   * What becomes of the automatic replies that waited: release publishes them now (each checked against the switch again), discard records them and sends nothing.
   */
  decision: 'release' | 'discard';
  /**
   * Why; recorded in the interaction's audit with the decider.
   */
  note?: string;
}
/**
 * The body of POST /v1/session: a person's bearer token, exchanged for a session cookie.
 */
export interface SessionRequest {
  /**
   * A person's bearer token (hk_…), as `hearken token add` printed it.
   */
  token: string;
}
/**
 * The body of POST /v1/interactions/{id}/presence: what the caller does on the item now.
 */
export interface PresenceRequest {
  /**
   * viewing or typing refresh the caller's presence (it lapses after 30 s without a refresh); left removes it.
   */
  state: 'viewing' | 'typing' | 'left';
}
/**
 * The body of POST /v1/interactions/{id}/replies: a reply published verbatim on the interaction's channel.
 */
export interface AgentReplyRequest {
  /**
   * The reply, published as written (the channel's text limit applies).
   */
  text: string;
}
/**
 * The body of POST /v1/interactions/{id}/notes: an internal note, recorded in the timeline and never published.
 */
export interface NoteRequest {
  /**
   * The note.
   */
  text: string;
}
/**
 * The body of POST /v1/crises/{crisisId}/acknowledge and /close (lead or admin).
 */
export interface CrisisAction {
  /**
   * Why; kept with the crisis, with who wrote it and when.
   */
  note?: string;
  /**
   * Acknowledge only: the words or phrases that make a post about this crisis (overlay policies match crisisTopic), replacing the detected ones.
   *
   * @minItems 1
   * @maxItems 20
   */
  topic?: string[];
}
/**
 * RFC 9457 problem details; `errors` names each field at fault.
 */
export interface Problem {
  /**
   * URI of the problem type; about:blank means the status says it all.
   */
  type: string;
  /**
   * Short summary of the problem type.
   */
  title: string;
  /**
   * The HTTP status code.
   */
  status: number;
  /**
   * What went wrong this time.
   */
  detail?: string;
  /**
   * The request path.
   */
  instance?: string;
  checks?: HealthChecks;
  /**
   * The fields at fault.
   *
   * Items: One field at fault.
   */
  errors?: {
    /**
     * Path of the field, like author.id; (body) for the whole body.
     */
    field: string;
    /**
     * What is wrong with it.
     */
    message: string;
  }[];
  /**
   * 409 on a decision: who decided the escalation meanwhile (name and role).
   */
  decidedBy?: {
    /**
     * User name.
     */
    name: string;
    /**
     * Their role.
     */
    role: string;
  };
  /**
   * 409 on a decision: what they decided.
   */
  decision?: string;
  /**
   * 409 on a decision: when (ISO 8601).
   */
  decidedAt?: string;
  /**
   * 403 from the CSRF protection: csrf.
   */
  reason?: string;
}
/**
 * The state of each part Hearken needs, on 200 and on 503 alike.
 */
export interface HealthChecks {
  /**
   * Whether Temporal answered (describe namespace) within the probe's 2 s.
   */
  temporal: {
    /**
     * ok, or unreachable.
     */
    status: 'ok' | 'unreachable';
    /**
     * Temporal namespace.
     */
    namespace: string;
    /**
     * Why it is unreachable.
     */
    detail?: string;
  };
  /**
   * Whether a worker polls the task queue for workflow tasks (Temporal's DescribeTaskQueue, pollers seen within the last 90 s).
   */
  worker: {
    /**
     * ok; missing (no poller: captures would wait for one); unknown while Temporal is unreachable.
     */
    status: 'ok' | 'missing' | 'unknown';
    /**
     * The task queue.
     */
    taskQueue: string;
    /**
     * Workers seen polling within the last 90 s.
     */
    pollers: number;
    /**
     * Why it is missing or unknown.
     */
    detail?: string;
  };
  /**
   * The policy pack this API process loaded.
   */
  pack: {
    /**
     * ok, or error when the last reload failed (the last good pack stays in force).
     */
    status: 'ok' | 'error';
    /**
     * Version id of the pack in force.
     */
    version: string;
    /**
     * The failed reload: when, and its errors as file:line:col lines.
     */
    lastError?: {
      /**
       * When (ISO 8601).
       */
      at: string;
      /**
       * One file:line:col: message line each.
       *
       * Items: An error.
       */
      errors: string[];
    };
  };
  packs?: WorkerPacks;
}
/**
 * The policy pack version each live worker runs: workers report it to the hearken-workers:<task queue> workflow at start, on every reload and every 5 minutes; live means polling the task queue within the last 90 s.
 */
export interface WorkerPacks {
  /**
   * ok: every live worker runs this process's version; mismatch: two or more versions are in use (among the workers, or this process's differs); unknown: no live worker, a worker has not reported yet, or Temporal did not answer.
   */
  status: 'ok' | 'mismatch' | 'unknown';
  /**
   * The distinct pack versions in use.
   *
   * Items: One version and who runs it.
   */
  versions: {
    /**
     * Pack version id.
     */
    version: string;
    /**
     * Identities (pid@host) of the live workers that reported it.
     *
     * Items: A worker identity.
     */
    workers: string[];
    /**
     * Whether this API process loaded it.
     */
    thisProcess: boolean;
  }[];
  /**
   * Every live worker and the version it last reported.
   *
   * Items: A live worker.
   */
  workers: {
    /**
     * Its Temporal identity (pid@host).
     */
    identity: string;
    /**
     * The pack version it reported; null when it has not reported yet.
     */
    version: string | null;
    /**
     * When it last reported (ISO 8601); null when never.
     */
    reportedAt: string | null;
  }[];
  /**
   * Why the status is not ok.
   */
  detail?: string;
}
/**
 * Temporal answers and a worker polls the task queue; degraded when the last policy pack reload failed (the last good pack is in force).
 */
export interface Health {
  /**
   * ok, or degraded when a part is impaired but Hearken works (a pack that failed to load).
   */
  status: 'ok' | 'degraded';
  /**
   * Always reachable on 200.
   */
  temporal: 'reachable';
  /**
   * Temporal namespace.
   */
  namespace: string;
  /**
   * Version id of the policy pack in force.
   */
  pack: string;
  checks: HealthChecks;
}
/**
 * Where the post went.
 */
export interface AddPostResult {
  /**
   * The interaction (one per channel thread): <channel>:<threadId>.
   */
  interactionId: string;
  /**
   * The post id.
   */
  postId: string;
  /**
   * True when this post had been captured before (nothing new happens).
   */
  duplicate: boolean;
}
/**
 * Sentiment of a post's text.
 */
export interface Sentiment {
  /**
   * From -1 (negative) to 1 (positive).
   */
  score: number;
  /**
   * Sentiment label.
   */
  label: 'negative' | 'neutral' | 'positive';
}
/**
 * How the post was triaged.
 */
export interface Triage {
  /**
   * ISO 639-1 code; und when undetermined.
   */
  language: string;
  /**
   * Whether the post is addressed to one of our accounts.
   */
  addressedToUs: boolean;
  /**
   * Why it counts as addressed to us.
   */
  addressedReason: 'direct' | 'reply-to-us' | 'mention' | null;
  /**
   * Whether the post is about us at all.
   */
  relevant: boolean;
  /**
   * What the customer wants.
   */
  intent: 'question' | 'complaint' | 'praise' | 'idea' | 'security' | 'spam' | 'other';
  sentiment: Sentiment;
  /**
   * How far the post may travel.
   */
  reach: 'low' | 'medium' | 'high';
  /**
   * Risk flags, like legal-threat or phishing.
   */
  risk: string[];
  /**
   * Why: the rules that decided, as field:detail.
   */
  signals?: string[];
}
/**
 * A plan step, as run so far.
 */
export interface StepRecord {
  /**
   * Where the step is in the policy, like steps[1] or steps[2].onTimeout[0].
   */
  path: string;
  /**
   * Step kind, like reply or escalate.
   */
  kind: string;
  /**
   * Step status.
   */
  status: 'running' | 'done' | 'skipped' | 'cancelled';
  /**
   * When it started (ISO 8601).
   */
  startedAt: string;
  /**
   * When it finished (ISO 8601).
   */
  finishedAt?: string;
  /**
   * What came of it, in a word.
   */
  outcome?: string;
}
/**
 * A response-time commitment and whether it was met.
 */
export interface CommitmentRecord {
  /**
   * Commitment id within the interaction.
   */
  id: string;
  /**
   * Which commitment of the policy.
   */
  name: 'firstResponse' | 'nextResponse' | 'periodicUpdate' | 'resolution';
  /**
   * The customer post whose clock this is.
   */
  postId: string;
  /**
   * When the clock started (ISO 8601).
   */
  startedAt: string;
  /**
   * When it is due (ISO 8601).
   */
  deadline: string;
  /**
   * Whether only the calendar's open hours count.
   */
  business: boolean;
  /**
   * Commitment status.
   */
  status: 'running' | 'met' | 'breached' | 'superseded';
  /**
   * Replies published before the clock started: a later one answers it.
   */
  replyIndex: number;
  /**
   * When it was met (ISO 8601).
   */
  metAt?: string;
  /**
   * Positive: met this many ms early; negative: met late.
   */
  marginMs?: number;
  /**
   * When the team was warned that this commitment was about to breach (`warnAt`), if it was (ISO 8601).
   */
  warnedAt?: string;
}
/**
 * A reply published on the channel.
 */
export interface ReplyRecord {
  /**
   * The step that published it.
   */
  stepPath: string;
  /**
   * What kind of reply: what Hearken published, `agentReply` (a person's own reply, POST /v1/interactions/{id}/replies), or `brandPost` (one of our accounts answered in the thread outside Hearken).
   */
  kind: 'interimReply' | 'reply' | 'followUp' | 'periodicUpdate' | 'approvedReply' | 'brandPost' | 'agentReply';
  /**
   * The customer post it answers.
   */
  postId: string;
  /**
   * Reply text.
   */
  text: string;
  /**
   * The channel's id of the reply.
   */
  messageId: string;
  /**
   * Channel it was published on.
   */
  channel: string;
  /**
   * Key that makes a retried publish publish once.
   */
  idempotencyKey: string;
  /**
   * When (ISO 8601).
   */
  publishedAt: string;
  /**
   * agentReply: who wrote it.
   */
  by?: string;
}
/**
 * An escalation of the interaction, open or decided.
 */
export interface EscalationRecord {
  /**
   * The step that opened it.
   */
  stepPath: string;
  /**
   * The team that decides.
   */
  team: string;
  /**
   * Escalation level (1, then each onTimeout step).
   */
  level: number;
  /**
   * When it was opened (ISO 8601).
   */
  openedAt: string;
  /**
   * When it times out (ISO 8601).
   */
  deadline: string;
  /**
   * Escalation status.
   */
  status: 'pending' | 'approved' | 'rejected' | 'reassigned' | 'timed-out' | 'cancelled';
  /**
   * The customer post the decision is about.
   */
  postId: string;
  /**
   * The reply the policy drafted.
   */
  draftReply?: string;
  /**
   * Who decided.
   */
  decidedBy?: {
    /**
     * User name from the tokens file.
     */
    name: string;
    /**
     * Their role in the team, like agent or lead.
     */
    role: string;
  };
  /**
   * Why, as the decider wrote it.
   */
  note?: string;
}
/**
 * An automatic reply that waited because publishing was paused, and what became of it.
 */
export interface HeldRecord {
  /**
   * <stepPath>#<n>.
   */
  id: string;
  /**
   * The kind of automatic reply.
   */
  kind: 'interimReply' | 'reply' | 'followUp' | 'periodicUpdate';
  /**
   * The step that wanted to publish it.
   */
  stepPath: string;
  /**
   * The customer post it answers.
   */
  postId: string;
  /**
   * The reply's template.
   */
  text: string;
  pause: Pause;
  /**
   * When it was held.
   */
  heldAt: string;
  /**
   * held (waits), released (published, or held again by another pause), discarded (never sent), superseded (moot: a takeover, or its escalation was decided).
   */
  status: 'held' | 'released' | 'discarded' | 'superseded';
  /**
   * When it was released or discarded.
   */
  decidedAt?: string;
  decidedBy?: Actor;
  /**
   * resume (the switch was lifted) or decision (a lead decided this interaction).
   */
  via?: 'resume' | 'decision';
  /**
   * The decider's note.
   */
  note?: string;
  /**
   * Why it was superseded.
   */
  reason?: string;
}
/**
 * A pause in force: automatic replies it covers wait for a lead.
 */
export interface Pause {
  /**
   * Pause id (p1, p2, …): what waited is released or discarded per pause.
   */
  id: string;
  /**
   * What it covers.
   */
  scope: {
    /**
     * global, channel or account.
     */
    kind: 'global' | 'channel' | 'account';
    /**
     * The channel (channel and account scopes).
     */
    channel?: string;
    /**
     * Our account's handle (account scope).
     */
    handle?: string;
  };
  /**
   * global, channel:<channel> or account:<channel>:<handle>.
   */
  key: string;
  /**
   * When it was paused.
   */
  since: string;
  by: Actor;
  /**
   * Why, as given.
   */
  note?: string;
}
/**
 * Who: a lead or an admin.
 */
export interface Actor {
  /**
   * The person (their token's name, or the operator's name from the CLI).
   */
  name: string;
  /**
   * Their role: lead or admin.
   */
  role: string;
  /**
   * api (a person's token) or cli (an operator with Temporal access).
   */
  via: 'api' | 'cli';
}
/**
 * The state of an interaction, from its workflow.
 */
export interface InteractionState {
  /**
   * <channel>:<threadId>.
   */
  interactionId: string;
  status: InteractionStatus;
  /**
   * How the post that selected the policy was triaged; null before triage.
   */
  triage: Triage | null;
  /**
   * The policy in force and its pack version; null before selection or when none matched.
   */
  policy: {
    /**
     * Policy id.
     */
    id: string;
    /**
     * Pack version id.
     */
    version: string;
    /**
     * Policy priority.
     */
    priority: number;
  } | null;
  /**
   * Policies that matched, highest priority first.
   *
   * Items: A matching policy.
   */
  candidates: {
    /**
     * Policy id.
     */
    id: string;
    /**
     * Policy priority.
     */
    priority: number;
  }[];
  /**
   * The plan steps run so far.
   */
  steps: StepRecord[];
  /**
   * Named deadline → ISO 8601 time.
   */
  deadlines: {
    [k: string]: string;
  };
  /**
   * Response-time commitments and whether they were met.
   */
  commitments: CommitmentRecord[];
  /**
   * Replies published.
   */
  replies: ReplyRecord[];
  /**
   * Escalations, open and decided.
   */
  escalations: EscalationRecord[];
  /**
   * The customer posts of the thread (the latest 100).
   */
  posts: Post[];
  /**
   * Totals across runs, when earlier posts or replies are no longer listed.
   */
  counts?: {
    /**
     * Customer posts in all.
     */
    posts: number;
    /**
     * Replies in all.
     */
    replies: number;
  };
  /**
   * Why the interaction was ignored.
   */
  ignoredReason?: string;
  /**
   * The Temporal workflow.
   */
  workflow: {
    /**
     * Workflow id.
     */
    id: string;
    /**
     * Run id.
     */
    runId: string;
    /**
     * Workflow execution status, like RUNNING.
     */
    status: string;
    /**
     * When the run started.
     */
    startTime: string;
    /**
     * When the run closed; null while it runs.
     */
    closeTime: string | null;
  };
  /**
   * Related links.
   */
  links: {
    /**
     * The workflow in the Temporal UI, when its address is known.
     */
    temporalUi: string | null;
    /**
     * The audit timeline.
     */
    history: string;
  };
  /**
   * Posts of the thread not written by the customer, by post key: `brand` (one of our accounts answered outside Hearken) or `third-party`.
   */
  postRoles?: {
    [k: string]: 'brand' | 'third-party';
  };
  /**
   * Automatic replies that waited because publishing was paused, and what became of them (absent when none ever did).
   */
  held?: HeldRecord[];
  /**
   * The channel of the interaction and the length its replies may have.
   */
  channel?: {
    /**
     * Channel, like twitter.
     */
    name: string;
    /**
     * The longest reply the channel takes; null when it sets none.
     */
    replyLimit: {
      /**
       * How many units.
       */
      max: number;
      /**
       * What is counted, like characters or graphemes.
       */
      unit: string;
      /**
       * The limit in words, like 280 characters.
       */
      text: string;
    } | null;
  };
  /**
   * The pending escalation's drafted reply: `template` as the policy drafted it, `text` rendered for this customer (what the care desk prefills; approved unchanged, the workflow renders the template itself). null: nothing pending, or no draft.
   */
  pendingDraft?: {
    /**
     * The draft as a template ({{author.name}} …).
     */
    template: string;
    /**
     * Rendered for this interaction.
     */
    text: string;
  } | null;
}
/**
 * One audit event; further properties carry its details.
 */
export interface TimelineEvent {
  /**
   * When (ISO 8601).
   */
  at: string;
  /**
   * What, like post.captured or escalation.decided.
   */
  type: string;
  /**
   * Who, when a person acted.
   */
  actor?: string;
  /**
   * Where it was read: Temporal's event history or the workflow's journal.
   */
  source?: 'temporal' | 'workflow';
  /**
   * The workflow run it happened in.
   */
  runId?: string;
  [k: string]: unknown;
}
/**
 * The audit timeline, oldest first.
 */
export interface History {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * Events, oldest first.
   */
  events: TimelineEvent[];
  /**
   * Related links.
   */
  links?: {
    /**
     * The workflow in the Temporal UI, when its address is known.
     */
    temporalUi: string | null;
  };
}
/**
 * What the workflow keeps in its memo for lists and customer profiles.
 */
export interface InteractionSummary {
  status: InteractionStatus;
  /**
   * The policy in force.
   */
  policy: {
    /**
     * Policy id.
     */
    id: string;
    /**
     * Pack version id.
     */
    version: string;
  } | null;
  /**
   * Intent of the triaged post.
   */
  intent: 'question' | 'complaint' | 'praise' | 'idea' | 'security' | 'spam' | 'other' | null;
  /**
   * Sentiment of the triaged post.
   */
  sentiment: Sentiment | null;
  /**
   * Customer posts.
   */
  posts: number;
  /**
   * Replies published.
   */
  replies: number;
  /**
   * Commitments met and breached.
   */
  commitments: {
    /**
     * Met in time.
     */
    met: number;
    /**
     * Breached.
     */
    breached: number;
  };
  /**
   * When the latest customer post came (ISO 8601).
   */
  lastPostAt: string | null;
}
/**
 * An interaction as Temporal visibility lists it.
 */
export interface InteractionListItem {
  /**
   * <channel>:<threadId>.
   */
  interactionId: string;
  /**
   * The latest run.
   */
  runId: string;
  /**
   * When the run started (ISO 8601).
   */
  startedAt: string | null;
  /**
   * When the run closed (ISO 8601); null while it runs.
   */
  closedAt: string | null;
  /**
   * Interaction status.
   */
  status: InteractionStatus | null;
  /**
   * Policy id.
   */
  policy: string | null;
  /**
   * <channel>:<author>.
   */
  customer: string | null;
  /**
   * A commitment was breached.
   */
  breached: boolean;
  /**
   * The memo, when the workflow has written one.
   */
  summary: InteractionSummary | null;
  /**
   * Related links.
   */
  links: {
    /**
     * The interaction's state.
     */
    interaction: string;
    /**
     * The workflow in the Temporal UI, when its address is known.
     */
    temporalUi: string | null;
  };
}
/**
 * Interactions from Temporal visibility, newest first.
 */
export interface InteractionList {
  /**
   * One page.
   */
  interactions: InteractionListItem[];
  /**
   * Pass as pageToken for the next page; null on the last.
   */
  nextPageToken: string | null;
}
/**
 * A customer across all their interactions (from Temporal visibility).
 */
export interface CustomerProfile {
  /**
   * Who.
   */
  customer: {
    /**
     * Channel.
     */
    channel: string;
    /**
     * Author id (or handle).
     */
    authorId: string;
  };
  /**
   * How many interactions.
   */
  interactions: number;
  /**
   * Interactions per policy id; (none) when no policy was selected.
   */
  perPolicy: {
    [k: string]: number;
  };
  /**
   * Interactions per status (outcome); unknown when visibility has none.
   */
  perStatus: {
    [k: string]: number;
  };
  /**
   * Sentiment of the latest triaged post.
   */
  lastSentiment: Sentiment | null;
  /**
   * Commitments across interactions.
   */
  commitments: {
    /**
     * Met in time.
     */
    met: number;
    /**
     * Breached.
     */
    breached: number;
  };
  /**
   * Up to 50 interactions, newest first.
   */
  recent: InteractionListItem[];
}
/**
 * An escalation waiting for a decision.
 */
export interface Escalation {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * The team that decides.
   */
  team: string;
  /**
   * Escalation level (1, then each onTimeout step).
   */
  level: number;
  /**
   * When it was opened.
   */
  openedAt: string;
  /**
   * When it times out.
   */
  deadline: string;
  /**
   * Milliseconds until the deadline (negative: overdue).
   */
  timeLeftMs: number;
  /**
   * The customer post.
   */
  post: {
    /**
     * Post id.
     */
    id: string;
    /**
     * Channel.
     */
    channel: string;
    author: Author;
    /**
     * Text.
     */
    text: string;
    /**
     * When the customer posted it (ISO 8601).
     */
    createdAt: string;
  };
  /**
   * How the post was triaged.
   */
  triage: Triage | null;
  /**
   * The policy in force.
   */
  policy: {
    /**
     * Policy id.
     */
    id: string;
    /**
     * Pack version id.
     */
    version: string;
  } | null;
  /**
   * The reply the policy drafted; approve without a reply publishes it.
   */
  draftReply: string | null;
  /**
   * Related links.
   */
  links: {
    /**
     * The interaction's state.
     */
    interaction: string;
    /**
     * Where to POST the decision.
     */
    decision: string;
    /**
     * The workflow in the Temporal UI, when its address is known.
     */
    temporalUi: string | null;
  };
}
/**
 * An automatic reply waiting because publishing was paused: a lead releases or discards it.
 */
export interface HeldReply {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * <stepPath>#<n>.
   */
  heldId: string;
  /**
   * The kind of automatic reply.
   */
  kind: 'interimReply' | 'reply' | 'followUp' | 'periodicUpdate';
  /**
   * When it was held.
   */
  heldAt: string;
  /**
   * The reply's template, rendered when released.
   */
  text: string;
  pause: Pause;
  /**
   * The customer post the reply answers.
   */
  post: {
    /**
     * Post id.
     */
    id: string;
    /**
     * Channel.
     */
    channel: string;
    author: Author;
    /**
     * Text (at most 1,000 characters).
     */
    text: string;
    /**
     * When the customer posted it (ISO 8601).
     */
    createdAt: string;
  };
  /**
   * Related links.
   */
  links: {
    /**
     * The interaction's state.
     */
    interaction: string;
    /**
     * Where to POST release or discard.
     */
    decision: string;
    /**
     * The workflow in the Temporal UI, when its address is known.
     */
    temporalUi: string | null;
  };
}
/**
 * What waits for a decision: escalations, earliest deadline first, and (for leads and admins) automatic replies held by the pause switch, oldest first.
 */
export interface EscalationList {
  /**
   * Escalations (at most 1,000).
   */
  escalations: Escalation[];
  /**
   * Automatic replies waiting because publishing was paused (at most 1,000; empty unless the caller is a lead or admin somewhere: they release or discard them).
   */
  held: HeldReply[];
}
/**
 * The decision, as the interaction applied it.
 */
export interface DecisionResult {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * The decision.
   */
  decision: 'approve' | 'reject' | 'reassign';
  /**
   * The team the escalation is with now.
   */
  team: string;
  /**
   * The published reply, when approving published one.
   */
  reply?: {
    /**
     * Channel message id.
     */
    messageId: string;
    /**
     * Reply text.
     */
    text: string;
    /**
     * When.
     */
    publishedAt: string;
  };
}
/**
 * What the interaction did with its waiting replies.
 */
export interface HeldDecisionResult {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * release or discard.
   */
  decision: 'release' | 'discard';
  /**
   * How many replies it decided.
   */
  replies: number;
}
/**
 * A change of the switch, or an erasure of a customer's data.
 */
export interface ControlsLogEntry {
  /**
   * When.
   */
  at: string;
  /**
   * paused, resumed or erased.
   */
  type: 'paused' | 'resumed' | 'erased';
  actor: Actor;
  /**
   * The pause (paused, resumed).
   */
  pauseId?: string;
  /**
   * Its scope key (paused, resumed).
   */
  scope?: string;
  /**
   * resumed: what became of the replies that waited.
   */
  decision?: 'release' | 'discard';
  /**
   * resumed: interactions whose replies waited.
   */
  interactions?: number;
  /**
   * Why, as given.
   */
  note?: string;
  /**
   * erased: the receipt and the counts (nothing that identifies the customer).
   */
  erasure?: {
    /**
     * Erasure id (e1, e2, …): the receipt the CLI printed.
     */
    id?: string;
    /**
     * Interactions deleted.
     */
    interactions?: number;
    /**
     * Workflow runs deleted.
     */
    runs?: number;
    /**
     * Lines of outbox.jsonl redacted.
     */
    outboxLines?: number;
    /**
     * Lines of notifications.jsonl redacted.
     */
    notificationLines?: number;
    /**
     * How long the erasure took.
     */
    durationMs?: number;
  };
}
/**
 * The pause switch: the pauses in force and the latest changes (GET /v1/controls).
 */
export interface ControlsState {
  /**
   * Whether any automatic publishing is paused.
   */
  paused: boolean;
  /**
   * The pauses in force.
   */
  pauses: (Pause & {
    /**
     * Interactions whose automatic replies wait under this pause.
     */
    waitingInteractions: number;
  })[];
  /**
   * The latest changes, oldest first (at most 200; the controls workflow's history holds all).
   */
  log: ControlsLogEntry[];
  /**
   * Customers' data erased so far (hearken customer forget).
   */
  erasures: number;
  /**
   * Goes up with every change.
   */
  version: number;
}
/**
 * The pause in force for the scope.
 */
export interface PauseResult {
  pause: Pause;
  /**
   * The scope was paused already; nothing changed.
   */
  alreadyPaused: boolean;
}
/**
 * The pauses lifted, and what becomes of what waited.
 */
export interface ResumeResult {
  /**
   * release or discard.
   */
  decision: 'release' | 'discard';
  /**
   * Each pause lifted.
   *
   * Items: A lifted pause.
   */
  resumed: {
    pause: Pause;
    /**
     * Interactions whose replies waited under it: each is told now.
     */
    interactions: number;
  }[];
}
/**
 * The loaded pack.
 */
export interface Policies {
  /**
   * Pack version.
   */
  version: {
    /**
     * Git commit of the policy folder, when it is in a git checkout.
     */
    commit: string | null;
    /**
     * sha256 of the pack's content.
     */
    sha256: string;
    /**
     * Short, stable version id.
     */
    id: string;
  };
  /**
   * Pack folder.
   */
  dir: string;
  /**
   * Policies, highest priority first.
   *
   * Items: A policy.
   */
  policies: {
    /**
     * Policy id.
     */
    id: string;
    /**
     * Priority.
     */
    priority: number;
    /**
     * What it is for.
     */
    description: string | null;
    /**
     * Its calendar id.
     */
    calendar: string | null;
  }[];
  /**
   * Team ids.
   */
  teams: string[];
  /**
   * Calendar ids.
   */
  calendars: string[];
  /**
   * Template ids.
   */
  templates: string[];
  /**
   * The last failed reload, if the pack on disk is bad.
   */
  lastError: {
    /**
     * When (ISO 8601).
     */
    at: string;
    /**
     * What is wrong, each at its file, line and column.
     *
     * Items: One error.
     */
    errors: {
      /**
       * The pack file.
       */
      file: string;
      /**
       * Line (1-based).
       */
      line: number;
      /**
       * Column (1-based).
       */
      col: number;
      /**
       * What is wrong.
       */
      message: string;
      /**
       * file:line:col: message.
       */
      text: string;
    }[];
  } | null;
  workers?: WorkerPacks;
}
/**
 * An OpenAPI 3.1 document.
 */
export interface OpenApiDocument {
  /**
   * OpenAPI version.
   */
  openapi: '3.1.0';
  /**
   * Title, version and description of the API.
   */
  info: {
    [k: string]: unknown;
  };
  /**
   * Dialect of the schemas.
   */
  jsonSchemaDialect?: string;
  /**
   * The operations, by path.
   */
  paths: {
    [k: string]: unknown;
  };
  /**
   * Schemas, responses, parameters and security schemes.
   */
  components: {
    [k: string]: unknown;
  };
}
/**
 * The connected accounts of accounts.yaml and their listeners.
 */
export interface ChannelList {
  /**
   * One per connected account.
   *
   * Items: A connected account.
   */
  channels: {
    /**
     * Account id (accounts.yaml; default: its channel).
     */
    id: string;
    /**
     * Channel of its posts.
     */
    channel: string;
    /**
     * The account's handle.
     */
    handle: string;
    /**
     * How it is connected.
     */
    kind: 'bluesky' | 'mastodon' | 'webhook';
    /**
     * The longest reply it may post.
     */
    textLimit: {
      /**
       * Length.
       */
      max: number;
      /**
       * What is counted.
       */
      unit: 'graphemes' | 'characters';
    } | null;
    /**
     * What may keep posts from Hearken (a Mastodon notification policy that filters mentions, a credential not set).
     *
     * Items: A warning.
     */
    warnings: string[];
    /**
     * Webhook accounts: where platforms deliver posts.
     */
    webhook?: {
      /**
       * POST here, signed.
       */
      path: string;
    };
    /**
     * Its listener workflow; null for webhook accounts (they are pushed to).
     */
    listener: {
      /**
       * The listener workflow (listener:<account id>), to look up in the Temporal UI.
       */
      workflowId: string;
      /**
       * listening; waiting (the platform asked us to wait, or the listen activity is retrying after an error); stopped; not-started.
       */
      status: 'listening' | 'waiting' | 'stopped' | 'not-started';
      /**
       * Where the listener resumes: everything before it is captured.
       */
      cursor: string | null;
      /**
       * The last post captured: its id, its time on the platform, when Hearken captured it.
       */
      lastPost: {
        /**
         * Post id.
         */
        id: string;
        /**
         * Its time on the platform.
         */
        at: string;
        /**
         * When Hearken captured it.
         */
        capturedAt: string;
      } | null;
      /**
       * How long after it was posted the last post was captured (ms).
       */
      lagMs: number | null;
      /**
       * The last failure of the listen activity, while it is being retried.
       */
      lastError: {
        /**
         * What failed.
         */
        message: string;
        /**
         * The attempt now running or waiting.
         */
        attempt: number;
      } | null;
      /**
       * The platform asked us to wait (rate limit).
       */
      waiting: {
        /**
         * Why.
         */
        reason: string;
        /**
         * Until when.
         */
        until: string;
      } | null;
      /**
       * The listen activity's last heartbeat.
       */
      lastHeartbeatAt: string | null;
      /**
       * Counts since the listener started.
       */
      totals: {
        /**
         * Customer posts captured.
         */
        captured: number;
        /**
         * Posts heard again (redelivery, replay after a restart): one post each.
         */
        duplicates: number;
        /**
         * Hearken's own replies heard back: never customer posts.
         */
        echoes: number;
        /**
         * Replies made by the brand outside Hearken, recorded in their threads.
         */
        brandReplies: number;
      };
    } | null;
  }[];
}
/**
 * The person logged in, and the CSRF token their state-changing requests send as X-CSRF-Token.
 */
export interface Session {
  /**
   * Who.
   */
  user: {
    /**
     * User name from the tokens file.
     */
    name: string;
    /**
     * Their highest role in any team.
     */
    role: 'viewer' | 'agent' | 'lead' | 'admin';
    /**
     * Team id → role; `*` is every team.
     */
    teams: {
      [k: string]: 'viewer' | 'agent' | 'lead' | 'admin';
    };
  };
  /**
   * Send it as X-CSRF-Token on every POST and DELETE authenticated by the session cookie.
   */
  csrfToken: string;
  /**
   * When the session ends (ISO 8601); null when authenticated by a bearer token.
   */
  expiresAt: string | null;
}
/**
 * An agent's reply, as the interaction published it.
 */
export interface AgentReplyResult {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * The reply's id in the interaction (its idempotency key).
   */
  replyId: string;
  /**
   * What the channel published.
   */
  published: {
    /**
     * The channel's id of the reply.
     */
    messageId: string;
    /**
     * The text, as published.
     */
    text: string;
    /**
     * When (ISO 8601).
     */
    publishedAt: string;
    /**
     * The channel.
     */
    channel: string;
    /**
     * Who sent it.
     */
    by: string;
  };
  /**
   * true when this Idempotency-Key was answered before: the first answer, nothing published again.
   */
  duplicate: boolean;
}
/**
 * An internal note, as recorded.
 */
export interface NoteResult {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * The note's id.
   */
  noteId: string;
  /**
   * When (ISO 8601).
   */
  at: string;
  /**
   * Who wrote it.
   */
  by: string;
}
/**
 * The pack's reply templates rendered for one interaction, every language variant.
 */
export interface Templates {
  /**
   * The interaction.
   */
  interactionId: string;
  /**
   * The languages the templates come in; the interaction's language first when it has a variant.
   */
  languages: string[];
  /**
   * Each template in each of its languages, rendered (author, deadlines).
   *
   * Items: A rendered template.
   */
  templates: {
    /**
     * The template id in templates.yaml.
     */
    id: string;
    /**
     * The language of this variant.
     */
    language: string;
    /**
     * The text, rendered; still editable before sending.
     */
    text: string;
  }[];
}
/**
 * What the spike detector found for one window: the numbers, the baseline it compared them with, and each condition of an alarm.
 */
export interface CrisisEvaluation {
  /**
   * The window's last minute (minutes since the epoch).
   */
  m: number;
  /**
   * The window's last minute.
   */
  at: string;
  /**
   * Window length in minutes.
   */
  windowMinutes: number;
  /**
   * Posts captured in the window.
   */
  volume: number;
  /**
   * Share of them triaged negative (0 to 1).
   */
  negativeShare: number;
  /**
   * Hour of the week (UTC, Monday 00:00 = 0) whose baseline applies.
   */
  slot: number;
  /**
   * slot: the hour of week's own samples; all: every sample (the slot is still warming up); none: no baseline yet.
   */
  baseline: 'slot' | 'all' | 'none';
  /**
   * Baseline samples used.
   */
  samples: number;
  /**
   * Median and spread (scaled MAD, floored) of the baseline; null without a baseline.
   */
  volumeStats: {
    /**
     * Weighted median.
     */
    median: number;
    /**
     * Volume: 1.4826 × weighted MAD, at least √median. Share: the largest of the binomial standard error at the window's volume, 1.4826 × MAD of baseline windows with at least minVolume posts, and 0.03.
     */
    scale: number;
  } | null;
  /**
   * Median and spread (scaled MAD, floored) of the baseline; null without a baseline.
   */
  shareStats: {
    /**
     * Weighted median.
     */
    median: number;
    /**
     * Volume: 1.4826 × weighted MAD, at least √median. Share: the largest of the binomial standard error at the window's volume, 1.4826 × MAD of baseline windows with at least minVolume posts, and 0.03.
     */
    scale: number;
  } | null;
  /**
   * Robust z-score of the volume.
   */
  zVolume: number | null;
  /**
   * Robust z-score of the negative share.
   */
  zNegativeShare: number | null;
  /**
   * Each condition of an alarm (pulse.yaml) and whether it held.
   */
  checks: {
    /**
     * minVolume held.
     */
    minVolume: boolean;
    /**
     * volumeZ held.
     */
    volumeZ: boolean;
    /**
     * negativeShareZ held.
     */
    negativeShareZ: boolean;
    /**
     * negativeShareAtLeast held.
     */
    negativeShareAtLeast: boolean;
  };
  /**
   * Every condition held.
   */
  alarming: boolean;
}
/**
 * A person: name and role.
 */
export interface CrisisActor {
  /**
   * Token name.
   */
  name: string;
  /**
   * Role.
   */
  role: string;
}
/**
 * A crisis the pulse opened: why, its topic, its status and series.
 */
export interface Crisis {
  /**
   * <brand>-c<n>.
   */
  id: string;
  /**
   * The brand whose pulse opened it.
   */
  brand: string;
  /**
   * open (overlay in force), acknowledged (a lead is on it; overlay in force), closed (overlay off).
   */
  status: 'open' | 'acknowledged' | 'closed';
  /**
   * When the alarm opened it.
   */
  openedAt: string;
  /**
   * When a lead acknowledged it.
   */
  acknowledgedAt?: string;
  acknowledgedBy?: CrisisActor;
  /**
   * When it was closed.
   */
  closedAt?: string;
  closedBy?: CrisisActor;
  /**
   * Notes given with an acknowledgement or close, and failed notifications.
   */
  notes: {
    /**
     * When.
     */
    at: string;
    by: CrisisActor;
    /**
     * The note.
     */
    note: string;
  }[];
  /**
   * Words that make a post about this crisis (overlay policies match crisisTopic).
   */
  topic: string[];
  alarm: CrisisEvaluation;
  /**
   * The busiest window while it was not closed.
   */
  peak: {
    /**
     * Posts in the window.
     */
    volume: number;
    /**
     * Negative share.
     */
    negativeShare: number;
    /**
     * Window end.
     */
    at: string;
  };
  /**
   * Per minute from 30 minutes before it opened until it closed: [ISO minute, posts, negative].
   */
  series: unknown[][];
  /**
   * Pack version of the pulse.yaml that decided.
   */
  settingsVersion: string;
}
/**
 * The brand's crises, newest first.
 */
export interface CrisisList {
  /**
   * The brand (pulse workflow pulse:<brand>).
   */
  brand: string;
  /**
   * Crises.
   */
  crises: Crisis[];
}
/**
 * The brand's pulse: the latest minutes (counts, intent mix, top terms and hashtags; never text or authors), the day's series, and the detector's latest evaluation.
 */
export interface Pulse {
  /**
   * The brand.
   */
  brand: string;
  /**
   * The latest hour, per minute, oldest first.
   */
  minutes: {
    /**
     * The minute.
     */
    at: string;
    /**
     * Posts captured.
     */
    posts: number;
    /**
     * Of them negative.
     */
    negative: number;
    /**
     * Of them addressed to us (the rest were overheard).
     */
    addressed: number;
    /**
     * Intent → posts.
     */
    intents: {
      [k: string]: number;
    };
    /**
     * Most frequent words.
     */
    topTerms: string[];
    /**
     * Most frequent hashtags.
     */
    topHashtags: string[];
  }[];
  /**
   * The latest day per minute: [ISO minute, posts, negative].
   */
  series: unknown[][];
  /**
   * Baseline samples kept.
   */
  baselineSamples: number;
  /**
   * Consecutive alarming minutes so far.
   */
  streak: number;
  /**
   * The detector's latest evaluation, null before the first.
   */
  lastEvaluation: CrisisEvaluation | null;
}
