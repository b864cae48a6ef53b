// First-cut triage: deterministic rules over the post and the pack's accounts.
// It runs in an activity (never in workflow code); issue 6 replaces the
// intent and sentiment rules with lexicon-based ones measured on real data.
import type { Post } from '../domain/post';
import type { AccountSpec, Triage } from '../policy/types';

export interface TriageContext {
  accounts: AccountSpec[];
  brandNames: string[];
  /** Follower counts at which reach becomes medium / high. */
  reachThresholds?: { medium: number; high: number };
}

const DEFAULT_REACH = { medium: 1_000, high: 10_000 };

/** Strip URLs first so an @handle inside a link is not taken for a mention. */
function withoutUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/\S+/giu, ' ');
}

export function mentionedHandles(text: string): string[] {
  const handles: string[] = [];
  // Handles: letters, digits, _ . - and a Mastodon-style @host part.
  for (const m of withoutUrls(text).matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}_][\p{L}\p{N}_.-]*(?:@[\p{L}\p{N}.-]+)?)/gu)) {
    handles.push(m[1]!.replace(/[.-]+$/u, '').toLowerCase());
  }
  return handles;
}

function ourHandles(ctx: TriageContext, channel: string): Set<string> {
  return new Set(
    ctx.accounts.filter((a) => a.channel === channel).map((a) => a.handle.replace(/^@/u, '').toLowerCase()),
  );
}

export function addressedToUs(post: Post, ctx: TriageContext): Triage['addressedReason'] {
  if (post.direct) return 'direct';
  const ours = ourHandles(ctx, post.channel);
  if (post.inReplyToAuthor && ours.has(post.inReplyToAuthor.replace(/^@/u, '').toLowerCase())) return 'reply-to-us';
  if (mentionedHandles(post.text).some((h) => ours.has(h))) return 'mention';
  return null;
}

const RULES: Array<{ intent: Triage['intent']; pattern: RegExp }> = [
  { intent: 'security', pattern: /\b(hack(ed|er)?|phish\w*|scam\w*|stolen account|account (was )?(taken over|compromised)|gehackt|betrug\w*)\b/iu },
  { intent: 'spam', pattern: /\b(follow me|free followers|crypto giveaway|click here to win)\b/iu },
  { intent: 'complaint', pattern: /\b(charged twice|refund|broken|worst|terrible|awful|unacceptable|still waiting|not working|doesn'?t work|cancel+ed|delay(ed)?|verspätung|verspätet|ausgefallen|kaputt|ärgerlich|frechheit|schlecht)\b/iu },
  { intent: 'praise', pattern: /\b(thank(s| you)|love|great|awesome|amazing|danke|super|toll)\b/iu },
  { intent: 'idea', pattern: /\b(you should|it would be (nice|great)|please add|feature request|suggest(ion)?|ihr solltet|vorschlag)\b/iu },
  { intent: 'question', pattern: /\?|^\s*(how|what|when|where|why|who|can|could|is|are|do|does|will|wie|was|wann|wo|warum|kann|könnt|gibt)\b/iu },
];

const NEGATIVE = /\b(worst|terrible|awful|hate|angry|broken|unacceptable|never again|schlecht|ärgerlich|frechheit|kaputt|verspätung|charged twice)\b/giu;
const POSITIVE = /\b(thank(s| you)|love|great|awesome|amazing|happy|danke|super|toll|gut)\b/giu;

function sentimentOf(text: string): Triage['sentiment'] {
  const neg = text.match(NEGATIVE)?.length ?? 0;
  const pos = text.match(POSITIVE)?.length ?? 0;
  const score = neg + pos === 0 ? 0 : Math.max(-1, Math.min(1, (pos - neg) / (pos + neg)));
  const label = score <= -0.2 ? 'negative' : score >= 0.2 ? 'positive' : 'neutral';
  return { score, label };
}

export function triagePost(post: Post, ctx: TriageContext): Triage {
  const reason = addressedToUs(post, ctx);
  // Leading @mentions are addressing, not content: "@sprintcare how do I …" is a question.
  const text = withoutUrls(post.text).replace(/^(\s*@\S+)+/u, '');
  const intent = RULES.find((r) => r.pattern.test(text))?.intent ?? 'other';
  const followers = post.author.followers ?? 0;
  const thresholds = ctx.reachThresholds ?? DEFAULT_REACH;
  const brand = ctx.brandNames.some((n) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(n)}(?![\\p{L}\\p{N}])`, 'iu').test(text));
  const risk: string[] = [];
  if (/\bhttps?:\/\/\S+/iu.test(post.text) && intent === 'security') risk.push('suspicious-link');
  if (/\bphish\w*/iu.test(text)) risk.push('phishing');
  if (/\b(hacked|gehackt|account (was )?(taken over|compromised))\b/iu.test(text)) risk.push('hijacked-account');
  return {
    language: post.language ?? 'en',
    addressedToUs: reason !== null,
    addressedReason: reason,
    relevant: reason !== null || brand,
    intent,
    sentiment: sentimentOf(text),
    reach: followers >= thresholds.high ? 'high' : followers >= thresholds.medium ? 'medium' : 'low',
    risk,
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
