// The listen activity: one round of a listener workflow. It runs the
// account's listener (a stream or a poll, src/channels/) for up to `runMs`,
// captures each post it hears through the same update-with-start as
// POST /v1/posts (dedup by channel + id), and heartbeats its progress; a
// retry after a crash resumes from the last heartbeat's cursor. The cursor
// only ever moves past posts that are captured.
//
// The brand's own posts in a thread are the brand answering outside Hearken,
// unless they are Hearken's own replies heard back (echoes). An echo is told
// apart by asking the thread's interaction: its replies name their message
// ids, and while a publish is still running the answer waits for it.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Connectors } from '../channels/connectors';
import type { Heard, ListenSink } from '../channels/listen';
import { capturePostWithRetry, type CaptureOptions } from '../client/capture';
import { interactionIdFor } from '../shared/post';
import { addPostUpdate, stateQuery } from '../workflows/definitions';
import { NO_TOTALS, type ListenProgress } from '../workflows/listener-definitions';
import { metrics } from '../runtime/metrics';

export interface ListenDeps {
  connectors: Connectors;
  client: Client;
  capture: CaptureOptions;
}

export interface ListenInput {
  accountId: string;
  since: string;
  cursor?: string;
  runMs?: number;
}

const DEFAULT_RUN_MS = 5 * 60_000;
const HEARTBEAT_MS = 2000;
/** How long a brand post waits for a publish still running in its interaction before it counts as made outside Hearken. */
const ECHO_WAIT_MS = 60_000;

export function listenActivities(deps: ListenDeps | undefined) {
  return {
    async listenAccount(input: ListenInput): Promise<ListenProgress> {
      if (!deps) throw new Error('this worker has no listening set up');
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as ListenProgress | undefined;
      const progress: ListenProgress = {
        totals: { ...NO_TOTALS },
        ...(resumed?.cursor !== undefined ? { cursor: resumed.cursor } : input.cursor !== undefined ? { cursor: input.cursor } : {}),
      };
      const connector = deps.connectors.forAccount(input.accountId);
      const listener = connector?.listener();
      if (!connector || !listener) return { ...progress, disconnected: true };

      const warnings = await connector.warnings().catch(() => []);
      if (warnings.length > 0) {
        progress.warnings = warnings;
        for (const w of warnings) ctx.log.warn(w, { account: input.accountId });
      }
      const stop = new AbortController();
      const onCancel = () => stop.abort();
      ctx.cancellationSignal.addEventListener('abort', onCancel, { once: true });
      const timer = setTimeout(() => stop.abort(), input.runMs ?? DEFAULT_RUN_MS);
      const beat = setInterval(() => ctx.heartbeat(progress), HEARTBEAT_MS);
      ctx.heartbeat(progress);

      const sink: ListenSink = {
        deliver: async (heard) => {
          const outcome = await deliver(deps, heard, stop.signal);
          if (outcome !== 'untracked') progress.totals[outcome]++;
          metrics.channelPosts.inc({ account: input.accountId, outcome });
          if (outcome === 'captured' || outcome === 'brandReplies') {
            progress.lastPost = { id: heard.post.id, at: heard.post.createdAt, capturedAt: new Date().toISOString() };
          }
          delete progress.waiting;
        },
        advance: (cursor) => {
          progress.cursor = cursor;
        },
        waiting: (reason, seconds) => {
          progress.waiting = { reason, until: new Date(Date.now() + seconds * 1000).toISOString() };
          ctx.heartbeat(progress);
        },
      };
      try {
        await listener.listen({ cursor: progress.cursor, since: input.since }, sink, stop.signal);
      } finally {
        clearTimeout(timer);
        clearInterval(beat);
        ctx.cancellationSignal.removeEventListener('abort', onCancel);
      }
      return progress;
    },
  };
}

type Outcome = 'captured' | 'duplicates' | 'echoes' | 'brandReplies' | 'untracked';

/** The activities that publish a reply: a person's or a policy's, and an automatic one (behind the pause switch). */
const PUBLISHING: ReadonlySet<string> = new Set(['publishReply', 'publishAutomaticReply']);

async function deliver(deps: ListenDeps, heard: Heard, signal: AbortSignal): Promise<Outcome> {
  if (heard.from === 'customer') {
    const result = await capturePostWithRetry(deps.client, deps.capture, heard.post);
    return result.duplicate ? 'duplicates' : 'captured';
  }
  // The brand posted in a thread: only a thread Hearken follows is of interest.
  const handle = deps.client.workflow.getHandle(interactionIdFor(heard.post));
  const deadline = Date.now() + ECHO_WAIT_MS;
  for (;;) {
    let publishing: boolean;
    try {
      const desc = await handle.describe();
      if (desc.status.name !== 'RUNNING') return 'untracked';
      publishing = (desc.raw.pendingActivities ?? []).some((a) => PUBLISHING.has(a.activityType?.name ?? ''));
      // Queries see every event the server has (the publish's completion included).
      const state = await handle.query(stateQuery);
      if (state.replies.some((r) => r.messageId === heard.post.id)) return 'echoes';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'untracked';
      throw err;
    }
    if (!publishing || Date.now() > deadline || signal.aborted) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const result = await handle.executeUpdate(addPostUpdate, { args: [heard.post] });
  return result.duplicate ? 'duplicates' : 'brandReplies';
}
