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
  /** Follower counts at which reach becomes medium / high (else $HEARKEN_REACH_THRESHOLDS, else 1,000 / 10,000). */
  reachThresholds?: ReachThresholds;
  topic?: BrandTopic;
}

export const DEFAULT_REACH: ReachThresholds = { medium: 1_000, high: 10_000 };

/** `"1000,10000"` → thresholds; throws a sentence naming the variable when it is malformed. */
export function parseReachThresholds(text: string, name = 'HEARKEN_REACH_THRESHOLDS'): ReachThresholds {
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/u.exec(text);
  const medium = Number(m?.[1]);
  const high = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(medium) || !Number.isSafeInteger(high) || medium < 1 || high <= medium) {
    throw new Error(`${name} must be two follower counts "medium,high" with 0 < medium < high, like "1000,10000"; got "${text}"`);
  }
  return { medium, high };
}

let fromEnv: ReachThresholds | undefined;

/** Thresholds from $HEARKEN_REACH_THRESHOLDS, read once; the defaults when unset. */
export function envReachThresholds(): ReachThresholds {
  if (!fromEnv) {
    const text = process.env.HEARKEN_REACH_THRESHOLDS;
    fromEnv = text === undefined || text.trim() === '' ? DEFAULT_REACH : parseReachThresholds(text);
  }
  return fromEnv;
}
