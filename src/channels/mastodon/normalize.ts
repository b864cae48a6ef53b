// A Mastodon status → Hearken's normalized post.
import type { mastodon } from 'masto';
import type { Post } from '../../shared/post';
import { htmlToText } from './html';

export interface StatusContext {
  /** The thread's first status (the root of `context` ancestors), when the status is a reply. */
  rootId?: string;
  /** The connected account's id and handle: a reply to it names our handle. */
  self: { id: string; handle: string };
}

export function normalizeStatus(s: mastodon.v1.Status, ctx: StatusContext, now = Date.now()): Post {
  const created = Date.parse(s.createdAt);
  const parentAuthor =
    s.inReplyToAccountId === ctx.self.id
      ? ctx.self.handle
      : s.inReplyToAccountId
        ? (s.mentions.find((m) => m.id === s.inReplyToAccountId)?.acct ?? undefined)
        : undefined;
  const language = s.language?.split('-')[0]?.toLowerCase();
  return {
    channel: 'mastodon',
    id: s.id,
    threadId: ctx.rootId ?? s.id,
    ...(s.inReplyToId ? { inReplyTo: s.inReplyToId } : {}),
    ...(parentAuthor ? { inReplyToAuthor: parentAuthor } : {}),
    direct: s.visibility === 'direct',
    author: {
      id: s.account.id,
      handle: s.account.acct,
      ...(s.account.displayName ? { name: s.account.displayName } : {}),
      followers: s.account.followersCount,
    },
    text: htmlToText(s.content),
    ...(language && /^[a-z]{2,3}$/u.test(language) ? { language } : {}),
    createdAt: new Date(Number.isFinite(created) && created <= now ? created : now).toISOString(),
    url: s.url ?? s.uri,
  };
}
