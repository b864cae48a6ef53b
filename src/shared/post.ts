// The normalized post: what connectors deliver to `POST /v1/posts` and what
// the CLI reads. Validated against schemas/post.schema.json before use.

export interface Author {
  id?: string;
  handle?: string;
  name?: string;
  followers?: number;
}

export interface Post {
  channel: string;
  id: string;
  /** Defaults to `id`: a post with no thread opens its own. */
  threadId?: string;
  inReplyTo?: string;
  inReplyToAuthor?: string;
  direct?: boolean;
  author: Author;
  text: string;
  language?: string;
  /** When the customer posted it; commitment clocks start here. */
  createdAt: string;
  url?: string;
}

/** Workflow id of the interaction a post belongs to: one per channel thread. */
export function interactionIdFor(post: Pick<Post, 'channel' | 'id' | 'threadId'>): string {
  return `${post.channel}:${post.threadId ?? post.id}`;
}

/** The identity that makes a post captured twice one post. */
export function postKey(post: Pick<Post, 'channel' | 'id'>): string {
  return `${post.channel}:${post.id}`;
}
