// A reply on Mastodon: a status with in_reply_to_id and the visibility of
// the status it answers (a direct message is answered by direct message,
// which reaches only the accounts it mentions: the author is mentioned).
// Idempotent by Mastodon's own means: the Idempotency-Key header, derived
// from the reply's idempotency key, makes a retry return the first status.
// Mastodon keeps such keys for about an hour, so a retry later than that
// first looks in the thread (/context) for our reply.
import { createHash } from 'node:crypto';
import type { mastodon } from 'masto';
import type { OutgoingReply, PublishResult } from '../channel';
import { htmlToText } from './html';
import type { MastodonSession } from './client';

/** A little under Mastodon's hour, so the thread is searched before the key can have expired. */
const KEY_TRUST_MS = 50 * 60_000;

export function idempotencyHeader(key: string): string {
  return createHash('sha256').update(`hearken:${key}`).digest('hex');
}

export async function publishToMastodon(session: MastodonSession, reply: OutgoingReply): Promise<PublishResult> {
  const rest = session.rest;
  const parent = await rest.v1.statuses.$select(reply.inReplyTo).fetch();
  const me = await session.self();
  const text = withMention(reply.text, parent.account.acct, me.acct);
  const first = reply.firstAttemptAt ?? Date.now();
  if ((reply.attempt ?? 1) > 1 && Date.now() - first > KEY_TRUST_MS) {
    const found = await findInThread(session, parent, me.id, text, first);
    if (found) return { reply: { ...reply, text, messageId: found.id, publishedAt: found.createdAt }, duplicate: true };
  }
  const started = Date.now();
  const status = await rest.v1.statuses.create(
    { status: text, inReplyToId: parent.id, visibility: parent.visibility, language: parent.language ?? undefined },
    { requestInit: { headers: { 'Idempotency-Key': idempotencyHeader(reply.idempotencyKey) } } },
  );
  // An Idempotency-Key replay returns the status an earlier attempt made, before this one started.
  const duplicate = Date.parse(status.createdAt) < started - 500;
  return { reply: { ...reply, text, messageId: status.id, publishedAt: status.createdAt }, duplicate };
}

/** Our reply to `parent` with this text, made since the first attempt. */
async function findInThread(
  session: MastodonSession,
  parent: mastodon.v1.Status,
  myId: string,
  text: string,
  since: number,
): Promise<mastodon.v1.Status | undefined> {
  const ctx = await session.rest.v1.statuses.$select(parent.id).context.fetch();
  return ctx.descendants.find(
    (s) =>
      s.account.id === myId && s.inReplyToId === parent.id && Date.parse(s.createdAt) >= since - 1000 && htmlToText(s.content) === text,
  );
}

/** Mastodon notifies (and a direct message reaches) only the accounts a status mentions. */
function withMention(text: string, acct: string, myAcct: string): string {
  if (acct === myAcct) return text;
  const local = acct.split('@')[0]!;
  const mentioned = new RegExp(`(^|\\s)@${local.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(@|\\b)`, 'iu').test(text);
  return mentioned ? text : `@${acct} ${text}`;
}

/** Whether the status mentions or replies to this session's account, or is its own (a status of another instance is not found here). */
export async function mastodonAddresses(session: MastodonSession, statusId: string): Promise<boolean> {
  const [status, me] = await Promise.all([session.rest.v1.statuses.$select(statusId).fetch(), session.self()]);
  return status.account.id === me.id || status.inReplyToAccountId === me.id || status.mentions.some((m) => m.id === me.id);
}
