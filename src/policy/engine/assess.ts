// One post through triage, selection and planning: the worker's assessPost
// activity and every CLI command run these same functions, so what
// `hearken policy explain` shows is what the service would do (the worker
// may also refine the triage with the classifier hook before planFor()).
import type { Post } from '../../shared/post';
import { triagePost, type TriageContext } from '../../triage/triage';
import { sameAccount } from '../../triage/addressing';
import { buildFacts } from './match';
import { buildPlan } from './plan';
import { selectPolicy, type CompiledPolicy } from './select';
import type { AccountSpec, PolicyPack } from '../types';
import type { Plan } from '../../shared/plan';
import type { Triage } from '../../shared/triage';

export interface Assessment {
  triage: Triage;
  plan: Plan;
}

/** What triage takes from the configuration rather than from the pack ($HEARKEN_REACH_THRESHOLDS). */
export type TriageSettings = Pick<TriageContext, 'reachThresholds'>;

/** The rules' triage alone, with the pack's accounts, brand names and listening terms (for `hearken triage` and the worker). */
export function triageFor(pack: PolicyPack, post: Post, settings: TriageSettings = {}): Triage {
  return triagePost(post, {
    accounts: pack.accounts,
    brandNames: pack.brandNames,
    listening: pack.listening,
    reachThresholds: settings.reachThresholds,
  });
}

/** Picks the winning policy of `compiled` (from compilePolicies(pack.policies)) for `post` as triaged, and resolves its plan. */
export function planFor(pack: PolicyPack, compiled: readonly CompiledPolicy[], post: Post, triage: Triage): Assessment {
  const { policy, candidates } = selectPolicy(compiled, buildFacts(post, triage));
  const plan = buildPlan(pack, policy, candidates, post, triage);
  return { triage, plan };
}

/** Triage `post` by the rules, then planFor(). */
export function assess(pack: PolicyPack, compiled: readonly CompiledPolicy[], post: Post, settings: TriageSettings = {}): Assessment {
  return planFor(pack, compiled, post, triageFor(pack, post, settings));
}

/** Whether `post` was written by one of our accounts (accounts.yaml) on its channel. */
export function fromOurAccount(accounts: readonly AccountSpec[], post: Post): boolean {
  const handle = post.author.handle;
  if (!handle) return false;
  return accounts.some((a) => a.channel === post.channel && sameAccount(handle, a.handle, handle));
}
