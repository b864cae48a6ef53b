// One post through triage, selection and planning: the worker's assessPost
// activity and every CLI command run this same function, so what
// `hearken policy explain` shows is what the service would do.
import type { Post } from '../../shared/post';
import { triagePost } from '../../triage/triage';
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

/** The triage step alone, with the same context assess() gives it (for `hearken triage`). */
export function triageFor(pack: PolicyPack, post: Post): Triage {
  return triagePost(post, { accounts: pack.accounts, brandNames: pack.brandNames });
}

/** Triage `post`, pick the winning policy of `compiled` (from compilePolicies(pack.policies)) and resolve its plan. */
export function assess(pack: PolicyPack, compiled: readonly CompiledPolicy[], post: Post): Assessment {
  const triage = triageFor(pack, post);
  const { policy, candidates } = selectPolicy(compiled, buildFacts(post, triage));
  const plan = buildPlan(pack, policy, candidates, post, triage);
  return { triage, plan };
}

/** Whether `post` was written by one of our accounts (accounts.yaml) on its channel. */
export function fromOurAccount(accounts: readonly AccountSpec[], post: Post): boolean {
  const handle = post.author.handle;
  if (!handle) return false;
  return accounts.some((a) => a.channel === post.channel && sameAccount(handle, a.handle, handle));
}
