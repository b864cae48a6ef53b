// Activities: everything with I/O or with inputs the workflow must not read
// itself (policy files, clocks of the outside world, channels). Built by a
// factory so tests can hand in a different channel adapter (the outside
// world), never a fake Temporal.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ChannelAdapter } from '../channels/channel';
import { describeLimit, excess, measure } from '../channels/text-limit';
import type { Notifier } from '../channels/notifier';
import type { Post } from '../shared/post';
import { addDuration } from '../policy/engine/calendar';
import { renderTemplate, type RenderVars } from '../policy/engine/render';
import { metrics } from '../runtime/metrics';
import { planFor, triageFor } from '../policy/engine/assess';
import type { CompiledPolicy } from '../policy/engine/select';
import type { PolicyPack } from '../policy/types';
import type { Calendar, Duration, Plan } from '../shared/plan';
import type { Triage } from '../shared/triage';
import { ErrorType } from '../shared/errors';
import { workflowUiLink } from '../client/ui-links';
import type { Config } from '../runtime/config';
import { classifierFromSettings, refineTriage } from '../triage/classifier';
import { listenActivities, type ListenDeps } from './listen';
import { replyWindowFor } from '../channels/reply-window';

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
  /** Connected accounts' listeners (src/activities/listen.ts); absent: this worker cannot listen. */
  listening?: ListenDeps;
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
}

export interface PublishInput {
  interactionId: string;
  post: { id: string; channel: string; author: Post['author'] };
  text: string;
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
  webhook?: string;
}

export function createActivities(deps: ActivityDeps) {
  const settings = deps.triage;
  const classifier = settings ? classifierFromSettings(settings) : null;
  return {
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
      const result = planFor(pack, compiled, input.post, triage);
      const replyWindow = replyWindowFor(pack.accounts, input.post.channel);
      if (replyWindow) result.plan.replyWindow = replyWindow;
      end({ policy: result.plan.policy.id });
      return result;
    },

    async publishReply(input: PublishInput): Promise<PublishOutput> {
      const text = renderTemplate(input.text, { ...input.vars, author: input.post.author }).trim();
      if (!text) {
        throw ApplicationFailure.create({ type: ErrorType.EmptyReply, message: 'the reply text is empty', nonRetryable: true });
      }
      await refuseTooLong(deps.channel, input.post.channel, text);
      const info = Context.current().info;
      const { reply, duplicate, via } = await deps.channel.publish({
        interactionId: input.interactionId,
        postId: input.post.id,
        channel: input.post.channel,
        inReplyTo: input.post.id,
        text,
        idempotencyKey: input.idempotencyKey,
        // Recorded in the history when the activity was scheduled: the same on every retry.
        firstAttemptAt: info.scheduledTimestampMs,
        attempt: info.attempt,
      });
      metrics.repliesPublished.inc({ channel: input.post.channel, duplicate: String(duplicate) });
      return { messageId: reply.messageId, publishedAt: reply.publishedAt, text: reply.text, channel: via ?? deps.channel.name, duplicate };
    },

    async notifyTeam(input: NotifyInput): Promise<{ via: string; sentAt: string }> {
      const link = workflowUiLink({ uiBaseUrl: deps.uiBaseUrl, namespace: Context.current().info.namespace }, input.interactionId);
      const rec = await deps.notifier.send(
        {
          interactionId: input.interactionId,
          team: input.team,
          kind: input.kind,
          message: input.message,
          idempotencyKey: input.idempotencyKey,
          ...(link ? { link } : {}),
        },
        input.webhook,
      );
      metrics.notifications.inc({ team: input.team, kind: input.kind, via: rec.via });
      return { via: rec.via, sentAt: rec.sentAt };
    },

    /** Business-time arithmetic; a local activity so replay reads the recorded result. */
    async computeDeadline(input: { from: string; duration: Duration; calendar: Calendar | null }): Promise<string> {
      return addDuration(input.duration, new Date(input.from), input.calendar).toISOString();
    },
  };
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
