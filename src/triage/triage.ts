// Triage of one post: language, addressed to us, relevance, intent,
// sentiment, reach and risk. Deterministic rules and lexicons, no I/O, no
// clock: the same post and context always give the same triage. It runs in
// an activity (never in workflow code) and in the CLI; see README "Triage"
// for how it was measured on real labelled data.
import type { Post } from '../shared/post';
import type { Triage } from '../shared/triage';
import { addressing } from './addressing';
import { listeningFor, type TriageContext } from './context';
import { classifyIntent, findCues } from './intent';
import { detectLanguage } from './language';
import { reachOf } from './reach';
import { brandHit } from './relevance';
import { assessRisk } from './risk';
import { scoreSentiment } from './sentiment';
import { prepare } from './text';

export type { BrandListening, BrandTopic, ReachThresholds, TriageContext } from './context';

const brandTokenCache = new WeakMap<TriageContext['brandNames'], string[]>();

/** Our names and handles as bare lower-case letter runs, for spotting lookalike link hosts. */
function brandTokens(ctx: TriageContext): string[] {
  let tokens = brandTokenCache.get(ctx.brandNames);
  if (!tokens) {
    const words = [...ctx.brandNames, ...ctx.accounts.map((a) => a.handle.split('@')[0] ?? '')].map((w) =>
      w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''),
    );
    tokens = [...new Set(words.filter((w) => w.length >= 3))];
    brandTokenCache.set(ctx.brandNames, tokens);
  }
  return tokens;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);
}

export function triagePost(post: Post, ctx: TriageContext): Triage {
  const prep = prepare(post.text);
  const signals: string[] = [];

  const addressed = addressing(post, ctx.accounts, prep.clean);
  if (addressed.reason) signals.push(`addressed:${addressed.reason}${addressed.handle ? ` @${addressed.handle}` : ''}`);
  else if (addressed.retweet) signals.push('addressed:no, a retweet');

  const lang = detectLanguage(post.language, prep.body.replace(/[#@]/gu, ' '), prep.lowerTokens);
  signals.push(`language:${lang.language} by ${lang.source}`);

  const hit = brandHit(prep.clean, {
    brandNames: ctx.brandNames,
    accounts: ctx.accounts,
    topic: listeningFor(ctx.listening, lang.language),
    compounds: lang.language !== 'en',
  });
  if (hit) signals.push(`relevant:${hit.kind} ${quote(hit.term)}`);

  const cues = findCues(prep);
  // A question about a problem topic ("is the outage over?") is a question, not a reported problem.
  const reported = cues.problem !== null && !(cues.topicOnly && cues.asks !== null);
  const s = scoreSentiment(prep, lang.language, { problem: reported, asks: cues.asks !== null });
  if (s.negated) signals.push('sentiment:negation');
  if (s.sarcasm) signals.push(`sentiment:sarcasm ${quote(s.sarcasm)}`);

  const intent = classifyIntent(cues, s);
  signals.push(intent.cue ? `intent:${intent.intent} ${quote(intent.cue)}` : `intent:${intent.intent}`);

  const risk = assessRisk(post, prep, brandTokens(ctx), intent.intent === 'security');
  for (const r of risk.reasons) signals.push(`risk:${r}`);

  const reach = reachOf(post.author.followers, ctx.reachThresholds);
  if (post.author.followers === undefined) signals.push('reach:followers unknown');

  return {
    language: lang.language,
    addressedToUs: addressed.reason !== null,
    addressedReason: addressed.reason,
    relevant: addressed.reason !== null || hit !== null,
    intent: intent.intent,
    sentiment: s.sentiment,
    reach,
    risk: risk.flags,
    signals,
  };
}
