// Replies of a webhook-connected account: POSTed as JSON to the account's
// replyUrl, signed per Standard Webhooks with webhook-id = the reply's
// idempotency key, so the receiver can drop a redelivery. A failed delivery
// (no connection, no answer in 10 s, a non-2xx status) throws: the publish
// activity retries it with exponential backoff, with the same webhook-id.
import { createHash } from 'node:crypto';
import type { OutgoingReply, PublishResult } from '../channel';
import { signDelivery } from './signature';

export interface WebhookTarget {
  accountId: string;
  url: string;
  secret: string;
  fetch?: typeof globalThis.fetch;
}

export async function publishToWebhook(target: WebhookTarget, reply: OutgoingReply): Promise<PublishResult> {
  const publishedAt = new Date().toISOString();
  const body = JSON.stringify({
    type: 'reply.created',
    timestamp: publishedAt,
    data: {
      account: target.accountId,
      interactionId: reply.interactionId,
      channel: reply.channel,
      inReplyTo: reply.inReplyTo,
      text: reply.text,
      idempotencyKey: reply.idempotencyKey,
    },
  });
  const res = await (target.fetch ?? globalThis.fetch)(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signDelivery(target.secret, reply.idempotencyKey, body) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text().catch(() => '');
  // 409: the receiver already has this webhook-id (an earlier attempt got through).
  if (!res.ok && res.status !== 409) {
    // Never the URL: it may carry a token.
    throw new Error(`reply webhook of account ${target.accountId} answered ${res.status}`);
  }
  let messageId = `webhook-${createHash('sha256').update(reply.idempotencyKey).digest('hex').slice(0, 16)}`;
  try {
    const parsed = JSON.parse(text) as { messageId?: unknown };
    if (typeof parsed.messageId === 'string' && parsed.messageId) messageId = parsed.messageId;
  } catch {
    // No JSON answer: the derived id stands.
  }
  return { reply: { ...reply, messageId, publishedAt }, duplicate: res.status === 409 };
}
