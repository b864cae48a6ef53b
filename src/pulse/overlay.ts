// Crisis overlays: while a crisis is open or acknowledged, the policies of
// overlays/crisis/ are tried before the pack's own, and the first that
// matches decides (an overlay outranks every normal policy). Their `when`
// may read two facts only an overlay sees: `crisisTopic` (the post mentions
// one of the crisis's topic words) and `crisis` (its status). The plan
// records which crisis and which overlay version decided.
import type { Post } from '../shared/post';
import type { Triage } from '../shared/triage';
import type { ActiveCrisis } from '../shared/pulse';
import { buildFacts } from '../policy/engine/match';
import { buildPlan } from '../policy/engine/plan';
import { compilePolicies, selectPolicy, type CompiledPolicy } from '../policy/engine/select';
import type { Assessment } from '../policy/engine/assess';
import type { CrisisOverlay, PolicyPack } from '../policy/types';
import { brandKey } from './brand';
import { mentionsTopic } from './terms';

/** Where an assessment learns the crisis in force (src/client/crises.ts CrisisReader). */
export interface CrisisSource {
  current(brand: string): Promise<ActiveCrisis | null>;
}

const compiled = new WeakMap<CrisisOverlay, CompiledPolicy[]>();

function compiledOverlay(overlay: CrisisOverlay): CompiledPolicy[] {
  let c = compiled.get(overlay);
  if (!c) compiled.set(overlay, (c = compilePolicies(overlay.policies)));
  return c;
}

/** The overlay's assessment of `post` under `crisis`; null when no crisis is in force or no overlay policy matches. */
export function planUnderCrisis(pack: PolicyPack, post: Post, triage: Triage, crisis: ActiveCrisis | null): Assessment | null {
  const overlay = pack.crisisOverlay;
  if (!crisis || !overlay) return null;
  const facts = { ...buildFacts(post, triage), crisis: crisis.status, crisisTopic: mentionsTopic(post.text, crisis.topic) };
  const { policy, candidates } = selectPolicy(compiledOverlay(overlay), facts);
  if (!policy) return null;
  const plan = buildPlan(pack, policy, candidates, post, triage);
  plan.overlay = { kind: 'crisis', crisisId: crisis.id, version: overlay.version };
  return { triage, plan };
}

/** The worker's hook: the crisis in force for the pack's brand, then planUnderCrisis. No source or overlay: null. */
export async function crisisOverlayPlan(
  source: CrisisSource | undefined,
  pack: PolicyPack,
  post: Post,
  triage: Triage,
): Promise<Assessment | null> {
  if (!source || !pack.crisisOverlay) return null;
  return planUnderCrisis(pack, post, triage, await source.current(brandKey(pack)));
}
