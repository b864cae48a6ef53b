// Activities: everything with I/O or with inputs the workflow must not read
// itself (policy files, clocks of the outside world, channels). Built by a
// factory so tests can hand in a different channel adapter (the outside
// world), never a fake Temporal.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ChannelAdapter } from '../channels/channel';
import { describeLimit, excess, measure } from '../channels/text-limit';
import { WebhookError, type Notifier } from '../channels/notifier';
import type { Post } from '../shared/post';
import { addDuration } from '../policy/engine/calendar';
import { renderTemplate, type RenderVars } from '../policy/engine/render';
import { metrics } from '../runtime/metrics';
import { fromOurAccount, planFor, triageFor } from '../policy/engine/assess';
import type { CompiledPolicy } from '../policy/engine/select';
import type { PolicyPack } from '../policy/types';
import type { Calendar, Duration, Plan } from '../shared/plan';
import type { Triage } from '../shared/triage';
import { ErrorType } from '../shared/errors';
import { workflowUiLink } from '../client/ui-links';
import type { Config } from '../runtime/config';
import type { PauseSource } from './pause-switch';
import { classifierFromSettings, refineTriage } from '../triage/classifier';
import { publishUnlessPaused } from './pause-switch';
import { listenActivities, type ListenDeps } from './listen';
import { replyWindowFor } from '../channels/reply-window';
import { crisisOverlayPlan, type CrisisSource } from '../pulse/overlay';

export interface PackSource {
  current(): PolicyPack;
  compiled(): CompiledPolicy[];
}

export interface ActivityDeps {
  packs: PackSource;
  channel: ChannelAdapter;
  notifier: Notifier;
  /** Base URL of the Temporal UI, for links in notifications. */
  uiBaseUrl?: string;
  /** Triage settings from the config module; absent: the rules alone, with their default reach thresholds. */
  triage?: TriageConfig;
  /** The pause switch as this worker sees it (src/client/controls.ts); absent: nothing is ever paused. */
  pauses?: PauseSource;
  /** Connected accounts' listeners (src/activities/listen.ts); absent: this worker cannot listen. */
  listening?: ListenDeps;
  /** The crisis in force (src/client/crises.ts); absent: crisis overlays never apply. */
  crises?: CrisisSource;
}

/** $HEARKEN_REACH_THRESHOLDS and the classifier hook's $HEARKEN_CLASSIFIER_URL, _TOKEN, _TIMEOUT_MS. */
export type TriageConfig = Pick<Config, 'reachThresholds' | 'classifierUrl' | 'classifierToken' | 'classifierTimeoutMs'>;

export interface AssessInput {
  interactionId: string;
  post: Post;
}

export interface Assessment {
  triage: Triage;
  plan: Plan;
  /** The author is one of our accounts (accounts.yaml): the brand itself posted in the thread. */
  fromUs?: boolean;
}

export interface PublishInput {
  interactionId: string;
  post: { id: string; channel: string; author: Post['author'] };
  /** A policy template to render, or with `verbatim` the exact text to publish. */
  text: string;
  /** A person's own words (an approved reply): published as written, never rendered. */
  verbatim?: boolean;
  /** publishAutomaticReply: pauses already lifted for this reply (it was released by their resume). */
  liftedPauses?: string[];
  vars: Omit<RenderVars, 'author'>;
  idempotencyKey: string;
}

export interface PublishOutput {
  messageId: string;
  publishedAt: string;
  text: string;
  channel: string;
  duplicate: boolean;
}

export interface NotifyInput {
  interactionId: string;
  team: string;
  kind: string;
  message: string;
  idempotencyKey: string;
  // No webhook here: it is a secret, and activity inputs are stored in the
  // workflow's history. The activity looks it up in the current pack.
}

export interface NotifyOutput {
  via: 'webhook' | 'file';
  sentAt: string;
  /** The team's webhook failed NOTIFY_WEBHOOK_ATTEMPTS times; the notification went to the file instead. */
  webhookError?: string;
  attempts?: number;
}

/** Attempts a team webhook gets before its notification falls back to notifications.jsonl. */
export const NOTIFY_WEBHOOK_ATTEMPTS = 4;

export function createActivities(deps: ActivityDeps) {
  const settings = deps.triage;
  const classifier = settings ? classifierFromSettings(settings) : null;
  const activities = {
    ...listenActivities(deps.listening),
    /**
     * Triage the post (the rules, refined by the classifier when one is
     * configured) and choose the plan, with the pack loaded right now.
     */
    async assessPost(input: AssessInput): Promise<Assessment> {
      const end = metrics.assessments.startTimer();
      // One pack for the whole assessment, even if a reload lands while the classifier thinks.
      const pack = deps.packs.current();
      const compiled = deps.packs.compiled();
      const rules = triageFor(pack, input.post, { reachThresholds: settings?.reachThresholds });
      const triage = await refineTriage(input.post, rules, classifier);
      const result = (await crisisOverlayPlan(deps.crises, pack, input.post, triage)) ?? planFor(pack, compiled, input.post, triage);
      const replyWindow = replyWindowFor(pack.accounts, input.post.channel);
      if (replyWindow) result.plan.replyWindow = replyWindow;
      end({ policy: result.plan.policy.id });
      return { ...result, fromUs: fromOurAccount(pack.accounts, input.post) };
    },

    async publishReply(input: PublishInput): Promise<PublishOutput> {
      const text = input.verbatim ? input.text : render(input);
      if (!text.trim()) {
        throw ApplicationFailure.create({ type: ErrorType.EmptyReply, message: 'the reply text is empty', nonRetryable: true });
      }
      await refuseTooLong(deps.channel, input.post.channel, text);
      const { reply, duplicate, via } = await deps.channel.publish({
        interactionId: input.interactionId,
        postId: input.post.id,
        channel: input.post.channel,
        inReplyTo: input.post.id,
        text,
        idempotencyKey: input.idempotencyKey,
        ...attemptOf(),
      });
      metrics.repliesPublished.inc({ channel: input.post.channel, duplicate: String(duplicate) });
      return { messageId: reply.messageId, publishedAt: reply.publishedAt, text: reply.text, channel: via ?? deps.channel.name, duplicate };
    },

    /**
     * Tells a team: its webhook (looked up now, in the current pack), else a
     * line in notifications.jsonl. A webhook that keeps failing is given up
     * after NOTIFY_WEBHOOK_ATTEMPTS attempts: the notification goes to the
     * file, and the failure is counted and returned for the timeline.
     */
    async notifyTeam(input: NotifyInput): Promise<NotifyOutput> {
      const { attempt, namespace } = Context.current().info;
      const link = workflowUiLink({ uiBaseUrl: deps.uiBaseUrl, namespace }, input.interactionId);
      const note = {
        interactionId: input.interactionId,
        team: input.team,
        kind: input.kind,
        message: input.message,
        idempotencyKey: input.idempotencyKey,
        ...(link ? { link } : {}),
      };
      const webhook = deps.packs.current().teams[input.team]?.notify?.webhook;
      let webhookError: string | undefined;
      if (webhook) {
        try {
          const rec = await deps.notifier.send(note, webhook);
          metrics.notifications.inc({ team: input.team, kind: input.kind, via: rec.via });
          return { via: rec.via, sentAt: rec.sentAt };
        } catch (err) {
          // The notifier's messages never carry the URL (it may hold a token).
          webhookError = err instanceof WebhookError ? err.message : `webhook for team ${input.team} failed`;
          if (attempt < NOTIFY_WEBHOOK_ATTEMPTS) throw ApplicationFailure.create({ type: ErrorType.WebhookFailed, message: webhookError });
          metrics.notificationFailures.inc({ team: input.team, kind: input.kind });
        }
      }
      const rec = await deps.notifier.send(note, undefined, webhookError);
      metrics.notifications.inc({ team: input.team, kind: input.kind, via: rec.via });
      return { via: rec.via, sentAt: rec.sentAt, ...(webhookError !== undefined ? { webhookError, attempts: attempt } : {}) };
    },

    /** Business-time arithmetic; a local activity so replay reads the recorded result. */
    async computeDeadline(input: { from: string; duration: Duration; calendar: Calendar | null }): Promise<string> {
      return addDuration(input.duration, new Date(input.from), input.calendar).toISOString();
    },
  };
  return { ...activities, publishAutomaticReply: publishUnlessPaused(deps, activities.publishReply) };
}

/**
 * When this publish was first scheduled (recorded in the history: the same on
 * every retry) and which attempt this is; nothing outside an activity.
 */
function attemptOf(): { firstAttemptAt?: number; attempt?: number } {
  try {
    const { scheduledTimestampMs, attempt } = Context.current().info;
    return { firstAttemptAt: scheduledTimestampMs, attempt };
  } catch {
    return {};
  }
}

/** A reply over its channel's limit is refused, never cut: retrying cannot help, a human must shorten it. */
async function refuseTooLong(channel: ChannelAdapter, name: string, text: string): Promise<void> {
  const limit = await channel.textLimit?.(name);
  if (!limit) return;
  const over = excess(text, limit);
  if (over === 0) return;
  throw ApplicationFailure.create({
    type: ErrorType.ReplyTooLong,
    message: `the reply is ${measure(text, limit.unit)} ${limit.unit} long; ${name} allows ${describeLimit(limit)} (${over} too many)`,
    nonRetryable: true,
    details: [{ channel: name, length: measure(text, limit.unit), limit: limit.max, unit: limit.unit, text }],
  });
}

export type Activities = ReturnType<typeof createActivities>;

/** A policy template, rendered; one that cannot render fails for good (a retry renders it no better). */
function render(input: PublishInput): string {
  try {
    return renderTemplate(input.text, { ...input.vars, author: input.post.author }).trim();
  } catch (err) {
    throw ApplicationFailure.create({
      type: ErrorType.TemplateError,
      message: `the reply template does not render: ${err instanceof Error ? err.message : String(err)}`,
      nonRetryable: true,
    });
  }
}
