// Capture through the AppView's listNotifications: pages back to the cursor,
// delivers oldest first, moves the cursor past each captured post, waits out
// a 429, and without a cursor answers nothing older than the connection.
import { describe, expect, it } from 'vitest';
import { XRPCError } from '@atproto/api';
import { notificationsListener } from '../../src/channels/bluesky/notifications';
import type { BlueskySession } from '../../src/channels/bluesky/session';
import type { Heard, ListenSink } from '../../src/channels/listen';

const BRAND = 'did:plc:brand';

function note(n: number, reason = 'mention') {
  return {
    uri: `at://did:plc:u${n}/app.bsky.feed.post/p${n}`,
    cid: `c${n}`,
    reason,
    author: { did: `did:plc:u${n}`, handle: `u${n}.test`, displayName: `User ${n}` },
    record: { $type: 'app.bsky.feed.post', text: `@brand.test post ${n}`, createdAt: `2026-12-01T10:00:0${n}Z` },
    isRead: false,
    indexedAt: `2026-12-01T10:00:0${n}.500Z`,
  };
}

/** A session whose AppView holds `all` (oldest first) and serves them newest first, two per page. */
function fakeSession(all: ReturnType<typeof note>[], opts: { rateLimitOnce?: boolean } = {}) {
  let limited = opts.rateLimitOnce ?? false;
  const calls: Array<string | undefined> = [];
  const agent = {
    app: {
      bsky: {
        notification: {
          listNotifications: async (p: { cursor?: string }) => {
            calls.push(p.cursor);
            if (limited) {
              limited = false;
              throw new XRPCError(429, 'RateLimitExceeded', 'slow down', { 'retry-after': '0' });
            }
            const newest = [...all].reverse();
            const start = p.cursor ? Number(p.cursor) : 0;
            const page = newest.slice(start, start + 2);
            return { data: { notifications: page, ...(start + 2 < newest.length ? { cursor: String(start + 2) } : {}) } };
          },
        },
        actor: {
          getProfiles: async (p: { actors: string[] }) => ({
            data: { profiles: p.actors.map((did) => ({ did, handle: 'x', followersCount: 42 })) },
          }),
        },
      },
    },
  };
  const session = {
    account: { id: 'bluesky', handle: 'brand.test', capture: 'notifications' },
    agent: async () => agent,
    did: async () => BRAND,
    handleOf: async () => undefined,
  } as unknown as BlueskySession;
  return { session, calls };
}

async function listenOnce(session: BlueskySession, cursor: string | undefined, since: string) {
  const heard: Heard[] = [];
  const cursors: string[] = [];
  const waits: string[] = [];
  const stop = new AbortController();
  const sink: ListenSink = {
    deliver: async (h) => {
      heard.push(h);
    },
    advance: (c) => cursors.push(c),
    waiting: (reason) => waits.push(reason),
  };
  const run = notificationsListener(session, 10).listen({ cursor, since }, sink, stop.signal);
  await new Promise((r) => setTimeout(r, 100));
  stop.abort();
  await run;
  return { heard, cursors, waits };
}

describe('Bluesky capture through listNotifications', () => {
  it('pages back to the cursor and delivers what is newer, oldest first, with followers', async () => {
    const all = [1, 2, 3, 4, 5].map((n) => note(n));
    const { session } = fakeSession(all);
    const cursor = `${all[1]!.indexedAt} ${all[1]!.uri}`;
    const { heard, cursors } = await listenOnce(session, cursor, '2026-01-01T00:00:00Z');
    expect(heard.map((h) => h.post.text)).toEqual(['@brand.test post 3', '@brand.test post 4', '@brand.test post 5']);
    expect(heard[0]!.post).toMatchObject({
      channel: 'bluesky',
      id: 'did:plc:u3~p3',
      author: { handle: 'u3.test', name: 'User 3', followers: 42 },
    });
    expect(cursors.at(-1)).toBe(`${all[4]!.indexedAt} ${all[4]!.uri}`);
  });

  it('without a cursor, nothing older than the connection is answered', async () => {
    const all = [1, 2, 3].map((n) => note(n));
    const { session } = fakeSession(all);
    const { heard } = await listenOnce(session, undefined, '2026-12-01T10:00:02Z');
    expect(heard.map((h) => h.post.id)).toEqual(['did:plc:u2~p2', 'did:plc:u3~p3']);
  });

  it('a 429 is waited out (Retry-After) and shown, then listening goes on', async () => {
    const { session } = fakeSession([note(1)], { rateLimitOnce: true });
    const { heard, waits } = await listenOnce(session, undefined, '2026-01-01T00:00:00Z');
    expect(waits).toEqual(['bluesky rate limit (429); retrying in 0 s']);
    expect(heard).toHaveLength(1);
  });
});
