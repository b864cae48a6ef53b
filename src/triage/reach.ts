// Reach from the author's followers. Unknown followers count as low: a post
// is never escalated as an opinion leader's on a guess.
import type { Triage } from '../shared/triage';
import { DEFAULT_REACH, type ReachThresholds } from './context';

export function reachOf(followers: number | undefined, thresholds: ReachThresholds = DEFAULT_REACH): Triage['reach'] {
  const n = followers ?? 0;
  return n >= thresholds.high ? 'high' : n >= thresholds.medium ? 'medium' : 'low';
}
