// The default channel: one JSON line per published reply in
// $HEARKEN_DATA_DIR/outbox.jsonl, never two lines with one idempotency key.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ChannelAdapter, OutgoingReply, PublishedReply } from './channel';
import { JsonlLedger } from './jsonl-ledger';

export class OutboxChannel implements ChannelAdapter {
  readonly name = 'outbox';
  private readonly ledger: JsonlLedger<PublishedReply>;

  constructor(dataDir: string) {
    this.ledger = new JsonlLedger(path.join(dataDir, 'outbox.jsonl'));
  }

  get file(): string {
    return this.ledger.file;
  }

  async publish(reply: OutgoingReply): Promise<{ reply: PublishedReply; duplicate: boolean }> {
    const record: PublishedReply = {
      interactionId: reply.interactionId,
      postId: reply.postId,
      channel: reply.channel,
      inReplyTo: reply.inReplyTo,
      text: reply.text,
      idempotencyKey: reply.idempotencyKey,
      // Derived from the key, so a retry would name the same message.
      messageId: `outbox-${createHash('sha256').update(reply.idempotencyKey).digest('hex').slice(0, 16)}`,
      publishedAt: new Date().toISOString(),
    };
    const { record: stored, duplicate } = await this.ledger.append(record);
    return { reply: stored, duplicate };
  }
}
