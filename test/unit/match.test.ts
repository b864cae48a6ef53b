import { describe, it, expect } from 'vitest';
import { buildFacts, compileCondition, MatchError, type Facts } from '../../src/policy/engine/match';
import { checkRegex } from '../../src/policy/pack/regex-safety';
import type { Condition } from '../../src/policy/types';
import type { Triage } from '../../src/shared/triage';
import type { Post } from '../../src/shared/post';

const post: Post = {
  channel: 'twitter',
  id: '1',
  direct: false,
  author: { handle: 'jane', name: 'Jane', followers: 12_000 },
  text: '@sprintcare you charged me twice!!',
  language: 'en',
  createdAt: '2026-11-28T22:10:00Z',
};

const triage: Triage = {
  language: 'de',
  addressedToUs: true,
  addressedReason: 'mention',
  relevant: true,
  intent: 'complaint',
  sentiment: { score: -0.6, label: 'negative' },
  reach: 'high',
  risk: ['phishing', 'legal'],
};

const facts = buildFacts(post, triage);
const holds = (cond: Condition, f: Facts = facts): boolean => compileCondition(cond)(f);
const withText = (text: string): Facts => buildFacts({ ...post, text }, triage);

describe('buildFacts', () => {
  it('exposes post and triage fields, triage winning on language', () => {
    expect(facts).toMatchObject({
      channel: 'twitter',
      direct: false,
      author: { handle: 'jane', followers: 12_000 },
      addressedToUs: true,
      intent: 'complaint',
      reach: 'high',
      risk: ['phishing', 'legal'],
      relevant: true,
      language: 'de',
    });
  });

  it('NFC-normalizes the text so decomposed umlauts match', () => {
    const f = withText('Verspa\u0308tung heute');
    expect(f.text).toBe('Verspätung heute');
    expect(holds({ text: { contains: 'verspätung' } }, f)).toBe(true);
  });
});

describe('scalar equality', () => {
  it('compares strings case-insensitively', () => {
    expect(holds({ channel: 'Twitter' })).toBe(true);
    expect(holds({ channel: 'TWITTER' })).toBe(true);
    expect(holds({ channel: 'mastodon' })).toBe(false);
    expect(holds({ intent: 'complaint' }, { intent: 'Complaint' })).toBe(true);
    expect(holds({ city: 'поезд' }, { city: 'ПОЕЗД' })).toBe(true); // no ASCII letter to hint at upper case
    expect(holds({ city: ['köln', 'ärger'] }, { city: 'ÄRGER' })).toBe(true);
    expect(holds({ city: 'ärger' }, { city: 'ARGER' })).toBe(false);
  });

  it('compares booleans and numbers exactly, without coercion', () => {
    expect(holds({ addressedToUs: true })).toBe(true);
    expect(holds({ addressedToUs: false })).toBe(false);
    expect(holds({ direct: false })).toBe(true);
    expect(holds({ 'author.followers': 12_000 })).toBe(true);
    expect(holds({ 'author.followers': 12_001 })).toBe(false);
    expect(holds({ 'author.followers': '12000' })).toBe(false);
    expect(holds({ addressedToUs: 'true' })).toBe(false);
    expect(holds({ direct: 0 })).toBe(false);
  });

  it('supports an explicit equals', () => {
    expect(holds({ reach: { equals: 'HIGH' } })).toBe(true);
    expect(holds({ reach: { equals: 'low' } })).toBe(false);
  });
});

describe('lists ("one of")', () => {
  it('holds when the fact is one of the values', () => {
    expect(holds({ channel: ['mastodon', 'Twitter'] })).toBe(true);
    expect(holds({ channel: ['mastodon', 'facebook'] })).toBe(false);
    expect(holds({ intent: ['question', 'complaint'] })).toBe(true);
    expect(holds({ intent: ['question', 'complaint'] }, { intent: 'COMPLAINT' })).toBe(true);
    expect(holds({ intent: ['question', 'praise'] }, { intent: 'COMPLAINT' })).toBe(false);
  });

  it('works for numbers and booleans', () => {
    expect(holds({ 'author.followers': [1, 12_000] })).toBe(true);
    expect(holds({ 'author.followers': [1, 2] })).toBe(false);
    expect(holds({ direct: [true] })).toBe(false);
    expect(holds({ direct: [true, false] })).toBe(true);
  });
});

describe('numeric comparisons', () => {
  it('below / above / atLeast / atMost', () => {
    expect(holds({ 'author.followers': { atLeast: 12_000 } })).toBe(true);
    expect(holds({ 'author.followers': { atLeast: 12_001 } })).toBe(false);
    expect(holds({ 'author.followers': { above: 12_000 } })).toBe(false);
    expect(holds({ 'author.followers': { above: 11_999 } })).toBe(true);
    expect(holds({ 'author.followers': { atMost: 12_000 } })).toBe(true);
    expect(holds({ 'author.followers': { atMost: 11_999 } })).toBe(false);
    expect(holds({ 'author.followers': { below: 12_000 } })).toBe(false);
    expect(holds({ 'author.followers': { below: 12_001 } })).toBe(true);
  });

  it('requires every key of one matcher object (a range)', () => {
    expect(holds({ 'author.followers': { atLeast: 10_000, below: 20_000 } })).toBe(true);
    expect(holds({ 'author.followers': { atLeast: 10_000, below: 12_000 } })).toBe(false);
    expect(holds({ text: { contains: 'charged', matches: 'twice!!$' } })).toBe(true);
    expect(holds({ text: { contains: 'charged', matches: '^twice' } })).toBe(false);
  });

  it('is false on non-numbers', () => {
    expect(holds({ channel: { above: -1 } })).toBe(false);
    expect(holds({ addressedToUs: { atLeast: 0 } })).toBe(false);
    expect(holds({ n: { atMost: 10 } }, { n: '5' })).toBe(false);
    expect(holds({ n: { below: 10 } }, { n: NaN })).toBe(false);
    expect(holds({ n: { below: 10 } }, { n: 5 })).toBe(true);
  });
});

describe('sentiment: score vs label', () => {
  it('compares the score when the fact is a scored object', () => {
    expect(holds({ sentiment: { below: -0.2 } })).toBe(true);
    expect(holds({ sentiment: { below: -0.7 } })).toBe(false);
    expect(holds({ sentiment: { atLeast: -0.6, atMost: -0.6 } })).toBe(true);
    expect(holds({ sentiment: -0.6 })).toBe(true);
    expect(holds({ sentiment: 0 })).toBe(false);
  });

  it('reads the label by dotted path, or by a string on the object itself', () => {
    expect(holds({ 'sentiment.label': 'negative' })).toBe(true);
    expect(holds({ 'sentiment.label': 'positive' })).toBe(false);
    expect(holds({ sentiment: 'Negative' })).toBe(true);
    expect(holds({ sentiment: ['positive', 'neutral'] })).toBe(false);
    expect(holds({ 'sentiment.score': { below: 0 } })).toBe(true);
  });

  it('does not treat other objects as numbers', () => {
    expect(holds({ author: { above: 0 } })).toBe(false);
    expect(holds({ x: { above: 0 } }, { x: { score: '5' } })).toBe(false);
  });
});

describe('contains', () => {
  const c = (words: string | string[], text: string): boolean => holds({ text: { contains: words } }, withText(text));

  it('matches whole words, case-insensitively', () => {
    expect(c('zug', 'Der Zug ist spät')).toBe(true);
    expect(c('zug', 'Der Zugang ist gesperrt')).toBe(false);
    expect(c('zug', 'Mein Fernzug')).toBe(false);
    expect(c('verspätung', 'VERSPÄTUNG!')).toBe(true);
    expect(c('Verspätung', 'verspätungen überall')).toBe(false);
  });

  it('treats non-ASCII letters as word characters (no \\b pitfalls)', () => {
    expect(c('ng', 'Zugäng')).toBe(false);
    expect(c('über', 'Überweisung')).toBe(false);
    expect(c('über', 'alles über uns')).toBe(true);
    expect(c('straße', 'Hauptstraße')).toBe(false);
    expect(c('поезд', 'Мой ПОЕЗД опоздал')).toBe(true);
  });

  it('treats a hyphen and punctuation as a boundary', () => {
    expect(c('bahn', 'Die S-Bahn kommt nicht')).toBe(true);
    expect(c('bahn', 'Die Bahnfahrt war lang')).toBe(false);
    expect(c('bahn', '(Bahn)')).toBe(true);
    expect(c('bahn', '#bahn')).toBe(true);
    expect(c('bahn', 'bahn2go')).toBe(false);
  });

  it('matches any of a list', () => {
    expect(c(['zug', 'verspätung'], 'Wieder Verspätung.')).toBe(true);
    expect(c(['zug', 'verspätung'], 'Alles pünktlich')).toBe(false);
  });

  it('matches phrases across any run of whitespace', () => {
    expect(c('charged twice', 'you Charged   twice!')).toBe(true);
    expect(c('charged twice', 'charged\n\ttwice')).toBe(true);
    expect(c('charged twice', 'chargedtwice')).toBe(false);
    expect(c('charged twice', 'charged me twice')).toBe(false);
    expect(c('  charged   twice ', 'charged twice')).toBe(true);
  });

  it('takes regex metacharacters in words literally', () => {
    expect(c('c++', 'I love c++ a lot')).toBe(true);
    expect(c('a.b', 'axb')).toBe(false);
    expect(c('s-bahn', 'Die S-Bahn')).toBe(true);
    expect(c('24/7', 'support 24/7?')).toBe(true);
  });
});

describe('matches', () => {
  const m = (source: string, text: string): boolean => holds({ text: { matches: source } }, withText(text));

  it('is a case-insensitive JavaScript regex', () => {
    expect(m('phish|hack(ed|er)', 'I got HACKED')).toBe(true);
    expect(m('phish|hack(ed|er)', 'hacking')).toBe(false);
    expect(m('^@sprintcare', '@SprintCare hi')).toBe(true);
    expect(m('^@sprintcare', 'hi @sprintcare')).toBe(false);
  });

  it('has the unicode flag', () => {
    expect(m('\\p{Lu}{3}', 'ÄÖÜ')).toBe(true);
    expect(m('^.$', '😀')).toBe(true);
    expect(m('^.$', 'ab')).toBe(false);
  });

  it('keeps no state between evaluations', () => {
    const test = compileCondition({ text: { matches: 'twice' } });
    expect([test(facts), test(facts), test(facts)]).toEqual([true, true, true]);
  });
});

describe('array facts', () => {
  it('holds when any element matches a scalar or a list', () => {
    expect(holds({ risk: 'phishing' })).toBe(true);
    expect(holds({ risk: 'LEGAL' })).toBe(true);
    expect(holds({ risk: 'fraud' })).toBe(false);
    expect(holds({ risk: ['fraud', 'legal'] })).toBe(true);
    expect(holds({ risk: ['fraud', 'abuse'] })).toBe(false);
  });

  it('applies matcher objects per element', () => {
    expect(holds({ risk: { matches: '^phish' } })).toBe(true);
    expect(holds({ risk: { contains: 'phish' } })).toBe(false);
    expect(holds({ xs: { above: 5 } }, { xs: [1, 9] })).toBe(true);
    expect(holds({ xs: { above: 5 } }, { xs: [1, 2] })).toBe(false);
  });

  it('never holds on an empty array', () => {
    expect(holds({ risk: 'phishing' }, { risk: [] })).toBe(false);
    expect(holds({ not: { risk: 'phishing' } }, { risk: [] })).toBe(true);
  });
});

describe('missing facts', () => {
  it('satisfy no equality, list or comparison', () => {
    expect(holds({ nope: 'x' })).toBe(false);
    expect(holds({ nope: ['x', 'y'] })).toBe(false);
    expect(holds({ nope: { below: 1e9 } })).toBe(false);
    expect(holds({ nope: { contains: 'x' } })).toBe(false);
    expect(holds({ nope: { matches: '.*' } })).toBe(false);
    expect(holds({ 'author.id': { matches: '' } })).toBe(false);
    expect(holds({ x: false }, { x: null })).toBe(false);
  });

  it('make `not` hold', () => {
    expect(holds({ not: { nope: 'x' } })).toBe(true);
    expect(holds({ not: { 'author.id': { matches: '' } } })).toBe(true);
  });
});

describe('dotted paths', () => {
  it('walk nested objects at any depth', () => {
    expect(holds({ 'author.handle': 'JANE' })).toBe(true);
    expect(holds({ 'author.handle': 'john' })).toBe(false);
    expect(holds({ 'a.b.c': 3 }, { a: { b: { c: 3 } } })).toBe(true);
    expect(holds({ 'a.b.c': 3 }, { a: { b: { c: 4 } } })).toBe(false);
  });

  it('stop at non-objects without throwing', () => {
    expect(holds({ 'channel.length': 7 })).toBe(false);
    expect(holds({ 'a.b.c': 3 }, { a: { b: 3 } })).toBe(false);
    expect(holds({ 'a.b.c': 3 }, { a: null })).toBe(false);
    expect(holds({ 'text.x': 'y' })).toBe(false);
  });
});

describe('any / all / not', () => {
  it('ANDs the keys of a condition object', () => {
    expect(holds({ channel: 'twitter', intent: 'complaint', addressedToUs: true })).toBe(true);
    expect(holds({ channel: 'twitter', intent: 'complaint', addressedToUs: false })).toBe(false);
    expect(holds({})).toBe(true);
  });

  it('any holds when at least one holds', () => {
    expect(holds({ any: [{ intent: 'praise' }, { reach: 'high' }] })).toBe(true);
    expect(holds({ any: [{ intent: 'praise' }, { reach: 'low' }] })).toBe(false);
    expect(holds({ any: [] })).toBe(false);
  });

  it('all holds when every one holds', () => {
    expect(holds({ all: [{ intent: 'complaint' }, { reach: 'high' }] })).toBe(true);
    expect(holds({ all: [{ intent: 'complaint' }, { reach: 'low' }] })).toBe(false);
    expect(holds({ all: [] })).toBe(true);
  });

  it('not negates', () => {
    expect(holds({ not: { intent: 'spam' } })).toBe(true);
    expect(holds({ not: { intent: 'complaint' } })).toBe(false);
    expect(holds({ not: { intent: 'complaint', reach: 'low' } })).toBe(true);
  });

  it('nest, combined with fields', () => {
    const cond: Condition = {
      addressedToUs: true,
      any: [
        { all: [{ intent: 'complaint' }, { sentiment: { below: -0.5 } }] },
        { not: { any: [{ reach: 'low' }, { reach: 'medium' }] }, risk: 'fraud' },
      ],
      not: { text: { contains: 'thanks' } },
    };
    expect(holds(cond)).toBe(true);
    expect(holds(cond, { ...facts, sentiment: { score: -0.1, label: 'neutral' } })).toBe(false);
    expect(holds(cond, { ...facts, sentiment: { score: -0.1, label: 'neutral' }, risk: ['fraud'] })).toBe(true);
    expect(holds(cond, { ...facts, text: 'thanks, you charged me twice' })).toBe(false);
    expect(holds(cond, { ...facts, addressedToUs: false })).toBe(false);
  });

  it('with more than two branches', () => {
    const three = (x: string): Condition => ({ any: [{ k: 'a' }, { k: 'b' }, { k: x }] });
    expect(holds(three('c'), { k: 'c' })).toBe(true);
    expect(holds(three('d'), { k: 'c' })).toBe(false);
    expect(holds({ a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3 })).toBe(true);
    expect(holds({ a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 4 })).toBe(false);
  });
});

describe('compile errors', () => {
  const error = (cond: unknown): MatchError => {
    try {
      compileCondition(cond as Condition);
    } catch (err) {
      if (err instanceof MatchError) return err;
      throw err;
    }
    throw new Error('compiled without error');
  };

  it('reports a bad regex with its path', () => {
    const err = error({ any: [{ intent: 'x' }, { text: { matches: '(unclosed' } }] });
    expect(err.path).toEqual(['any', 1, 'text', 'matches']);
    expect(err.message).toMatch(/^any\[1\]\.text\.matches: Invalid regular expression/);
  });

  it('rejects a catastrophic regex', () => {
    expect(error({ text: { matches: '(a+)+$' } }).detail).toMatch(/catastrophic/);
  });

  it('rejects unknown matcher keys, with a hint for nested fields', () => {
    const err = error({ author: { followers: { atLeast: 1 } } });
    expect(err.path).toEqual(['author', 'followers']);
    expect(err.detail).toMatch(/unknown matcher "followers".*author\.followers/);
  });

  it('rejects wrong shapes', () => {
    expect(error({ any: { intent: 'x' } }).detail).toMatch(/list of conditions/);
    expect(error({ not: [] }).detail).toMatch(/mapping/);
    expect(error({ intent: null }).path).toEqual(['intent']);
    expect(error({ intent: [] }).detail).toMatch(/at least one/);
    expect(error({ intent: {} }).detail).toMatch(/empty matcher/);
    expect(error({ n: { below: '5' } }).path).toEqual(['n', 'below']);
    expect(error({ text: { contains: [] } }).detail).toMatch(/word/);
    expect(error({ text: { contains: ['ok', '  '] } }).path).toEqual(['text', 'contains', 1]);
    expect(error({ 'author..x': 1 }).detail).toMatch(/field path/);
    expect(error({ intent: [{ a: 1 }] }).path).toEqual(['intent', 0]);
  });
});

describe('checkRegex', () => {
  it('accepts ordinary patterns', () => {
    for (const ok of [
      'phish|hack(ed|er)',
      '(foo|bar)+',
      '(https?|ftp)://',
      '(\\d{1,3}\\.){3}\\d{1,3}',
      '[a-zäöü]+',
      '(\\s|,)+',
      '\\p{L}+',
      '\\b\\d+-\\d+\\b',
    ]) {
      expect(checkRegex(ok), ok).toBeNull();
    }
  });

  it('accepts nested or overlapping repetition that nothing after it can make fail (the old heuristic rejected these)', () => {
    for (const ok of ['(a+)+', '(.*)*', '(a|aa)*', '(\\d|\\w)+']) expect(checkRegex(ok), ok).toBeNull();
  });

  it('rejects patterns that do not compile with the matcher flags', () => {
    expect(checkRegex('(')).toMatch(/Invalid regular expression/);
    expect(checkRegex('\\-')).toMatch(/Invalid regular expression/); // only an error with `u`
    expect(checkRegex('\\-', '')).toBeNull();
  });

  it('rejects nested quantifiers, naming the repetition to rewrite', () => {
    for (const bad of ['(a+)+$', '(\\w+\\s?)*$', '(?:x*)+y']) {
      expect(checkRegex(bad), bad).toMatch(
        /^pattern may backtrack catastrophically \(recheck finds exponential time, e\.g\. on .+\): the repetition at "/,
      );
    }
    expect(checkRegex('(a+)+$')).toContain('the repetition at "a" can match the same text in more than one way');
  });

  it('rejects repeated alternatives that overlap', () => {
    for (const bad of ['(a|aa)*$', '(\\d|\\w)+$', '(A|a)+$', '(ä|Ä)*$', '(.|x)+$']) {
      expect(checkRegex(bad), bad).toMatch(/^pattern may backtrack catastrophically \(recheck finds exponential time/);
    }
  });

  it('rejects quadratic patterns too: on a 10,000-character post each costs a tenth of a second or more', () => {
    for (const bad of ['(?=.*a)b', '\\d+-\\d+', '(.*a){20}', '((ab)*c)+']) {
      expect(checkRegex(bad), bad).toMatch(/^pattern may backtrack catastrophically \(recheck finds quadratic time/);
    }
  });
});
