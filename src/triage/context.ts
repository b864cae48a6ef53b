// What triage knows besides the post: our accounts and brand names (from the
// pack's accounts.yaml), reach thresholds, and optional listening terms.
import type { AccountSpec, ListeningTerms } from '../policy/types';

export interface ReachThresholds {
  /** Followers from which reach is medium. */
  medium: number;
  /** Followers from which reach is high. */
  high: number;
}

/**
 * Listening terms for brand names that are also common words ("Bahn": the
 * railway, a running track, an orbit), for one post's language. A bare
 * single-word name counts only when no `exclude` term is in the post, or an
 * `include` term is too. Handles and multi-word names ("Deutsche Bahn")
 * always count. Matched as whole words or phrases, ignoring case; a term
 * ending in `*` matches as a prefix.
 */
export type BrandTopic = ListeningTerms;

/** accounts.yaml `brand.listening`: language code or `any` → terms. */
export type BrandListening = Readonly<Record<string, ListeningTerms>>;

const NO_TERMS: BrandTopic = {};
const topicsByLanguage = new WeakMap<BrandListening, Map<string, BrandTopic>>();

/**
 * The terms that apply to a post in `language`: those under `any` and those
 * of the language. One object per pack and language, so the regexes built
 * from it are cached (relevance.ts).
 */
export function listeningFor(listening: BrandListening | undefined, language: string): BrandTopic | undefined {
  if (!listening) return undefined;
  let byLanguage = topicsByLanguage.get(listening);
  if (!byLanguage) topicsByLanguage.set(listening, (byLanguage = new Map()));
  let topic = byLanguage.get(language);
  if (!topic) {
    const any = listening.any ?? NO_TERMS;
    const own = (language !== 'any' ? listening[language] : undefined) ?? NO_TERMS;
    const include = [...(any.include ?? []), ...(own.include ?? [])];
    const exclude = [...(any.exclude ?? []), ...(own.exclude ?? [])];
    topic = { ...(include.length ? { include } : {}), ...(exclude.length ? { exclude } : {}) };
    byLanguage.set(language, topic);
  }
  return topic.include || topic.exclude ? topic : undefined;
}

export interface TriageContext {
  accounts: AccountSpec[];
  brandNames: string[];
  /**
   * Follower counts at which reach becomes medium / high; default
   * DEFAULT_REACH. The worker and the CLI pass $HEARKEN_REACH_THRESHOLDS,
   * read by src/runtime/config.ts.
   */
  reachThresholds?: ReachThresholds;
  /** Listening terms by language (accounts.yaml `brand.listening`); the post's detected language picks them. */
  listening?: BrandListening;
}

/** Also the default of $HEARKEN_REACH_THRESHOLDS. */
export const DEFAULT_REACH: ReachThresholds = { medium: 1_000, high: 10_000 };
