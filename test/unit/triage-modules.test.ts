// The triage modules one by one: the rules behind the hard cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/shared/post';
import { mentionedHandles, sameAccount } from '../../src/triage/addressing';
import { readSettings } from '../../src/runtime/config';
import { DEFAULT_REACH, listeningFor } from '../../src/triage/context';
import { detectLanguage, normalizeLanguageTag } from '../../src/triage/language';
import { reachOf } from '../../src/triage/reach';
import { brandHit, singleNameIn } from '../../src/triage/relevance';
import { personalData, suspiciousLink } from '../../src/triage/risk';
import { scoreSentiment } from '../../src/triage/sentiment';
import { prepare } from '../../src/triage/text';
import { triagePost } from '../../src/triage/triage';

const sprint = { accounts: [{ channel: 'twitter', handle: 'sprintcare' }], brandNames: ['Sprint'] };
const post = (text: string, extra: Partial<Post> = {}): Post => ({
  channel: 'twitter',
  id: '1',
  author: { handle: 'jane' },
  text,
  createdAt: '2026-11-22T10:00:00Z',
  ...extra,
});
const score = (text: string, lang = 'en') => scoreSentiment(prepare(text), lang).sentiment.score;

describe('addressing', () => {
  it('finds handles, Mastodon ones with their host, and skips links and e-mail addresses', () => {
    expect(mentionedHandles('@Jane and @bob@social.example, see https://x.example/@carl and mail dan@x.example')).toEqual([
      'jane',
      'bob@social.example',
    ]);
  });
  it('takes the old `.@handle` idiom as a mention', () => {
    expect(mentionedHandles('.@sprintcare why')).toEqual(['sprintcare']);
  });
  it('compares accounts ignoring case and a leading @', () => {
    expect(sameAccount('@SprintCare', 'sprintcare')).toBe(true);
    expect(sameAccount('sprintcare@social.example', 'sprintcare@social.example')).toBe(true);
    expect(sameAccount('sprintcare@other.example', 'sprintcare@social.example')).toBe(false);
  });
});

describe('relevance: brand names in words and compounds', () => {
  it.each([
    ['bahn', 'bahn', 'name'],
    ['bahnen', 'bahn', 'name'],
    ['s-bahn', 'bahn', 'hyphen'],
    ['bahn-chef', 'bahn', 'hyphen'],
    ['db-lounge', 'db', 'hyphen'],
    ['bahnfahrt', 'bahn', 'compound'],
    ['hauptbahnhof', 'bahn', 'compound'],
    ['sbahn', 'bahn', 'compound'],
    ['autobahn', 'bahn', null],
    ['umlaufbahn', 'bahn', null],
    ['bahnhofstraße', 'bahn', null],
    ['bahnbrechend', 'bahn', null],
    ['feedback', 'db', null],
    ['sprinting', 'sprint', null],
  ])('%s with the name %s: %s', (word, name, kind) => {
    expect(singleNameIn(word, name, true)).toBe(kind);
  });
  it('reads closed compounds only when asked to (not in English posts)', () => {
    expect(singleNameIn('bahnfahrt', 'bahn', false)).toBeNull();
  });
  it('listening terms drop a common-word name used in another sense, unless the topic is there too', () => {
    const opts = {
      brandNames: ['Bahn'],
      accounts: [],
      compounds: true,
      topic: { exclude: ['auf der bahn', 'schwimm*'], include: ['zug'] },
    };
    expect(brandHit('Heute 3000 m auf der Bahn geschwommen', opts)).toBeNull();
    expect(brandHit('Auf der Bahn zum Zug gerannt', opts)).not.toBeNull();
    expect(brandHit('Die Bahn ist pünktlich', opts)).toMatchObject({ kind: 'name', term: 'Bahn' });
  });
  it("a post gets the listening terms of `any` and of its own language, as accounts.yaml's brand.listening gives them", () => {
    const listening = { any: { exclude: ['scrum*'] }, de: { include: ['handy'], exclude: ['leichtathlet*'] }, en: { include: ['phone'] } };
    expect(listeningFor(listening, 'de')).toEqual({ include: ['handy'], exclude: ['scrum*', 'leichtathlet*'] });
    expect(listeningFor(listening, 'en')).toEqual({ include: ['phone'], exclude: ['scrum*'] });
    expect(listeningFor(listening, 'fr')).toEqual({ exclude: ['scrum*'] });
    expect(listeningFor({ de: { exclude: ['x'] } }, 'en')).toBeUndefined();
    expect(listeningFor(undefined, 'en')).toBeUndefined();
    // One object per pack and language: the regexes built from it are compiled once.
    expect(listeningFor(listening, 'de')).toBe(listeningFor(listening, 'de'));
    const ctx = { ...sprint, listening };
    expect(triagePost(post('Im Sprint geschlagen, Leichtathletik am Sonntag', { language: 'de' }), ctx).relevant).toBe(false);
    // The German terms do not apply to an English post.
    expect(triagePost(post('Sprint finish at the leichtathletik meeting', { language: 'en' }), ctx).relevant).toBe(true);
    expect(triagePost(post('Our scrum sprint: my Sprint phone died', { language: 'en' }), ctx).relevant).toBe(true);
    expect(triagePost(post('Our scrum sprint ended', { language: 'en' }), ctx).relevant).toBe(false);
  });
  it('our handles make a post relevant on any channel', () => {
    expect(triagePost(post('Schon gesehen, was @sprintcare schreibt?', { channel: 'mastodon' }), sprint)).toMatchObject({
      addressedToUs: false,
      relevant: true,
    });
  });
});

describe('sentiment', () => {
  it('intensifiers raise and dampeners lower the magnitude', () => {
    expect(score('the app is very bad')).toBeLessThan(score('the app is bad'));
    expect(score('the app is slightly bad')).toBeGreaterThan(score('the app is bad'));
    expect(score('Die App ist sehr schlecht', 'de')).toBeLessThan(score('Die App ist schlecht', 'de'));
  });
  it('what follows "but" / "aber" counts more', () => {
    expect(score('nice seats, but the flight was awful')).toBeLessThan(0);
    expect(score('Nette Crew, aber der Zug war eine Katastrophe', 'de')).toBeLessThan(0);
  });
  it('capitals and emoji count', () => {
    expect(score('this is BAD')).toBeLessThan(score('this is bad'));
    expect(score('new phone 😍')).toBeGreaterThan(0);
    expect(score('new phone 😡')).toBeLessThan(0);
  });
  it('German compounds take the valence of their parts', () => {
    expect(score('Zugausfall in Köln', 'de')).toBeLessThan(0);
    expect(score('Bahn-Streik ab Montag', 'de')).toBeLessThan(0);
    expect(score('Der Schaffner war unfreundlich', 'de')).toBeLessThan(0);
  });
  it('stays within -1 … 1 however much is said', () => {
    expect(score('worst worst worst awful terrible horrible disgusting!!!!!!')).toBeGreaterThanOrEqual(-1);
    expect(score('best best best amazing wonderful great love!!!!!!')).toBeLessThanOrEqual(1);
  });
});

describe('risk', () => {
  it.each([
    ['http://user@bank.example/login', 'userinfo'],
    ['http://192.0.2.1/x', 'ip-host'],
    ['https://xn--sprnt-9ua.example/', 'punycode'],
    ['https://free-gift.xyz/', 'risky-tld'],
    ['https://sprint-refund.example/', 'brand-lookalike'],
    ['https://sprintcare.example/login', 'brand-lookalike'],
    ['https://bit.ly/verify-account', 'shortener'],
  ])('%s looks like a trap (%s)', (url, why) => {
    expect(suspiciousLink(url, ['sprint', 'sprintcare'], false)).toBe(why);
  });
  it('an ordinary link is not suspicious, unless the post reports phishing', () => {
    expect(suspiciousLink('https://news.example/article/1', ['sprint'], false)).toBeNull();
    expect(suspiciousLink('https://news.example/article/1', ['sprint'], true)).toBe('security-context');
  });
  it.each([
    ['card 4111 1111 1111 1111 please refund', 'card-number'],
    ['IBAN DE89 3704 0044 0532 0130 00', 'iban'],
    ['ruf an: 0171 2345678', 'phone'],
    ['call (555) 123-4567', 'phone'],
    ['Musterstraße 12, 10115 Berlin', 'address'],
    ['order #A12345 still missing', 'labelled-number'],
    ['my password is hunter2', 'labelled-number'],
  ])('%s shows personal data (%s)', (text, why) => {
    expect(personalData(text)).toBe(why);
  });
  it('a number that fails the Luhn check is not a card; times and prices are nothing', () => {
    expect(personalData('ticket 4111 1111 1111 1112')).toBeNull();
    expect(personalData('train at 10:45, 29.90 EUR, platform 7')).toBeNull();
  });
});

/** $HEARKEN_REACH_THRESHOLDS as the config module reads it. */
const parseReachThresholds = (text: string) => readSettings(['reachThresholds'], { HEARKEN_REACH_THRESHOLDS: text }).reachThresholds;

describe('reach thresholds', () => {
  it('parses "medium,high" and rejects anything else with a sentence', () => {
    expect(parseReachThresholds('500, 5000')).toEqual({ medium: 500, high: 5000 });
    expect(() => parseReachThresholds('5000,500')).toThrow(/HEARKEN_REACH_THRESHOLDS must be two follower counts/);
    expect(() => parseReachThresholds('lots')).toThrow(/"medium,high"/);
  });
  it('follows the thresholds given, at the boundaries', () => {
    const t = { medium: 500, high: 5000 };
    expect([reachOf(499, t), reachOf(500, t), reachOf(4999, t), reachOf(5000, t), reachOf(undefined, t)]).toEqual([
      'low',
      'medium',
      'medium',
      'high',
      'low',
    ]);
    expect(reachOf(10_000, DEFAULT_REACH)).toBe('high');
  });
  it('a context may set its own thresholds', () => {
    expect(
      triagePost(post('hi', { author: { handle: 'a', followers: 600 } }), { ...sprint, reachThresholds: { medium: 500, high: 5000 } })
        .reach,
    ).toBe('medium');
  });
});

describe('language', () => {
  it('normalizes the post tag', () => {
    expect(normalizeLanguageTag('de-DE')).toBe('de');
    expect(normalizeLanguageTag('und')).toBeUndefined();
    expect(normalizeLanguageTag('not a tag')).toBeUndefined();
  });
  it('detects other languages with ELD and says und for no text', () => {
    const fr = prepare('Le train est encore en retard ce matin, quelle catastrophe');
    expect(detectLanguage(undefined, fr.body, fr.lowerTokens)).toMatchObject({ language: 'fr', source: 'eld' });
    expect(detectLanguage(undefined, '  ', [])).toEqual({ language: 'und', source: 'none' });
  });
  it('does not guess an exotic language from one short word', () => {
    expect(detectLanguage(undefined, 'hi', ['hi']).language).toBe('und');
    expect(detectLanguage(undefined, 'Danke', ['danke']).language).toBe('de');
  });
});

describe('determinism', () => {
  it('the same post and context give the same triage', () => {
    const p = post('@sprintcare Der Zug fällt schon wieder aus!! https://bit.ly/x Kundennummer 123456', {
      author: { handle: 'a', followers: 1234 },
    });
    expect(triagePost(p, sprint)).toEqual(triagePost(structuredClone(p), { ...sprint }));
  });
});

describe('any text at all', () => {
  it('triages without throwing, inside the contract', () => {
    const intents = ['question', 'complaint', 'praise', 'idea', 'security', 'spam', 'other'];
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.string({ maxLength: 40 }),
        fc.option(fc.nat()),
        (text, extra, followers) => {
          const t = triagePost(
            post(`${text} @${extra} ${extra}`, { author: { handle: 'x', ...(followers === null ? {} : { followers }) } }),
            sprint,
          );
          expect(intents).toContain(t.intent);
          expect(t.sentiment.score).toBeGreaterThanOrEqual(-1);
          expect(t.sentiment.score).toBeLessThanOrEqual(1);
          expect(['negative', 'neutral', 'positive']).toContain(t.sentiment.label);
          expect(t.language).toMatch(/^[a-z]{2,3}$/);
        },
      ),
      { numRuns: 300, seed: 6 },
    );
  });
});
