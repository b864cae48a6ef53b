// The channel-adapter interface: how a reply leaves Hearken. Adapters must be
// idempotent on `idempotencyKey`: the publish activity may run more than once.
import type { TextLimit } from './text-limit';

export interface OutgoingReply {
  interactionId: string;
  /** The customer post this reply answers. */
  postId: string;
  channel: string;
  inReplyTo: string;
  text: string;
  idempotencyKey: string;
  /**
   * When publishing this reply was first attempted (ms since the epoch),
   * the same on every retry: platforms that need a stable timestamp or a
   * record key (Bluesky) derive it from this.
   */
  firstAttemptAt?: number;
  /** 1 on the first attempt; a later attempt may follow a lost response. */
  attempt?: number;
}

export interface PublishedReply extends OutgoingReply {
  /** The channel's id of the published message. */
  messageId: string;
  publishedAt: string;
}

export interface PublishResult {
  reply: PublishedReply;
  /** It was already there: an earlier attempt published it. */
  duplicate: boolean;
  /** The adapter that published it, when this adapter routes to others. */
  via?: string;
}

export interface ChannelAdapter {
  readonly name: string;
  publish(reply: OutgoingReply): Promise<PublishResult>;
  /** The longest reply `channel` takes, when known. */
  textLimit?(channel: string): Promise<TextLimit | null>;
}
