// Relevant: the post is about us — it names one of our handles (on any
// channel) or one of the brand's names. Matching is word- and compound-aware,
// because German glues words together:
//
//   "Bahn", "bahn", "Bahn's", "Bahnen"     the word itself, inflected       yes
//   "S-Bahn", "Bahn-Chef", "DB-Lounge"     a part of a hyphenated compound   yes
//   "Bahnfahrt", "Bahnhof", "Hauptbahnhof" the name as a compound's modifier yes  (a Bahn journey, a Bahn station)
//   "SBahn"                                a one-letter modifier before it   yes  (S-Bahn written without hyphen)
//   "Autobahn", "Laufbahn", "Achterbahn"   the name as the compound's head   no   (a motorway, a career, a roller coaster:
//                                                                                   the head names a different thing)
//   "Bahnhofstraße", "Bahnhofsplatz"       a street or square name            no   (an address, not the railway)
//   "bahnbrechend", "Sprinting"            a derived adjective or verb form   no
//
// Closed compounds are read only in posts not detected as English, and only
// for names of four letters or more ("DB" matches as a word or a hyphenated
// part, never inside "Feedback"). Multi-word names match across a space,
// hyphen or nothing ("Deutsche Bahn", "Deutsche-Bahn", "#DeutscheBahn") and
// with German inflection ("der Deutschen Bahn").
import type { AccountSpec } from '../policy/types';
import type { BrandTopic } from './context';
import { escapeRegex } from '../util/escape-regex';

export type BrandHitKind = 'handle' | 'name' | 'phrase' | 'hyphen' | 'compound';

export interface BrandHit {
  kind: BrandHitKind;
  /** The word as written in the post. */
  term: string;
}

/** Inflection endings after a name: "Bahnen", "Sprint's", "Deutschen". */
const INFLECTION = new Set(['s', "'s", '’s', 'e', 'en', 'n', 'es', 'er', 'em', 'ern']);
/** Rests after the name that make an adjective or a verb form, not a compound: bahnbrechend, sprinting, sprinted. */
const DERIVATION_RE =
  /^(?:ing|ings|ed|ers?|y|ly|t|te|ten|st|et|end(?:e[mnrs]?)?|lich\w*|ig\w{0,2}|isch\w{0,2}|bar\w{0,2}|los\w{0,2}|haft\w{0,2}|brech\w*)$/u;
/** Compounds naming a street or a square are addresses. */
const STREET_RE = /(?:straße|strasse|str|weg|gasse|allee|platz|ring|damm|ufer|chaussee)$/u;

const WORD_RE = /[#@]?[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-_][\p{L}\p{M}\p{N}]+)*-?/gu;

interface CompiledBrand {
  handles: Set<string>;
  singles: string[];
  phrase: RegExp | null;
}

const cache = new WeakMap<readonly string[], WeakMap<readonly AccountSpec[], CompiledBrand>>();

function compileBrand(names: readonly string[], accounts: readonly AccountSpec[]): CompiledBrand {
  let byAccounts = cache.get(names);
  if (!byAccounts) cache.set(names, (byAccounts = new WeakMap()));
  const hit = byAccounts.get(accounts);
  if (hit) return hit;
  const handles = new Set(accounts.map((a) => a.handle.replace(/^@/u, '').split('@')[0]!.toLowerCase()));
  const singles: string[] = [];
  const phrases: string[] = [];
  for (const name of names) {
    const words = name
      .trim()
      .toLowerCase()
      .split(/[\s\-_]+/u)
      .filter(Boolean);
    if (words.length === 1) singles.push(words[0]!);
    else if (words.length > 1) phrases.push(words.map((w) => `${escapeRegex(w)}(?:e|en|er|es|em|n|s|'s|’s)?`).join('[\\s\\-_]*'));
  }
  const phrase = phrases.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : null;
  const compiled = { handles, singles, phrase };
  byAccounts.set(accounts, compiled);
  return compiled;
}

/** How a single-word name occurs in `word` (lower case, no # or @), if it does. */
export function singleNameIn(word: string, name: string, compounds: boolean): BrandHitKind | null {
  if (word === name) return 'name';
  if (word.startsWith(name) && INFLECTION.has(word.slice(name.length))) return 'name';
  if (!word.includes(name)) return null;
  const parts = word.split(/[-_]/u);
  if (parts.length > 1) {
    for (const p of parts) if (p === name || (p.startsWith(name) && INFLECTION.has(p.slice(name.length)))) return 'hyphen';
  }
  if (!compounds || name.length < 4 || !/^\p{L}+$/u.test(name)) return null;
  for (const p of parts) {
    for (let i = p.indexOf(name); i >= 0; i = p.indexOf(name, i + 1)) {
      const rest = p.slice(i + name.length);
      if (rest === '') {
        if (i === 1) return 'compound';
        continue;
      }
      if (rest.length >= 3 && !INFLECTION.has(rest) && !DERIVATION_RE.test(rest) && !STREET_RE.test(rest)) return 'compound';
    }
  }
  return null;
}

function compileTopic(terms: readonly string[] | undefined): RegExp | null {
  const parts = (terms ?? [])
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
    .map((t) => (t.endsWith('*') ? `${escapeRegex(t.slice(0, -1))}[\\p{L}\\p{N}]*` : escapeRegex(t)));
  return parts.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

const topicCache = new WeakMap<BrandTopic, { include: RegExp | null; exclude: RegExp | null }>();

function topicRes(topic: BrandTopic): { include: RegExp | null; exclude: RegExp | null } {
  let res = topicCache.get(topic);
  if (!res) topicCache.set(topic, (res = { include: compileTopic(topic.include), exclude: compileTopic(topic.exclude) }));
  return res;
}

export interface BrandOptions {
  brandNames: readonly string[];
  accounts: readonly AccountSpec[];
  topic?: BrandTopic;
  /** Read closed German compounds (off for English posts). */
  compounds: boolean;
}

/**
 * The first brand reference in `text` (links already removed). A handle or
 * a multi-word name always counts; a single-word name is weighed against
 * the listening terms (exclude / include) of the post's language when there are any.
 */
export function brandHit(text: string, opts: BrandOptions): BrandHit | null {
  const brand = compileBrand(opts.brandNames, opts.accounts);
  const lower = text.toLowerCase();
  let weak: BrandHit | null = null;
  // Most posts name none of them: skip the word loop.
  if (brand.singles.some((n) => lower.includes(n)) || [...brand.handles].some((h) => lower.includes(h))) {
    for (const m of lower.matchAll(WORD_RE)) {
      const raw = m[0].replace(/-$/u, '');
      const word = raw.replace(/^[#@]/u, '');
      if (brand.handles.has(word)) return { kind: 'handle', term: text.slice(m.index, m.index + raw.length) };
      if (weak) continue;
      for (const name of brand.singles) {
        const kind = singleNameIn(word, name, opts.compounds);
        if (kind) {
          weak = { kind, term: text.slice(m.index, m.index + raw.length) };
          break;
        }
      }
    }
  }
  const phrase = brand.phrase?.exec(text);
  if (phrase) return { kind: 'phrase', term: phrase[0] };
  if (!weak || !opts.topic) return weak;
  const { include, exclude } = topicRes(opts.topic);
  if (exclude?.test(lower) && !include?.test(lower)) return null;
  return weak;
}
