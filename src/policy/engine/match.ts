// The `when` matcher. Conditions are compiled once, at pack load, into plain
// closures: every regex, set and path is built up front, so evaluating a
// condition against a post allocates nothing. The selector runs every policy
// of the pack against every post, so this is the hot path of triage.

import type { Post } from '../../shared/post';
import type { Condition, Scalar } from '../types';
import type { Triage } from '../../shared/triage';
import { checkRegex, MATCH_FLAGS } from '../pack/regex-safety';
import { escapeRegex } from '../../util/escape-regex';
import { isObject } from '../../util/is-object';

/** What conditions read: the post's fields and the triage's, by dotted path. */
export type Facts = Record<string, unknown>;

export type Predicate = (facts: Facts) => boolean;

/** Where in a `when` block something went wrong, e.g. `['any', 1, 'text', 'matches']`. */
export type ConditionPath = ReadonlyArray<string | number>;

/** A condition that cannot compile: a bad regex, an unknown matcher key, a wrong shape. */
export class MatchError extends Error {
  override readonly name = 'MatchError';

  constructor(
    /** What is wrong, without the location. */
    readonly detail: string,
    /** The location inside the `when` block, for mapping to a YAML line. */
    readonly path: ConditionPath = [],
    readonly policyId?: string,
  ) {
    const where = [policyId && `policy "${policyId}"`, path.length > 0 && formatPath(path)].filter(Boolean);
    super(where.length > 0 ? `${where.join(': ')}: ${detail}` : detail);
  }
}

/** `['any', 1, 'text']` → `any[1].text` */
export function formatPath(path: ConditionPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * The facts for one post: its fields and the triage's, side by side. Triage
 * wins where both have a field (`language`: the detected language is what
 * policies and templates go by). The text is NFC-normalized so `verspätung`
 * written with a combining umlaut still matches; that is done here, once per
 * post, rather than inside every `contains`.
 */
export function buildFacts(post: Post, triage: Triage): Facts {
  return { ...post, text: post.text.normalize('NFC'), ...triage };
}

/** Compiles a `when` block; throws MatchError when it cannot. */
export function compileCondition(cond: Condition, path: ConditionPath = []): Predicate {
  return compileNode(cond, path).test;
}

// ---------------------------------------------------------------------------
// Conditions

interface Compiled<T> {
  test: T;
  /** Rough evaluation cost: AND terms run cheapest first so regexes run last. */
  cost: number;
}

const LOGIC_KEYS = new Set(['any', 'all', 'not']);

function compileNode(cond: unknown, path: ConditionPath): Compiled<Predicate> {
  if (!isObject(cond)) throw new MatchError('expected a mapping of conditions', path);
  const parts = Object.entries(cond).map(([key, value]) => compileTerm(key, value, [...path, key]));
  // The terms are pure, so their order does not change the outcome.
  parts.sort((a, b) => a.cost - b.cost);
  return { test: and(parts.map((p) => p.test)), cost: parts.reduce((sum, p) => sum + p.cost, 0) };
}

function compileTerm(key: string, value: unknown, path: ConditionPath): Compiled<Predicate> {
  if (key === 'not') {
    const inner = compileNode(value, path);
    const test = inner.test;
    return { test: (facts) => !test(facts), cost: inner.cost };
  }
  if (key === 'any' || key === 'all') {
    if (!Array.isArray(value)) throw new MatchError('expected a list of conditions', path);
    const items = value.map((item, i) => compileNode(item, [...path, i]));
    const tests = items.map((p) => p.test);
    const cost = 1 + items.reduce((sum, p) => sum + p.cost, 0);
    return { test: key === 'any' ? or(tests) : and(tests), cost };
  }
  return compileField(key, value, path);
}

/** All of `tests` hold; specialised for the common short lists. */
function and(tests: Predicate[]): Predicate {
  const [a, b] = tests;
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return a!;
  if (tests.length === 2) return (facts) => a!(facts) && b!(facts);
  return (facts) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(facts)) return false;
    return true;
  };
}

/** At least one of `tests` holds (so an empty `any` never does). */
function or(tests: Predicate[]): Predicate {
  const [a, b] = tests;
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return a!;
  if (tests.length === 2) return (facts) => a!(facts) || b!(facts);
  return (facts) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(facts)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------
// Fields

type ValueTest = (value: unknown) => boolean;

function compileField(key: string, matcher: unknown, path: ConditionPath): Compiled<Predicate> {
  const resolve = compilePath(key, path);
  const { test, cost } = compileMatcher(matcher, path);
  return {
    cost,
    test: (facts) => {
      const value = resolve(facts);
      // A missing fact satisfies nothing (so `not` of it holds).
      if (value === undefined || value === null) return false;
      if (Array.isArray(value)) {
        // `risk: phishing` asks whether phishing is among the risks.
        for (let i = 0; i < value.length; i++) if (test(value[i])) return true;
        return false;
      }
      return test(value);
    },
  };
}

/** `author.followers` → a reader that walks the segments without allocating. */
function compilePath(key: string, path: ConditionPath): (facts: Facts) => unknown {
  const segments = key.split('.');
  if (segments.some((s) => s === '')) throw new MatchError(`"${key}" is not a field path`, path);
  const [first, second] = segments as [string, string | undefined];
  if (segments.length === 1) return (facts) => facts[first];
  if (segments.length === 2) {
    return (facts) => {
      const parent = facts[first];
      return typeof parent === 'object' && parent !== null ? (parent as Facts)[second!] : undefined;
    };
  }
  return (facts) => {
    let value: unknown = facts;
    for (let i = 0; i < segments.length; i++) {
      if (typeof value !== 'object' || value === null) return undefined;
      value = (value as Facts)[segments[i]!];
    }
    return value;
  };
}

const MATCHER_KEYS = ['equals', 'below', 'above', 'atLeast', 'atMost', 'contains', 'matches'];

function compileMatcher(matcher: unknown, path: ConditionPath): Compiled<ValueTest> {
  if (isScalar(matcher)) return { test: equalsTest(matcher), cost: 1 };
  if (Array.isArray(matcher)) return { test: oneOfTest(matcher, path), cost: 1 };
  if (!isObject(matcher)) throw new MatchError('expected a value, a list of values or a matcher', path);

  const parts: Array<Compiled<ValueTest>> = [];
  for (const [op, arg] of Object.entries(matcher)) {
    const at = [...path, op];
    switch (op) {
      case 'equals':
        if (!isScalar(arg)) throw new MatchError('expected a string, number or boolean', at);
        parts.push({ test: equalsTest(arg), cost: 1 });
        break;
      case 'below':
      case 'above':
      case 'atLeast':
      case 'atMost':
        parts.push({ test: compareTest(op, arg, at), cost: 1 });
        break;
      case 'contains':
        parts.push({ test: containsTest(arg, at), cost: 10 });
        break;
      case 'matches':
        parts.push({ test: matchesTest(arg, at), cost: 10 });
        break;
      default: {
        const hint = LOGIC_KEYS.has(op) ? '' : ` (for a nested field write "${String(path.at(-1))}.${op}")`;
        throw new MatchError(`unknown matcher "${op}"; expected one of ${MATCHER_KEYS.join(', ')}${hint}`, at);
      }
    }
  }
  if (parts.length === 0) throw new MatchError(`empty matcher; expected one of ${MATCHER_KEYS.join(', ')}`, path);
  parts.sort((a, b) => a.cost - b.cost);
  const tests = parts.map((p) => p.test);
  const [a, b] = tests;
  const test: ValueTest =
    tests.length === 1
      ? a!
      : tests.length === 2
        ? (v) => a!(v) && b!(v)
        : (v) => {
            for (let i = 0; i < tests.length; i++) if (!tests[i]!(v)) return false;
            return true;
          };
  return { test, cost: parts.reduce((sum, p) => sum + p.cost, 0) };
}

// A "scored" fact is an object with a numeric `score` (the triage's
// sentiment): numbers compare with its score and strings with its `label`,
// so `sentiment: { below: -0.2 }` and `sentiment: negative` both read well.

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null) {
    const score = (value as { score?: unknown }).score;
    if (typeof score === 'number') return score;
  }
  return NaN; // every comparison with NaN is false
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const { score, label } = value as { score?: unknown; label?: unknown };
    if (typeof score === 'number' && typeof label === 'string') return label;
  }
  return undefined;
}

function equalsTest(expected: Scalar): ValueTest {
  if (typeof expected === 'number') return (v) => numberOf(v) === expected;
  if (typeof expected === 'boolean') return (v) => v === expected;
  const lower = expected.toLowerCase();
  return (v) => {
    const s = stringOf(v);
    return s !== undefined && (s === lower || (mayChangeCase(s) && s.toLowerCase() === lower));
  };
}

/**
 * False when `s` is plain lower-case ASCII, so toLowerCase() would return it
 * unchanged. Facts like `intent` and `channel` almost always are; checking
 * first keeps the hot path free of the string toLowerCase() would allocate.
 */
function mayChangeCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}

function oneOfTest(list: unknown[], path: ConditionPath): ValueTest {
  if (list.length === 0) throw new MatchError('expected at least one value', path);
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const booleans = new Set<boolean>();
  list.forEach((item, i) => {
    if (typeof item === 'string') strings.add(item.toLowerCase());
    else if (typeof item === 'number' && !Number.isNaN(item))
      numbers.add(item); // Set.has(NaN) would be true
    else if (typeof item === 'boolean') booleans.add(item);
    else throw new MatchError('expected a string, number or boolean', [...path, i]);
  });
  return (v) => {
    if (typeof v === 'boolean') return booleans.has(v);
    const s = stringOf(v);
    if (s !== undefined && (strings.has(s) || (mayChangeCase(s) && strings.has(s.toLowerCase())))) return true;
    return numbers.size > 0 && numbers.has(numberOf(v));
  };
}

function compareTest(op: 'below' | 'above' | 'atLeast' | 'atMost', limit: unknown, path: ConditionPath): ValueTest {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) throw new MatchError('expected a number', path);
  switch (op) {
    case 'below':
      return (v) => numberOf(v) < limit;
    case 'above':
      return (v) => numberOf(v) > limit;
    case 'atLeast':
      return (v) => numberOf(v) >= limit;
    case 'atMost':
      return (v) => numberOf(v) <= limit;
  }
}

// Letters, digits and combining marks make up words; anything else (spaces,
// punctuation, the hyphen in "S-Bahn") is a boundary. `\b` knows only ASCII
// word characters, so it would find "zug" inside "Zugäng" after the "ä".
const WORD = '[\\p{L}\\p{N}\\p{M}]';

/** Whole words or phrases, any of them; a phrase's words may be split by any run of whitespace. */
function containsTest(arg: unknown, path: ConditionPath): ValueTest {
  const terms = typeof arg === 'string' ? [arg] : arg;
  if (!Array.isArray(terms) || terms.length === 0) throw new MatchError('expected a word or a list of words', path);
  const alternatives = terms.map((term: unknown, i) => {
    const words = typeof term === 'string' ? term.normalize('NFC').trim().split(/\s+/u) : [];
    if (words[0] === undefined || words[0] === '') {
      throw new MatchError('expected a non-empty word or phrase', typeof arg === 'string' ? path : [...path, i]);
    }
    return words.map(escapeRegex).join('\\s+');
  });
  const re = new RegExp(`(?<!${WORD})(?:${alternatives.join('|')})(?!${WORD})`, MATCH_FLAGS);
  return (v) => {
    const s = stringOf(v);
    return s !== undefined && re.test(s);
  };
}

function matchesTest(source: unknown, path: ConditionPath): ValueTest {
  if (typeof source !== 'string') throw new MatchError('expected a regular expression (a string)', path);
  const problem = checkRegex(source, MATCH_FLAGS);
  if (problem) throw new MatchError(problem, path);
  // No `g` or `y` flag: test() then keeps no state between posts.
  const re = new RegExp(source, MATCH_FLAGS);
  return (v) => {
    const s = stringOf(v);
    return s !== undefined && re.test(s);
  };
}

// ---------------------------------------------------------------------------

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
