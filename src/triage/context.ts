// What triage knows besides the post: our accounts and brand names (from the
// pack's accounts.yaml), reach thresholds, and optional listening terms.
import type { AccountSpec } from '../policy/types';

export interface ReachThresholds {
  /** Followers from which reach is medium. */
  medium: number;
  /** Followers from which reach is high. */
  high: number;
}

/**
 * Listening terms for brand names that are also common words ("Bahn": the
 * railway, a running track, an orbit). A bare single-word name counts only
 * when no `exclude` term is in the post, or an `about` term is too. Handles
 * and multi-word names ("Deutsche Bahn") always count. Matched as whole words
 * or phrases, ignoring case; a term ending in `*` matches as a prefix.
 */
export interface BrandTopic {
  about?: string[];
  exclude?: string[];
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
  topic?: BrandTopic;
}

/** Also the default of $HEARKEN_REACH_THRESHOLDS. */
export const DEFAULT_REACH: ReachThresholds = { medium: 1_000, high: 10_000 };
