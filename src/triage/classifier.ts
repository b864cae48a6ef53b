// Hook for a user's own classifier service (a model behind HTTP), off by
// default. When HEARKEN_CLASSIFIER_URL is set, the assessPost activity sends
// the rules' triage there and the service may override intent, sentiment and
// relevance, and add risk flags. Its answer is validated field by field;
// anything malformed, a timeout or an HTTP error keeps the rules' triage and
// says so in `signals`. Called from the activity only (it does I/O): the
// refined triage is then recorded in the workflow history like any activity
// result, so replay never asks the classifier again.
//
//   POST <url>   {"post": {channel, id, text, language?}, "triage": {...rules' triage}}
//   200          {"intent"?: "complaint", "sentiment"?: {"score": -0.7}, "relevant"?: true, "risk"?: ["legal-threat"]}
import type { Post } from '../shared/post';
import type { Triage } from '../shared/triage';
import { lexiconLanguage, THRESHOLDS } from './sentiment';

const INTENTS: ReadonlySet<string> = new Set(['question', 'complaint', 'praise', 'idea', 'security', 'spam', 'other']);
const RISKS: ReadonlySet<string> = new Set(['suspicious-link', 'phishing', 'hijacked-account', 'legal-threat', 'personal-data']);
const LABELS: ReadonlySet<string> = new Set(['negative', 'neutral', 'positive']);

export interface ClassifierAnswer {
  intent?: Triage['intent'];
  sentiment?: { score: number; label?: Triage['sentiment']['label'] };
  relevant?: boolean;
  risk?: string[];
}

export interface ClassifierHook {
  /** A name for signals and logs (the URL's origin). */
  name: string;
  classify(post: Post, triage: Triage): Promise<unknown>;
}

/** $HEARKEN_CLASSIFIER_URL, _TOKEN and _TIMEOUT_MS, as the config module read them. */
export interface HttpClassifierOptions {
  url: string;
  /** Triage must not hold up a response commitment: past this, the rules decide. */
  timeoutMs: number;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
}

export function httpClassifier(opts: HttpClassifierOptions): ClassifierHook {
  const url = new URL(opts.url);
  return {
    name: url.origin,
    async classify(post, triage) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
          body: JSON.stringify({ post: { channel: post.channel, id: post.id, text: post.text, language: post.language }, triage }),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        if (!res.ok) {
          await res.body?.cancel(); // frees the connection for the next post
          throw new Error(`HTTP ${res.status}`);
        }
        return (await res.json()) as unknown;
      } catch (err) {
        // The abort's own message ("The operation was aborted due to timeout") does not say how long we waited.
        if ((err as Error).name === 'TimeoutError') throw new Error(`no answer within ${opts.timeoutMs} ms`);
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause.
        const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        if (code) throw new Error(`${(err as Error).message} (${code})`);
        throw err;
      }
    },
  };
}

/** The hook for $HEARKEN_CLASSIFIER_URL, _TOKEN and _TIMEOUT_MS as the config module read them; null (off) without a URL. */
export function classifierFromSettings(s: {
  classifierUrl?: string;
  classifierToken?: string;
  classifierTimeoutMs: number;
}): ClassifierHook | null {
  return s.classifierUrl ? httpClassifier({ url: s.classifierUrl, token: s.classifierToken, timeoutMs: s.classifierTimeoutMs }) : null;
}

/** The valid fields of a classifier's answer; problems name each field that was ignored. */
export function validateAnswer(raw: unknown): { answer: ClassifierAnswer; problems: string[] } {
  const answer: ClassifierAnswer = {};
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { answer, problems: ['answer is not a JSON object'] };
  const r = raw as Record<string, unknown>;
  if (r.intent !== undefined) {
    if (typeof r.intent === 'string' && INTENTS.has(r.intent)) answer.intent = r.intent as Triage['intent'];
    else problems.push('intent');
  }
  if (r.sentiment !== undefined) {
    const s = r.sentiment as Record<string, unknown> | null;
    const score = s?.score;
    if (
      typeof score === 'number' &&
      score >= -1 &&
      score <= 1 &&
      (s?.label === undefined || (typeof s.label === 'string' && LABELS.has(s.label)))
    ) {
      answer.sentiment = { score, ...(s?.label ? { label: s.label as Triage['sentiment']['label'] } : {}) };
    } else problems.push('sentiment');
  }
  if (r.relevant !== undefined) {
    if (typeof r.relevant === 'boolean') answer.relevant = r.relevant;
    else problems.push('relevant');
  }
  if (r.risk !== undefined) {
    if (Array.isArray(r.risk) && r.risk.every((f) => typeof f === 'string' && RISKS.has(f))) answer.risk = r.risk as string[];
    else problems.push('risk');
  }
  return { answer, problems };
}

/** The rules' triage refined by `hook`; without a hook, the triage unchanged. Never throws. */
export async function refineTriage(post: Post, triage: Triage, hook: ClassifierHook | null): Promise<Triage> {
  if (!hook) return triage;
  const signals = [...(triage.signals ?? [])];
  let raw: unknown;
  try {
    raw = await hook.classify(post, triage);
  } catch (err) {
    signals.push(`classifier:unavailable (${hook.name}: ${(err as Error).message}); rules kept`);
    return { ...triage, signals };
  }
  const { answer, problems } = validateAnswer(raw);
  if (problems.length > 0) signals.push(`classifier:ignored ${problems.join(', ')}`);
  const out: Triage = { ...triage, signals };
  if (answer.intent) out.intent = answer.intent;
  if (answer.sentiment) {
    const t = THRESHOLDS[lexiconLanguage(triage.language)];
    const { score } = answer.sentiment;
    out.sentiment = {
      score,
      label: answer.sentiment.label ?? (score <= t.negative ? 'negative' : score >= t.positive ? 'positive' : 'neutral'),
    };
  }
  if (answer.relevant !== undefined) out.relevant = answer.relevant || triage.addressedToUs;
  if (answer.risk) out.risk = [...new Set([...triage.risk, ...answer.risk])];
  const changed = (['intent', 'sentiment', 'relevant', 'risk'] as const).filter((k) => answer[k] !== undefined);
  signals.push(`classifier:${hook.name} ${changed.length > 0 ? `set ${changed.join(', ')}` : 'kept everything'}`);
  return out;
}
