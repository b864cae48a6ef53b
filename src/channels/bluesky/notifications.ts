// Capture through the AppView: app.bsky.notification.listNotifications
// (mentions, replies, quotes), polled. Notifications come newest first; the
// durable cursor is the newest one captured (`<indexedAt> <uri>`), and each
// poll pages back until it reaches it, so a gap of any length is caught up
// oldest first. The brand's own replies made in the app are heard only in
// capture: firehose (the AppView does not notify an account of its own posts).
import type { AppBskyFeedPost, AppBskyNotificationListNotifications } from '@atproto/api';
import { pause, type ChannelListener, type ListenFrom, type ListenSink } from '../listen';
import { parsePostUri } from './ids';
import { normalizeBlueskyPost } from './normalize';
import { retryAfterSeconds, type BlueskySession } from './session';

type Notification = AppBskyNotificationListNotifications.Notification;

const POLL_MS = 3000;
const PAGE = 50;
const MAX_PAGES = 40;

export function notificationsListener(session: BlueskySession, pollMs = POLL_MS): ChannelListener {
  return {
    async listen(from: ListenFrom, sink: ListenSink, signal: AbortSignal): Promise<void> {
      let mark = parseMark(from.cursor) ?? { at: from.since, uri: '' };
      while (!signal.aborted) {
        try {
          const fresh = await newerThan(session, mark);
          const profiles = await followerCounts(
            session,
            fresh.map((n) => n.author.did),
          );
          for (const n of fresh) {
            if (signal.aborted) return;
            await hear(session, n, profiles, sink);
            mark = { at: n.indexedAt, uri: n.uri };
            sink.advance(`${mark.at} ${mark.uri}`, n.indexedAt);
          }
        } catch (err) {
          const wait = retryAfterSeconds(err);
          if (wait === null) throw err;
          sink.waiting(`bluesky rate limit (429); retrying in ${wait} s`, wait);
          await pause(wait * 1000, signal);
          continue;
        }
        await pause(pollMs, signal);
      }
    },
  };
}

function parseMark(cursor: string | undefined): { at: string; uri: string } | null {
  if (!cursor) return null;
  const sp = cursor.indexOf(' ');
  return sp > 0 ? { at: cursor.slice(0, sp), uri: cursor.slice(sp + 1) } : { at: cursor, uri: '' };
}

/** Mentions, replies and quotes newer than `mark`, oldest first. */
async function newerThan(session: BlueskySession, mark: { at: string; uri: string }): Promise<Notification[]> {
  const agent = await session.agent();
  const out: Notification[] = [];
  let page: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await agent.app.bsky.notification.listNotifications({
      limit: PAGE,
      reasons: ['mention', 'reply', 'quote'],
      ...(page ? { cursor: page } : {}),
    });
    let reachedMark = false;
    const markAt = Date.parse(mark.at);
    for (const n of res.data.notifications) {
      // Instants, not strings: "…02.500Z" sorts before "…02Z" as text.
      const at = Date.parse(n.indexedAt);
      const older = at < markAt || (at === markAt && (n.uri === mark.uri || mark.uri === ''));
      if (older) {
        reachedMark = true;
        break;
      }
      out.push(n);
    }
    page = res.data.cursor;
    if (reachedMark || !page || res.data.notifications.length === 0) break;
  }
  return out.filter((n) => ['mention', 'reply', 'quote'].includes(n.reason)).reverse();
}

async function followerCounts(session: BlueskySession, dids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const unique = [...new Set(dids)];
  const agent = await session.agent();
  for (let i = 0; i < unique.length; i += 25) {
    const res = await agent.app.bsky.actor.getProfiles({ actors: unique.slice(i, i + 25) }).catch(() => null);
    for (const p of res?.data.profiles ?? []) if (p.followersCount !== undefined) counts.set(p.did, p.followersCount);
  }
  return counts;
}

async function hear(session: BlueskySession, n: Notification, followers: Map<string, number>, sink: ListenSink): Promise<void> {
  const ref = parsePostUri(n.uri);
  const record = n.record as unknown as AppBskyFeedPost.Main;
  if (!ref || typeof record.text !== 'string') return;
  const brandDid = await session.did();
  const parentDid = record.reply ? parsePostUri(record.reply.parent.uri)?.did : undefined;
  const parentHandle =
    parentDid === undefined ? undefined : parentDid === brandDid ? session.account.handle : await session.handleOf(parentDid);
  const post = normalizeBlueskyPost({
    ref,
    record,
    author: {
      did: n.author.did,
      handle: n.author.handle,
      ...(n.author.displayName ? { name: n.author.displayName } : {}),
      ...(followers.has(n.author.did) ? { followers: followers.get(n.author.did)! } : {}),
    },
    ...(parentHandle ? { parentHandle } : {}),
    seenAt: n.indexedAt,
  });
  await sink.deliver({ post, from: 'customer' });
}
