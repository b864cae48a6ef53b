// Capture on Mastodon by polling: mention notifications (mentions, replies
// to us and direct messages all arrive as `mention`), and the account's own
// statuses (replies the brand made in the app). Both page forward with
// min_id from a cursor, oldest first, so a gap of any length is caught up.
// The cursor is `<notification id>:<status id>`. Mentions are polled every
// 3 s, the account's own statuses every 12 s: about 130 requests per 5
// minutes, well below Mastodon's 300 per account, leaving room for replies
// and thread lookups; a 429 waits a minute.
import type { mastodon } from 'masto';
import { pause, type ChannelListener, type ListenFrom, type ListenSink } from '../listen';
import type { MastodonSession } from './client';
import { normalizeStatus } from './normalize';

const POLL_MS = 3000;
const PAGE = 40;
/** The account's own statuses (replies made in the app) are polled every this many rounds. */
const OWN_EVERY = 4;

export function mastodonListener(session: MastodonSession, pollMs = POLL_MS): ChannelListener {
  return {
    async listen(from: ListenFrom, sink: ListenSink, signal: AbortSignal): Promise<void> {
      const me = await session.self();
      const self = { id: me.id, handle: session.account.handle };
      const since = Date.parse(from.since);
      let [notes, own] = (from.cursor ?? ':').split(':') as [string, string];
      const cursor = () => `${notes}:${own}`;
      for (let round = 0; !signal.aborted; round++) {
        try {
          for (const n of await page((minId) => session.rest.v1.notifications.list({ types: ['mention'], limit: PAGE, ...minId }), notes)) {
            if (n.status && Date.parse(n.createdAt) >= since) {
              const post = normalizeStatus(n.status, { self, ...(await rootOf(session, n.status)) });
              await sink.deliver({ post, from: 'customer' });
            }
            notes = n.id;
            sink.advance(cursor(), n.createdAt);
          }
          if (round % OWN_EVERY !== 0) {
            await pause(pollMs, signal);
            continue;
          }
          const mine = await page(
            (minId) => session.rest.v1.accounts.$select(me.id).statuses.list({ limit: PAGE, excludeReblogs: true, ...minId }),
            own,
          );
          for (const s of mine) {
            if (s.inReplyToId && Date.parse(s.createdAt) >= since) {
              const post = normalizeStatus(s, { self, ...(await rootOf(session, s)) });
              await sink.deliver({ post: { ...post, author: { ...post.author, handle: session.account.handle } }, from: 'brand' });
            }
            own = s.id;
            sink.advance(cursor(), s.createdAt);
          }
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 429) throw err;
          sink.waiting('mastodon rate limit (429); retrying in 60 s', 60);
          await pause(60_000, signal);
          continue;
        }
        await pause(pollMs, signal);
      }
    },
  };
}

/** Everything newer than `after` (all pages), oldest first; without `after`, the newest page only. */
async function page<T extends { id: string }>(list: (minId: { minId?: string }) => PromiseLike<T[]>, after: string): Promise<T[]> {
  if (!after) return [...(await list({}))].reverse();
  const out: T[] = [];
  let min = after;
  for (;;) {
    const batch = [...(await list({ minId: min }))];
    if (batch.length === 0) break;
    const ascending = batch.sort((a, b) => compareIds(a.id, b.id));
    out.push(...ascending);
    min = ascending[ascending.length - 1]!.id;
    if (batch.length < PAGE) break;
  }
  return out;
}

/** Mastodon ids are numeric strings of growing length. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

async function rootOf(session: MastodonSession, s: mastodon.v1.Status): Promise<{ rootId?: string }> {
  if (!s.inReplyToId) return {};
  const ctx = await session.rest.v1.statuses.$select(s.id).context.fetch();
  const root = ctx.ancestors[0];
  return root ? { rootId: root.id } : {};
}
