// What triage (src/triage) says about a post. Plain data: it travels in the
// workflow's history and state.

/** What triage says about a post (src/triage). */
export interface Triage {
  /** ISO 639-1 code (the post's own tag when it has one), `und` when undetermined. */
  language: string;
  addressedToUs: boolean;
  addressedReason: 'direct' | 'reply-to-us' | 'mention' | null;
  relevant: boolean;
  intent: 'question' | 'complaint' | 'praise' | 'idea' | 'security' | 'spam' | 'other';
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  reach: 'low' | 'medium' | 'high';
  /** suspicious-link, phishing, hijacked-account, legal-threat, personal-data. */
  risk: string[];
  /** Why: the rules that decided, as `field:detail` (`addressed:mention @sprintcare`, `intent:complaint "still waiting"`). */
  signals?: string[];
}
