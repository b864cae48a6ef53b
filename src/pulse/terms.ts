// The words and hashtags of a post, as the pulse counts them. Handles and
// links are dropped (they name people and places, not topics); each word
// counts once per post, so one ranting post does not make a trend.
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
const HANDLE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.@-]+/gu;
const HASHTAG = /(?:^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]{2,60})/gu;
const WORD = /[\p{L}][\p{L}\p{M}'’-]{2,39}/gu;

// Function words of English and German (the languages triage knows) that
// would otherwise top every minute.
const STOP = new Set(
  (
    'the and for are but not you your yours our ours we they them their this that these those with from have has had was were will would ' +
    'can could should just what when where who why how all any some out about into over than then there here its it’s i’m im dont don’t ' +
    'yes yeah thanks thank please via ' +
    "don't can't cant won't isn't didn't doesn't been being also very really get got one only still now again more most much even back " +
    'der die das und ist nicht ein eine einen einem einer mit von für auf den dem des sich auch als noch nach bei aus wie wir ihr sie ' +
    'ich du er es sind war hat haben wird werden kann schon mal nur aber oder wenn dann dass bitte heute immer mehr'
  ).split(' '),
);

export interface PostTerms {
  terms: string[];
  hashtags: string[];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** `exclude`: words never counted (the brand's own names: they are in every post and name no topic). */
export function termsOf(text: string, exclude: ReadonlySet<string> = new Set()): PostTerms {
  const clean = text
    .normalize('NFC')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? ' ')
    .replace(URL, ' ');
  const hashtags = new Set<string>();
  for (const m of clean.matchAll(HASHTAG)) hashtags.add(m[1]!.toLowerCase());
  const words = new Set<string>();
  const bare = clean.replace(HANDLE, ' ').replace(/#[\p{L}\p{N}_]+/gu, ' ');
  for (const m of bare.matchAll(WORD)) {
    const w = m[0].toLowerCase().replace(/['’-]+$/u, '');
    if (w.length >= 3 && !STOP.has(w) && !exclude.has(w)) words.add(w);
  }
  return { terms: [...words], hashtags: [...hashtags] };
}

/** Whether `text` contains one of `topic`'s words or phrases, as whole words, ignoring case. */
export function mentionsTopic(text: string, topic: readonly string[]): boolean {
  if (topic.length === 0) return false;
  const hay = ` ${text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return topic.some((t) => {
    const needle = t
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    return needle.length > 0 && hay.includes(` ${needle} `);
  });
}
