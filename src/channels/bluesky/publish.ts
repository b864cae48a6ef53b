// A reply on Bluesky: a post record in the brand's repo with reply.root and
// reply.parent pointing into the customer's thread, and facets for @mentions
// and links. Idempotent by the platform's own means: the record key is
// derived from the reply's idempotency key and the stored instant of its
// first attempt, so a retry names the same record. The PDS answers a second
// create of an existing key with 500 (not 409), so any failure, and every
// retry, first asks getRecord whether the reply is already there.
import { RichText, type AppBskyFeedPost } from '@atproto/api';
import { ApplicationFailure } from '@temporalio/common';
import type { OutgoingReply, PublishResult } from '../channel';
import { parsePostId, postIdOf, POST_COLLECTION, replyRkey, uriOf } from './ids';
import { whyHeard } from './normalize';
import type { BlueskySession } from './session';

type StrongRef = { uri: string; cid: string };

export async function publishToBluesky(session: BlueskySession, reply: OutgoingReply): Promise<PublishResult> {
  const parentRef = parsePostId(reply.inReplyTo);
  if (!parentRef) {
    throw ApplicationFailure.create({
      type: 'NotABlueskyPost',
      message: `cannot reply on bluesky to "${reply.inReplyTo}": not a Bluesky post id (<did>~<rkey>)`,
      nonRetryable: true,
    });
  }
  const agent = await session.agent();
  const brandDid = await session.did();
  const at = reply.firstAttemptAt ?? Date.now();
  const rkey = replyRkey(reply.idempotencyKey, at);
  const mine = { repo: brandDid, collection: POST_COLLECTION, rkey };
  const messageId = postIdOf({ did: brandDid, rkey });

  const existing = async (): Promise<PublishResult | null> => {
    const got = await agent.com.atproto.repo.getRecord(mine).catch(() => null);
    if (!got) return null;
    const value = got.data.value as Partial<AppBskyFeedPost.Main>;
    if (value.reply?.parent.uri !== uriOf(parentRef)) {
      // Another reply holds this key (a collision of two keys in one millisecond): not ours to claim.
      throw ApplicationFailure.create({
        type: 'RecordKeyTaken',
        message: `bluesky record ${rkey} of ${session.account.handle} already holds another post`,
        nonRetryable: true,
      });
    }
    return { reply: { ...reply, messageId, publishedAt: value.createdAt ?? new Date(at).toISOString() }, duplicate: true };
  };
  if ((reply.attempt ?? 1) > 1) {
    const found = await existing();
    if (found) return found;
  }

  const parent = await fetchPost(session, parentRef);
  const root: StrongRef = (parent.value.reply?.root as StrongRef | undefined) ?? { uri: parent.uri, cid: parent.cid };
  const rt = new RichText({ text: reply.text });
  await rt.detectFacets(agent);
  // A mention whose handle did not resolve has no DID: drop it rather than publish an invalid facet.
  const facets = rt.facets
    ?.map((f) => ({
      ...f,
      features: f.features.filter((x) => !(x.$type === 'app.bsky.richtext.facet#mention' && !(x as { did?: string }).did)),
    }))
    .filter((f) => f.features.length > 0);
  const record: AppBskyFeedPost.Main = {
    $type: 'app.bsky.feed.post',
    text: rt.text,
    createdAt: new Date(at).toISOString(),
    reply: { root, parent: { uri: parent.uri, cid: parent.cid } },
    ...(facets && facets.length > 0 ? { facets } : {}),
  };
  try {
    await agent.com.atproto.repo.createRecord({ ...mine, record });
  } catch (err) {
    const found = await existing();
    if (found) return found;
    throw err;
  }
  return { reply: { ...reply, messageId, publishedAt: record.createdAt }, duplicate: false };
}

/** The post being answered: from the repo that holds it, else through the AppView. */
async function fetchPost(
  session: BlueskySession,
  ref: { did: string; rkey: string },
): Promise<{ uri: string; cid: string; value: AppBskyFeedPost.Main }> {
  const agent = await session.agent();
  try {
    const got = await agent.com.atproto.repo.getRecord({ repo: ref.did, collection: POST_COLLECTION, rkey: ref.rkey });
    if (got.data.cid) return { uri: got.data.uri, cid: got.data.cid, value: got.data.value as AppBskyFeedPost.Main };
  } catch (err) {
    if (session.account.capture !== 'notifications') throw err;
  }
  const posts = await agent.app.bsky.feed.getPosts({ uris: [uriOf(ref)] });
  const p = posts.data.posts[0];
  if (!p) {
    throw ApplicationFailure.create({
      type: 'PostGone',
      message: `the bluesky post ${uriOf(ref)} being answered was not found (deleted?)`,
      nonRetryable: true,
    });
  }
  return { uri: p.uri, cid: p.cid, value: p.record as AppBskyFeedPost.Main };
}

/** Whether the post mentions, replies to or quotes this session's account, or is its own. */
export async function blueskyAddresses(session: BlueskySession, postId: string): Promise<boolean> {
  const ref = parsePostId(postId);
  if (!ref) return false;
  const me = await session.did();
  if (ref.did === me) return true;
  const post = await fetchPost(session, ref);
  return whyHeard(post.value, ref.did, me) !== null;
}
