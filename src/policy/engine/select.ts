// Picks the policy for a post: the highest-priority policy whose `when`
// holds. Policies are compiled once per pack load (see match.ts) and kept
// sorted, so selection is a linear scan that can stop at the first match.

import type { PolicySpec } from '../types';
import { compileCondition, MatchError, type Facts, type Predicate } from './match';

export interface CompiledPolicy {
  readonly id: string;
  readonly priority: number;
  readonly spec: PolicySpec;
  readonly test: Predicate;
}

export interface Selection {
  /** The winner, or null when no policy matched (the post is then ignored). */
  policy: PolicySpec | null;
  /** Every matching policy, highest priority first; the audit trail shows them. */
  candidates: Array<{ id: string; priority: number }>;
}

const always: Predicate = () => true;

/**
 * Compiles every policy's `when` (none means "every post") and sorts them by
 * priority, highest first. Priorities are unique in a valid pack; ties are
 * broken by id anyway so the order never depends on file-system order.
 * Throws MatchError naming the policy when a condition cannot compile.
 */
export function compilePolicies(policies: readonly PolicySpec[]): CompiledPolicy[] {
  const compiled = policies.map((spec): CompiledPolicy => {
    let test = always;
    if (spec.when !== undefined) {
      try {
        test = compileCondition(spec.when, ['when']);
      } catch (err) {
        if (err instanceof MatchError) throw new MatchError(err.detail, err.path, spec.id);
        throw err;
      }
    }
    return { id: spec.id, priority: spec.priority, spec, test };
  });
  return compiled.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The winning policy and all candidates; `compiled` must come from compilePolicies. */
export function selectPolicy(compiled: readonly CompiledPolicy[], facts: Facts): Selection {
  const candidates: Selection['candidates'] = [];
  let policy: PolicySpec | null = null;
  for (const c of compiled) {
    if (!c.test(facts)) continue;
    policy ??= c.spec;
    candidates.push({ id: c.id, priority: c.priority });
  }
  return { policy, candidates };
}

/** The hot path: the winning policy only, without evaluating the ones below it. */
export function firstMatch(compiled: readonly CompiledPolicy[], facts: Facts): PolicySpec | null {
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i]!;
    if (c.test(facts)) return c.spec;
  }
  return null;
}
