// Language of a post. The platform's own tag wins (Twitter and Mastodon send
// one). Otherwise a vote of English and German function words decides the
// clear cases in microseconds, and ELD (an n-gram detector shipped with its
// database, nothing downloaded) the rest: short, mixed or other-language
// posts. ELD alone would cost about a quarter of the triage budget per post.
import { eld } from 'eld/small';

/** Frequent words that are (almost) only English. */
const EN = new Set(
  "the and is are was were to of you your my me it it's that this with for on have has not be been but just can can't don't i i'm we they what why how when where there no at from our will would should get got please thanks thank they're you're does did doesn't didn't any been than their them".split(
    ' ',
  ),
);
/** Frequent words that are (almost) only German. */
const DE = new Set(
  'der die das und ist nicht ich ein eine einen mit auf für den dem des sich von zu es wir ihr sie auch noch schon nur wie bei aus wird sind hat haben kann mein meine mir mich dass daß oder aber wenn wieder heute jetzt kein keine bitte danke über nach zum zur im vom am bin bist seid wurde werden doch mal ja nein sehr diese dieser warum wann immer euch eure unser habe gibt'.split(
    ' ',
  ),
);

export interface LanguageGuess {
  language: string;
  /** How it was decided, for the triage signals. */
  source: 'post' | 'function-words' | 'eld' | 'none';
}

const MAX_DETECT_CHARS = 400;

/** `de-DE` → `de`; anything that is not a language tag → undefined. */
export function normalizeLanguageTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const m = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/iu.exec(tag.trim());
  if (!m || m[1]!.toLowerCase() === 'und') return undefined;
  return m[1]!.toLowerCase();
}

/** English vs German function words among `lowerTokens`. */
export function functionWordVote(lowerTokens: readonly string[]): { en: number; de: number } {
  let en = 0;
  let de = 0;
  for (const t of lowerTokens) {
    if (EN.has(t)) en++;
    else if (DE.has(t)) de++;
  }
  return { en, de };
}

/**
 * `hint` is the post's own `language`; `text` its text without links and
 * handles; `lowerTokens` its tokens.
 */
export function detectLanguage(hint: string | undefined, text: string, lowerTokens: readonly string[]): LanguageGuess {
  const tagged = normalizeLanguageTag(hint);
  if (tagged) return { language: tagged, source: 'post' };
  const { en, de } = functionWordVote(lowerTokens);
  const top = Math.max(en, de);
  if (top >= 2 && top >= 2 * Math.min(en, de) + 1) return { language: en > de ? 'en' : 'de', source: 'function-words' };
  const result = text.trim() === '' ? null : eld.detect(text.slice(0, MAX_DETECT_CHARS));
  const detected = result?.language ?? '';
  // Too little text to be sure ("hi" reads as Catalan): keep only the languages we mostly see.
  if (detected && (result?.isReliable() || detected === 'en' || detected === 'de')) return { language: detected, source: 'eld' };
  if (top > 0 && en !== de) return { language: en > de ? 'en' : 'de', source: 'function-words' };
  return { language: 'und', source: 'none' };
}
