// Capture without an AppView: the PDS's own firehose
// (com.atproto.sync.subscribeRepos through @atproto/sync). The cursor is the
// firehose sequence number; on reconnect the PDS replays from it, so a gap
// (a worker down, a dropped stream) loses nothing the PDS still holds.
// Commits are read unauthenticated (no signature check): this mode is for a
// PDS we connect to directly, like the sandbox's and the tests'; production
// accounts use `capture: notifications`.
import { Firehose, type Create, type Event, type FirehoseOptions } from '@atproto/sync';
import type { AppBskyFeedPost } from '@atproto/api';
import type { ChannelListener, ListenFrom, ListenSink } from '../listen';
import { parsePostUri, POST_COLLECTION } from './ids';
import { normalizeBlueskyPost, whyHeard } from './normalize';
import type { BlueskySession } from './session';

export function firehoseListener(session: BlueskySession): ChannelListener {
  return {
    async listen(from: ListenFrom, sink: ListenSink, signal: AbortSignal): Promise<void> {
      const brandDid = await session.did();
      const since = Date.parse(from.since);
      // The PDS replays from a cursor; without one (first run), from its oldest
      // event, and posts older than the connection are skipped below.
      let cursor = from.cursor !== undefined ? Number(from.cursor) : 0;
      let current: { seq: number; time: string } | null = null;
      let failure: unknown = null;
      let firehose: Firehose | null = null;

      const handleEvent = async (evt: Event): Promise<void> => {
        if (failure) return;
        if (current && evt.seq !== current.seq) {
          // A commit's writes arrive one by one with one seq: the previous seq is complete.
          cursor = current.seq;
          sink.advance(String(cursor), current.time);
        }
        current = { seq: evt.seq, time: evt.time };
        if (evt.event !== 'create' || evt.collection !== POST_COLLECTION) return;
        try {
          await hear(session, evt, brandDid, since, sink);
        } catch (err) {
          failure = err;
          void firehose?.destroy();
        }
      };
      const options: FirehoseOptions = {
        service: session.account.firehose,
        // Unused: identity events are excluded and commits are not verified.
        idResolver: {} as FirehoseOptions['idResolver'],
        unauthenticatedCommits: true,
        filterCollections: [POST_COLLECTION],
        excludeIdentity: true,
        excludeAccount: true,
        excludeSync: true,
        getCursor: () => (current ? Math.max(cursor, current.seq - 1) : cursor),
        handleEvent,
        onError: (err) => {
          // Subscription errors reconnect by themselves (from the cursor); say so on the status.
          sink.waiting(`firehose: ${err.message}`, 3);
        },
        subscriptionReconnectDelay: 1000,
      };
      firehose = new Firehose(options);
      const stop = () => void firehose?.destroy();
      signal.addEventListener('abort', stop, { once: true });
      const idle = setInterval(() => {
        // Quiet stream: the last seq is complete too.
        if (current && current.seq > cursor) {
          cursor = current.seq;
          sink.advance(String(cursor), current.time);
        }
      }, 1000);
      try {
        await firehose.start();
      } finally {
        clearInterval(idle);
        signal.removeEventListener('abort', stop);
      }
      if (failure) throw failure;
    },
  };
}

async function hear(session: BlueskySession, evt: Create, brandDid: string, since: number, sink: ListenSink): Promise<void> {
  const record = evt.record as unknown as AppBskyFeedPost.Main;
  if (typeof record.text !== 'string' || typeof record.createdAt !== 'string') return;
  const why = whyHeard(record, evt.did, brandDid);
  if (!why || Date.parse(evt.time) < since) return;
  const parentDid = record.reply ? parsePostUri(record.reply.parent.uri)?.did : undefined;
  const handleOf = async (did: string) => (did === brandDid ? session.account.handle : await session.handleOf(did));
  const post = normalizeBlueskyPost({
    ref: { did: evt.did, rkey: evt.rkey },
    record,
    author: { did: evt.did, handle: await handleOf(evt.did) },
    ...(parentDid ? { parentHandle: await handleOf(parentDid) } : {}),
    seenAt: evt.time,
  });
  await sink.deliver({ post, from: why === 'brand-reply' ? 'brand' : 'customer' });
}
