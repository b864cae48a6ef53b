// A Bluesky post record → Hearken's normalized post. Which posts are ours
// to hear: a mention of the brand (a mention facet with its DID), a reply to
// one of its posts, a quote of one; the brand's own replies are heard too,
// so replies made in the app count (they are marked as ours by the handle).
import type { AppBskyFeedPost } from '@atproto/api';
import type { Post } from '../../shared/post';
import { parsePostUri, postIdOf, webUrlOf, type PostRef } from './ids';

export type Heard = 'mention' | 'reply' | 'quote' | 'brand-reply';

type FeedPost = Pick<AppBskyFeedPost.Main, 'text' | 'createdAt' | 'langs' | 'reply' | 'facets' | 'embed'>;

/** Why the brand hears this post, or null when it does not. */
export function whyHeard(record: FeedPost, authorDid: string, brandDid: string): Heard | null {
  if (authorDid === brandDid) return record.reply ? 'brand-reply' : null;
  const ours = (uri: string | undefined) => (uri ? parsePostUri(uri)?.did === brandDid : false);
  if (ours(record.reply?.parent.uri)) return 'reply';
  const mentioned = (record.facets ?? []).some((f) =>
    f.features.some((x) => x.$type === 'app.bsky.richtext.facet#mention' && (x as { did?: string }).did === brandDid),
  );
  if (mentioned) return 'mention';
  if (ours(quotedUri(record))) return 'quote';
  return null;
}

function quotedUri(record: FeedPost): string | undefined {
  const e = record.embed as { $type?: string; record?: { uri?: string; record?: { uri?: string } } } | undefined;
  if (e?.$type === 'app.bsky.embed.record') return e.record?.uri;
  if (e?.$type === 'app.bsky.embed.recordWithMedia') return e.record?.record?.uri;
  return undefined;
}

export interface NormalizeInput {
  ref: PostRef;
  record: FeedPost;
  author: { did: string; handle?: string; name?: string; followers?: number };
  /** Handle of the author of the parent post, when it is a reply. */
  parentHandle?: string;
  /** When the network saw it (commit time, indexedAt): a client's createdAt in the future is not believed. */
  seenAt: string;
}

export function normalizeBlueskyPost(input: NormalizeInput): Post {
  const { ref, record, author } = input;
  const root = record.reply ? parsePostUri(record.reply.root.uri) : null;
  const parent = record.reply ? parsePostUri(record.reply.parent.uri) : null;
  const created = Date.parse(record.createdAt);
  const seen = Date.parse(input.seenAt);
  const createdAt = new Date(Number.isFinite(created) && created <= seen ? created : seen).toISOString();
  const language = record.langs?.[0]?.split('-')[0]?.toLowerCase();
  return {
    channel: 'bluesky',
    id: postIdOf(ref),
    threadId: root ? postIdOf(root) : postIdOf(ref),
    ...(parent ? { inReplyTo: postIdOf(parent) } : {}),
    ...(input.parentHandle ? { inReplyToAuthor: input.parentHandle } : {}),
    direct: false,
    author: {
      id: author.did,
      ...(author.handle ? { handle: author.handle } : {}),
      ...(author.name ? { name: author.name } : {}),
      ...(author.followers !== undefined ? { followers: author.followers } : {}),
    },
    text: record.text,
    ...(language && /^[a-z]{2,3}$/u.test(language) ? { language } : {}),
    createdAt,
    url: webUrlOf(ref, author.handle),
  };
}
