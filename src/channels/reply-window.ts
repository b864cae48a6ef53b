// A channel's reply window (accounts.yaml `replyWindow`), resolved for a
// plan: the workflow runs it as a timer beside the commitments.
import { parseDuration } from '../policy/engine/duration';
import type { AccountSpec } from '../policy/types';
import type { Plan } from '../shared/plan';

const DEFAULT_ESCALATE_BEFORE = '1h';

export function replyWindowFor(accounts: readonly AccountSpec[], channel: string): Plan['replyWindow'] {
  const spec = accounts.find((a) => a.channel === channel && a.replyWindow)?.replyWindow;
  if (!spec) return undefined;
  try {
    const within = parseDuration(spec.within);
    const before = parseDuration(spec.escalateBefore ?? DEFAULT_ESCALATE_BEFORE);
    return {
      ms: within.ms,
      escalateBeforeMs: Math.min(before.ms, within.ms),
      source: spec.within,
      applies: spec.applies ?? 'direct',
    };
  } catch {
    return undefined; // the pack loader reports a bad duration
  }
}
