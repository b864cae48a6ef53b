// Who wrote a later post in a thread, and what it means (PATCH.threadAuthors):
// the customer (their reply, or a takeover), one of our own accounts (the
// brand answering outside Hearken: it meets firstResponse / nextResponse),
// or a third party (recorded only, unless the policy counts them as the
// customer).
import { postKey, type Author, type Post } from '../shared/post';
import type { RunContext } from './run-context';

/**
 * Who wrote a post, as far as the thread's commitments go: one of our
 * accounts (`fromUs`, from the pack), the customer (the author of the post
 * whose plan runs; anyone while the thread is only being listened to), or a
 * third party. A policy may count third parties as the customer.
 */
export function authorRole(ctx: RunContext, post: Post, fromUs: boolean): 'customer' | 'brand' | 'third-party' {
  if (fromUs) return 'brand';
  const active = ctx.active;
  if (!active || active.plan.steps.some((s) => s.kind === 'ignore')) return 'customer';
  if (sameAuthor(post.author, active.post.author)) return 'customer';
  return active.plan.thirdPartyPosts === 'asCustomer' ? 'customer' : 'third-party';
}

function sameAuthor(a: Author, b: Author): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  if (a.handle !== undefined && b.handle !== undefined) return bareHandle(a.handle) === bareHandle(b.handle);
  // Nothing to tell them apart by: the benefit of the doubt goes to the customer.
  return true;
}

function bareHandle(h: string): string {
  return h.trim().replace(/^@/u, '').toLowerCase();
}

/**
 * The brand answered in the thread outside Hearken: a reply to the
 * customer's latest post, which meets firstResponse and nextResponse clocks
 * (not resolution). It selects no policy and takes nothing over.
 */
export function brandPost(ctx: RunContext, post: Post): void {
  ctx.state.postRoles = { ...ctx.state.postRoles, [post.id]: 'brand' };
  if (!ctx.active) {
    ctx.record('post.brand', { postId: post.id, author: post.author.handle ?? post.author.id ?? null });
    return;
  }
  const answered = customerPostBefore(ctx, post);
  ctx.state.replies.push({
    stepPath: 'outside-hearken',
    kind: 'brandPost',
    postId: answered.id,
    text: post.text,
    messageId: post.id,
    channel: post.channel,
    idempotencyKey: postKey(post),
    publishedAt: new Date(Date.parse(post.createdAt)).toISOString(),
  });
  ctx.record('post.brand-reply', { postId: post.id, inReplyTo: answered.id, author: post.author.handle ?? post.author.id ?? null });
  ctx.refreshSummary();
}

/** Someone else joined the thread: recorded; no clock, not the customer's reply. */
export function thirdPartyPost(ctx: RunContext, post: Post): void {
  ctx.state.postRoles = { ...ctx.state.postRoles, [post.id]: 'third-party' };
  ctx.record('post.third-party', { postId: post.id, author: post.author.handle ?? post.author.id ?? null });
}

/**
 * The customer's latest post before `post`. Posts are triaged in the order
 * they arrived, so every post before it has its author's role already; later
 * ones may not yet.
 */
function customerPostBefore(ctx: RunContext, post: Post): Post {
  const { posts, postRoles } = ctx.state;
  for (let i = posts.findIndex((p) => p.id === post.id) - 1; i >= 0; i--) {
    const p = posts[i]!;
    if (!postRoles?.[p.id]) return p;
  }
  return ctx.active!.post;
}
