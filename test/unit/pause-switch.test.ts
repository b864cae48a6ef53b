// The pause switch's pure parts: which scope a request names, which pause
// stops which reply, and the publish path that obeys it.
import { describe, expect, it } from 'vitest';
import { publishUnlessPaused } from '../../src/activities/pause-switch';
import { pauseFor, scopeFrom, scopeKey, type Pause, type PauseScope, type PauseState } from '../../src/shared/controls';

const by = { name: 'lena', role: 'lead', via: 'api' } as const;
const pause = (id: string, scope: PauseScope): Pause => ({ id, scope, key: scopeKey(scope), since: '2026-12-01T10:00:00.000Z', by });

describe('pause scopes', () => {
  it('reads nothing as global, a channel, or an account as <channel>:<handle> (the @ and case do not matter)', () => {
    expect(scopeFrom({})).toEqual({ kind: 'global' });
    expect(scopeFrom({ channel: 'twitter' })).toEqual({ kind: 'channel', channel: 'twitter' });
    expect(scopeFrom({ account: 'twitter:@SprintCare' })).toEqual({ kind: 'account', channel: 'twitter', handle: 'sprintcare' });
    expect(scopeFrom({ account: 'mastodon:sprintcare@social.example' })).toEqual({
      kind: 'account',
      channel: 'mastodon',
      handle: 'sprintcare@social.example',
    });
    expect(scopeKey({ kind: 'account', channel: 'twitter', handle: '@SprintCare' })).toBe('account:twitter:sprintcare');
  });

  it('refuses both at once, a channel with spaces or a colon, and an account without a channel', () => {
    expect(scopeFrom({ channel: 'twitter', account: 'twitter:sprintcare' })).toBe('give a channel or an account, not both');
    expect(scopeFrom({ channel: 'a b' })).toMatch(/^channel:/u);
    expect(scopeFrom({ channel: 'a:b' })).toMatch(/^channel:/u);
    expect(scopeFrom({ account: 'sprintcare' })).toMatch(/^account:/u);
  });

  it('the broadest pause in force stops a reply: global, then its channel, then the account it goes out through', () => {
    const state = (...pauses: Pause[]): PauseState => ({ version: pauses.length, pauses });
    const account = pause('p3', { kind: 'account', channel: 'twitter', handle: 'sprintcare' });
    const channel = pause('p2', { kind: 'channel', channel: 'twitter' });
    const global = pause('p1', { kind: 'global' });
    expect(pauseFor(state(), 'twitter', 'sprintcare')).toBeNull();
    expect(pauseFor(state(account), 'twitter', '@SprintCare')).toBe(account);
    expect(pauseFor(state(account), 'twitter', 'othercare')).toBeNull();
    expect(pauseFor(state(account), 'mastodon', 'sprintcare')).toBeNull();
    expect(pauseFor(state(account), 'twitter', null)).toBeNull();
    expect(pauseFor(state(account, channel), 'twitter', 'sprintcare')).toBe(channel);
    expect(pauseFor(state(account, channel, global), 'twitter', 'sprintcare')).toBe(global);
    expect(pauseFor(state(channel), 'mastodon', null)).toBeNull();
  });
});

describe('publishUnlessPaused (the publishAutomaticReply activity)', () => {
  const packs = {
    current: () => ({
      accounts: [
        { channel: 'twitter', handle: 'sprintcare' },
        { channel: 'twitter', handle: 'sprintcare_2' },
      ],
    }),
  };
  const input = (channel: string, liftedPauses?: string[]) => ({ post: { channel }, ...(liftedPauses ? { liftedPauses } : {}) });

  it('publishes when nothing covers the reply, and answers {paused} without publishing when a pause does', async () => {
    const published: string[] = [];
    let state: PauseState = { version: 0, pauses: [] };
    const publish = publishUnlessPaused({ packs, pauses: { current: async () => state } }, async (i: { post: { channel: string } }) => {
      published.push(i.post.channel);
      return { messageId: 'm' };
    });
    expect(await publish(input('twitter'))).toEqual({ messageId: 'm' });
    const p = pause('p1', { kind: 'account', channel: 'twitter', handle: 'sprintcare' });
    state = { version: 1, pauses: [p] };
    // Each channel publishes through its first account in accounts.yaml.
    expect(await publish(input('twitter'))).toEqual({ paused: p });
    expect(await publish(input('mastodon'))).toEqual({ messageId: 'm' });
    expect(published).toEqual(['twitter', 'mastodon']);
  });

  it('a reply released by a resume is not stopped again by the pause just lifted, only by another', async () => {
    const lifted = pause('p1', { kind: 'global' });
    const other = pause('p2', { kind: 'channel', channel: 'twitter' });
    let state: PauseState = { version: 1, pauses: [lifted] };
    const publish = publishUnlessPaused({ packs, pauses: { current: async () => state } }, async () => ({ messageId: 'm' }));
    expect(await publish(input('twitter', ['p1']))).toEqual({ messageId: 'm' });
    state = { version: 2, pauses: [lifted, other] };
    expect(await publish(input('twitter', ['p1']))).toEqual({ paused: other });
  });

  it('without a pause source (tests, tools) nothing is ever paused', async () => {
    const publish = publishUnlessPaused({ packs }, async () => 'sent');
    expect(await publish(input('twitter'))).toBe('sent');
  });
});
