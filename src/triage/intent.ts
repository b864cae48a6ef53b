// Intent from phrase rules (lexicon/patterns.ts) and the sentiment score.
// Order of precedence, and why:
//   security  a hijacked account or phishing in our name outranks everything (24/7 team)
//   spam      never answered, whatever else it says
//   complaint a reported problem, sarcasm, or negative sentiment, even when phrased as a question
//             ("why is my train late again?"); a question about a problem topic is a question
//             ("is the outage over?")
//   idea      a suggestion that does not read negative
//   question  asks something: a question mark, a question opening any sentence, or "I need to know"
//   praise    thanks and compliments without a problem or sarcasm
//   other
import type { Triage } from '../shared/triage';
import { COMPLAINT, IDEA, IMPERATIVE_START, PRAISE, PROBLEM_TOPIC, QUESTION, QUESTION_START, SECURITY, SPAM } from './lexicon/patterns';
import type { SentimentResult } from './sentiment';
import type { Prepared } from './text';

export type Intent = Triage['intent'];

/** With a problem phrase, a post is a complaint unless its sentiment is above this ("love it, love it, love it, but it broke"). */
export const PROBLEM_BELOW = 0.5;
/** An idea that mentions a problem, or a question about a problem topic, stays one unless it is at least this negative. */
export const IDEA_ABOVE = -0.5;

export interface IntentResult {
  intent: Intent;
  /** The phrase that decided, for the triage signals. */
  cue: string | null;
}

function first(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  return m ? m[0].trim() : null;
}

/** The phrase rules that fired on a post, each the text it matched. */
export interface Cues {
  security: string | null;
  spam: string | null;
  /** A reported problem ("not working", "fällt aus"), else a problem topic ("outage", "Verspätung"). */
  problem: string | null;
  /** `problem` is only a topic, which a question may ask about. */
  topicOnly: boolean;
  idea: string | null;
  asks: string | null;
  praise: string | null;
}

export function findCues(prep: Prepared): Cues {
  const text = prep.lower;
  const strong = first(COMPLAINT, text);
  const topic = strong ? null : first(PROBLEM_TOPIC, text);
  return {
    security: first(SECURITY, text),
    spam: first(SPAM, text) ?? /(?:^|\s)#(?:follow|giveaway|win|promo)\w*/u.exec(text)?.[0].trim() ?? null,
    problem: strong ?? topic,
    topicOnly: strong === null && topic !== null,
    idea: first(IDEA, text) ?? first(IMPERATIVE_START, text),
    asks: text.includes('?') ? '?' : (first(QUESTION_START, text) ?? first(QUESTION, text)),
    praise: first(PRAISE, text),
  };
}

export function classifyIntent(c: Cues, s: SentimentResult): IntentResult {
  if (c.security) return { intent: 'security', cue: c.security };
  if (c.spam) return { intent: 'spam', cue: c.spam };
  const score = s.sentiment.score;
  if (s.sarcasm && score < 0) return { intent: 'complaint', cue: `sarcasm ${s.sarcasm}` };
  const negative = s.sentiment.label === 'negative';
  // "Is the outage over?" asks about a problem; "is the outage over?? third time this week!!" complains.
  const askingAbout = c.asks !== null && c.topicOnly && score > IDEA_ABOVE;
  const calmIdea = c.idea !== null && score > IDEA_ABOVE;
  if (c.problem && score <= PROBLEM_BELOW && !calmIdea && !askingAbout) return { intent: 'complaint', cue: c.problem };
  // Negative as its language's thresholds read it (sentiment.ts): plain anger at us is a complaint, and so is a
  // suggestion that reads negative (the safer mistake: complaints are answered faster than ideas).
  if (negative && !askingAbout) return { intent: 'complaint', cue: `sentiment ${score}` };
  if (c.idea) return { intent: 'idea', cue: c.idea };
  if (c.asks) return { intent: 'question', cue: c.asks };
  if (c.praise && score > 0) return { intent: 'praise', cue: c.praise };
  return { intent: 'other', cue: null };
}
