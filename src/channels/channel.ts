// The channel-adapter interface: how a reply leaves Hearken. Adapters must be
// idempotent on `idempotencyKey`: the publish activity may run more than once.

export interface OutgoingReply {
  interactionId: string;
  /** The customer post this reply answers. */
  postId: string;
  channel: string;
  inReplyTo: string;
  text: string;
  idempotencyKey: string;
}

export interface PublishedReply extends OutgoingReply {
  /** The channel's id of the published message. */
  messageId: string;
  publishedAt: string;
}

export interface ChannelAdapter {
  readonly name: string;
  publish(reply: OutgoingReply): Promise<{ reply: PublishedReply; duplicate: boolean }>;
}
