// Reply windows: some platforms accept a reply only within a while after the
// customer's latest message (Meta: 24 hours for messages). A customer post
// on such a channel opens the window as its own timer, beside the brand's
// commitments: if nothing has been published in the thread since the post
// when the window is about to close, the team is told (the team of the
// escalation pending then, else the team that owns the interaction), and the
// closing is recorded. Behind a patch, so histories recorded before it
// replay unchanged.
import { condition, patched, type CancellationScope } from '@temporalio/workflow';
import type { Post } from '../shared/post';
import { PATCH } from './patches';
import { owningTeam } from './reply-too-long';
import type { RunContext } from './run-context';

export function startReplyWindow(ctx: RunContext, post: Post, scope?: CancellationScope | null): void {
  const w = ctx.active?.plan.replyWindow;
  if (!w || (w.applies === 'direct' && !post.direct)) return;
  if (!patched(PATCH.replyWindow)) return;
  const work = () => watchReplyWindow(ctx, post, w);
  void ctx.background(scope ? scope.run(work) : work(), 'replyWindow');
}

async function watchReplyWindow(ctx: RunContext, post: Post, w: { ms: number; escalateBeforeMs: number; source: string }): Promise<void> {
  const repliesAtPost = ctx.state.replies.length;
  const answered = () => ctx.state.replies.length > repliesAtPost;
  const closesAt = Date.parse(post.createdAt) + w.ms;
  const closes = new Date(closesAt).toISOString();
  ctx.record('reply-window.opened', { postId: post.id, closesAt: closes, window: w.source });
  const escalateAt = closesAt - w.escalateBeforeMs;
  if (await waitUntil(answered, escalateAt)) return;
  const team = ctx.openEscalation?.team ?? owningTeam(ctx.plan());
  ctx.record('reply-window.closing', { postId: post.id, closesAt: closes, team });
  if (team !== null) {
    await ctx.notify(
      team,
      'reply-window',
      `Reply to ${ctx.interactionId} before ${closes}: ${post.channel} accepts no reply to this message after that (${w.source} window).`,
      `reply-window/${post.id}`,
    );
  }
  if (await waitUntil(answered, closesAt)) return;
  ctx.record('reply-window.closed', { postId: post.id, closedAt: closes });
}

/** Whether `done` holds by workflow time `at` (checked at once when `at` has passed). */
async function waitUntil(done: () => boolean, at: number): Promise<boolean> {
  const left = at - Date.now();
  if (left <= 0) return done();
  return condition(done, left);
}
