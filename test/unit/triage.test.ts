import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/shared/post';
import { mentionedHandles } from '../../src/triage/addressing';
import { triagePost } from '../../src/triage/triage';

const ctx = {
  accounts: [
    { channel: 'twitter', handle: 'sprintcare' },
    { channel: 'mastodon', handle: 'hearken@social.example' },
  ],
  brandNames: ['Sprint', 'Deutsche Bahn'],
};
const post = (text: string, extra: Partial<Post> = {}): Post => ({
  channel: 'twitter',
  id: '1',
  author: { id: 'a' },
  text,
  createdAt: '2026-11-22T10:00:00Z',
  ...extra,
});

describe('addressed to us', () => {
  it('a direct message is addressed to us', () => {
    expect(triagePost(post('hello', { direct: true }), ctx)).toMatchObject({ addressedToUs: true, addressedReason: 'direct' });
  });
  it('a reply to our post is addressed to us, whatever the case of the handle', () => {
    expect(triagePost(post('and now?', { inReplyToAuthor: 'SprintCare' }), ctx).addressedReason).toBe('reply-to-us');
  });
  it('an @mention of our handle is addressed to us', () => {
    expect(triagePost(post('@sprintcare help'), ctx).addressedReason).toBe('mention');
  });
  it('a mention on another channel does not count', () => {
    expect(triagePost(post('@sprintcare help', { channel: 'mastodon' }), ctx).addressedToUs).toBe(false);
  });
  it('a Mastodon handle with a host is matched whole', () => {
    expect(triagePost(post('@hearken@social.example hi', { channel: 'mastodon' }), ctx).addressedReason).toBe('mention');
  });
  it('an @handle inside a URL is not a mention', () => {
    expect(mentionedHandles('see https://example.invalid/@sprintcare/status/1')).toEqual([]);
    expect(triagePost(post('see https://example.invalid/@sprintcare/status/1'), ctx).addressedToUs).toBe(false);
  });
  it('an e-mail address is not a mention', () => {
    expect(mentionedHandles('write to help@sprintcare.com')).toEqual([]);
  });
  it('talking about the brand makes a post relevant but not addressed', () => {
    expect(triagePost(post('Sprint coverage is bad here'), ctx)).toMatchObject({ addressedToUs: false, relevant: true });
    expect(triagePost(post('Sprinting is fun'), ctx).relevant).toBe(false);
  });
});

describe('intent, sentiment, reach', () => {
  it('spots security reports before complaints', () => {
    expect(triagePost(post('@sprintcare my account was hacked and I was charged twice'), ctx).intent).toBe('security');
  });
  it('a question with or without a question mark', () => {
    expect(triagePost(post('@sprintcare how do I reset my voicemail'), ctx).intent).toBe('question');
    expect(triagePost(post('@sprintcare is the outage over?'), ctx).intent).toBe('question');
    expect(triagePost(post('@sprintcare is the outage over? this is the third time this week, unacceptable'), ctx).intent).toBe(
      'complaint',
    );
  });
  it('reach follows the follower thresholds', () => {
    expect(triagePost(post('hi', { author: { id: 'a', followers: 50_000 } }), ctx).reach).toBe('high');
    expect(triagePost(post('hi', { author: { id: 'a', followers: 2_000 } }), ctx).reach).toBe('medium');
    expect(triagePost(post('hi'), ctx).reach).toBe('low');
  });
  it('negative words make a negative score, and more of them a lower one', () => {
    const one = triagePost(post('the service was bad'), ctx).sentiment;
    const two = triagePost(post('worst service ever, terrible'), ctx).sentiment;
    expect(one.label).toBe('negative');
    expect(two.label).toBe('negative');
    expect(two.score).toBeLessThan(one.score);
    expect(two.score).toBeGreaterThanOrEqual(-1);
  });
  it('explains itself in signals', () => {
    expect(triagePost(post('@sprintcare still waiting for my refund'), ctx).signals).toEqual(
      expect.arrayContaining(['addressed:mention @sprintcare', 'language:en by function-words', 'intent:complaint "still waiting"']),
    );
  });
});
