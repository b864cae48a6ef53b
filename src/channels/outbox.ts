// The default channel: one record per published reply, never two with one
// idempotency key — a JSON line in $HEARKEN_DATA_DIR/outbox.jsonl, or a row
// of the `outbox` ledger in PostgreSQL when HEARKEN_DATABASE_URL is set
// (then the promise holds across hosts; see ledger.ts).
import { createHash } from 'node:crypto';
import type { ChannelAdapter, OutgoingReply, PublishedReply } from './channel';
import { ledgerStoreOf, type Ledger, type LedgerStore } from './ledger';

export class OutboxChannel implements ChannelAdapter {
  readonly name = 'outbox';
  private readonly ledger: Ledger<PublishedReply>;

  /** `ledgers`: a data folder (the file) or the runtime's store. */
  constructor(ledgers: string | LedgerStore) {
    this.ledger = ledgerStoreOf(ledgers).open('outbox');
  }

  /** Where the replies are: a file path, or `postgres:…`. */
  get file(): string {
    return this.ledger.where;
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
