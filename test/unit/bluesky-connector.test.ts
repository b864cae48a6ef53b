// The pure parts of the Bluesky connector: ids, record keys, which posts are heard, normalization.
import { describe, expect, it } from 'vitest';
import { parsePostId, parsePostUri, postIdOf, replyRkey, tid, uriOf } from '../../src/channels/bluesky/ids';
import { normalizeBlueskyPost, whyHeard } from '../../src/channels/bluesky/normalize';

const BRAND = 'did:plc:brand';
const ALICE = 'did:plc:alice';
const TID_RE = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/u;

describe('Bluesky ids', () => {
  it('a post id is <did>~<rkey>, with no slash, and maps to and from its AT URI', () => {
    const ref = { did: 'did:plc:ab12', rkey: '3lk2m4n5o6p7q' };
    expect(postIdOf(ref)).toBe('did:plc:ab12~3lk2m4n5o6p7q');
    expect(parsePostId(postIdOf(ref))).toEqual(ref);
    expect(parsePostUri(uriOf(ref))).toEqual(ref);
    expect(parsePostId('12345')).toBeNull();
    expect(parsePostUri('at://did:plc:x/app.bsky.feed.like/3k')).toBeNull();
  });

  it('a reply record key is a valid TID, the same for the same key and instant, different for another key', () => {
    const at = Date.parse('2026-12-01T10:00:00Z');
    const a = replyRkey('bluesky:t/p/steps[0].interimReply', at);
    expect(a).toMatch(TID_RE);
    expect(replyRkey('bluesky:t/p/steps[0].interimReply', at)).toBe(a);
    expect(replyRkey('bluesky:t/p/steps[1].escalate/approved', at)).not.toBe(a);
    // TIDs sort by time.
    expect(replyRkey('k', at + 1) > replyRkey('k', at - 1)).toBe(true);
    expect(tid(0, 0)).toBe('2222222222222');
  });
});

describe('what the brand hears on Bluesky', () => {
  const post = (extra: Record<string, unknown> = {}) => ({ text: 'hi', createdAt: '2026-12-01T10:00:00Z', ...extra });
  const mention = (did: string) => ({
    facets: [{ index: { byteStart: 0, byteEnd: 6 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] }],
  });
  const replyTo = (parentDid: string) => ({
    reply: {
      root: { uri: `at://${ALICE}/app.bsky.feed.post/r`, cid: 'c' },
      parent: { uri: `at://${parentDid}/app.bsky.feed.post/p`, cid: 'c' },
    },
  });

  it('a mention, a reply to us, a quote of us; the brand’s own replies; nothing else', () => {
    expect(whyHeard(post(mention(BRAND)), ALICE, BRAND)).toBe('mention');
    expect(whyHeard(post(mention('did:plc:other')), ALICE, BRAND)).toBeNull();
    expect(whyHeard(post(replyTo(BRAND)), ALICE, BRAND)).toBe('reply');
    expect(whyHeard(post(replyTo('did:plc:other')), ALICE, BRAND)).toBeNull();
    expect(
      whyHeard(
        post({ embed: { $type: 'app.bsky.embed.record', record: { uri: `at://${BRAND}/app.bsky.feed.post/q`, cid: 'c' } } }),
        ALICE,
        BRAND,
      ),
    ).toBe('quote');
    expect(whyHeard(post(replyTo(ALICE)), BRAND, BRAND)).toBe('brand-reply');
    expect(whyHeard(post(), BRAND, BRAND)).toBeNull();
  });

  it('normalizes thread, reply author, language, url; a createdAt in the future is not believed', () => {
    const p = normalizeBlueskyPost({
      ref: { did: ALICE, rkey: 'x1' },
      record: { ...post(replyTo(BRAND)), langs: ['de-DE'], createdAt: '2030-01-01T00:00:00Z' },
      author: { did: ALICE, handle: 'alice.test', name: 'Alice', followers: 12 },
      parentHandle: 'brand.test',
      seenAt: '2026-12-01T10:00:05Z',
    });
    expect(p).toEqual({
      channel: 'bluesky',
      id: `${ALICE}~x1`,
      threadId: `${ALICE}~r`,
      inReplyTo: `${BRAND}~p`,
      inReplyToAuthor: 'brand.test',
      direct: false,
      author: { id: ALICE, handle: 'alice.test', name: 'Alice', followers: 12 },
      text: 'hi',
      language: 'de',
      createdAt: '2026-12-01T10:00:05.000Z',
      url: 'https://bsky.app/profile/alice.test/post/x1',
    });
  });
});
