// One pass over a post's text that every other triage module reads: links
// and @handles taken out (so neither is mistaken for words), HTML entities
// decoded (platform exports keep `&amp;`), and a token list for the
// lexicons. Everything here is a plain regex or loop: triage must stay fast
// (thousands of posts per second on one core).

/** A URL with or without a scheme (`https://…`, `www.…`, `bit.ly/…`). */
const URL_RE =
  /\b(?:https?:\/\/|www\.)[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|de|co|ly|io|me|info|biz|xyz|top|click|link|app|gl|gd|to|ru|cn|tk|ml|ga|cf|gq|zip|mov)\/[^\s<>"]*/giu;

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};

/** Soft hyphens and zero-width characters split words invisibly ("Niko­laus"). */
const INVISIBLE_RE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Tokens: emoticons, words (with inner apostrophes and hyphens: don't,
 * S-Bahn), runs of ! or ?, other clause punctuation, single emoji.
 */
const TOKEN_RE =
  /(?:[:;=8][-'^]?[()[\]DPpOo3/\\|*]+(?![\p{L}\p{N}]))|(?:<3)|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-_][\p{L}\p{M}\p{N}]+)*|[!?]+|[.,;:…()]|\p{Extended_Pictographic}/gu;

export interface Prepared {
  /** NFC-normalized original text. */
  raw: string;
  /** Text with URLs replaced by spaces and entities decoded: what mention and cue rules read. */
  clean: string;
  /** `clean` without the leading run of @handles (addressing, not content) and without an `RT @x:` prefix. */
  body: string;
  /** `body` in lower case: what phrase rules read. */
  lower: string;
  urls: string[];
  /** Tokens of `body` as written (case kept, for ALL-CAPS emphasis). */
  tokens: string[];
  /** The same tokens in lower case, with ’ folded to '. */
  lowerTokens: string[];
  /** A retweet (`RT @handle: …`): the author shares someone else's words. */
  retweet: boolean;
}

export function decodeEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(?:amp|lt|gt|quot|apos|nbsp|#39);/gu, (e) => ENTITIES[e] ?? e) : text;
}

export function extractUrls(text: string): string[] {
  return text.match(URL_RE) ?? [];
}

export function withoutUrls(text: string): string {
  return text.replace(URL_RE, ' ');
}

/**
 * Triage reads this much of a post: every social post fits, and a longer
 * text (an article, a forum thread) is judged by its opening, which keeps
 * triage fast on anything a connector delivers.
 */
export const MAX_TRIAGE_CHARS = 3_000;

export function prepare(text: string): Prepared {
  const raw = (text.length > MAX_TRIAGE_CHARS ? text.slice(0, MAX_TRIAGE_CHARS) : text).normalize('NFC');
  const decoded = decodeEntities(raw).replace(INVISIBLE_RE, '');
  const urls = extractUrls(decoded);
  const clean = urls.length > 0 ? withoutUrls(decoded) : decoded;
  const retweet = /^\s*RT\s+@[\p{L}\p{N}_]+:?/u.test(clean);
  const body = clean.replace(/^\s*RT\s+@[\p{L}\p{N}_]+:?/u, ' ').replace(/^(?:\s*[.]?@[\p{L}\p{N}_]+(?:@[\p{L}\p{N}.-]+)?[,:]?)+/u, ' ');
  const lower = body.toLowerCase();
  // Handles left inside the text are names, not words ("@hate_crime" is no insult).
  const tokens = body.replace(/@[\p{L}\p{N}_]+(?:@[\p{L}\p{N}.-]+)?/gu, ' ').match(TOKEN_RE) ?? [];
  const lowerTokens = tokens.map((t) => t.toLowerCase().replace(/’/gu, "'"));
  return { raw, clean, body, lower, urls, tokens, lowerTokens, retweet };
}

/** A word token, as opposed to punctuation, an emoticon or an emoji. */
export function isWord(token: string): boolean {
  const c = token.charCodeAt(0);
  // Fast path for ASCII letters and digits; \p{L} for the rest.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  return /^[\p{L}\p{N}]/u.test(token);
}

/** Clause boundaries stop negation and intensifiers from reaching across. */
export function isClauseBreak(token: string): boolean {
  return (
    token === '.' ||
    token === ',' ||
    token === ';' ||
    token === ':' ||
    token === '…' ||
    token === '(' ||
    token === ')' ||
    token[0] === '!' ||
    token[0] === '?'
  );
}
