// Policy selection, Hearken against json-rules-engine: the same 20-policy
// pack, the same posts (already triaged: only selection is timed), the same
// process, one after the other. Hearken's selectPolicy computes every
// candidate (what the audit trail shows), so json-rules-engine running every
// rule is the like-for-like comparison.
import { triageFor } from '../../src/policy/engine/assess';
import { buildFacts, type Facts } from '../../src/policy/engine/match';
import { compilePolicies, firstMatch, selectPolicy } from '../../src/policy/engine/select';
import type { PolicyPack } from '../../src/policy/types';
import { toPost, type PostTemplate } from '../lib/posts';
import { median, round } from '../lib/stats';
import { JSON_RULES_ENGINE_GAPS, jsonRulesSelector } from './json-rules';

export interface SelectorResult {
  policies: number;
  posts: number;
  hearkenPerSec: number;
  hearkenFirstMatchPerSec: number;
  jsonRulesEnginePerSec: number;
  jsonRulesEngineFastPathsPerSec: number;
  ratio: number;
  ratioVsFastPaths: number;
  /** Share of posts on which both picked the same winner (must be 1). */
  agreement: number;
  disagreements: Array<{ text: string; hearken: string | null; jsonRulesEngine: string | null }>;
  reps: { hearken: number[]; jsonRulesEngine: number[]; jsonRulesEngineFastPaths: number[] };
  cannotExpress: readonly string[];
}

export async function benchSelector(
  pack: PolicyPack,
  posts: readonly PostTemplate[],
  opts: { reps: number; ms: number },
): Promise<SelectorResult> {
  const compiled = compilePolicies(pack.policies);
  const facts: Facts[] = posts.map((t, i) => {
    const post = toPost(t, `sel-${i}`);
    return buildFacts(post, triageFor(pack, post));
  });
  const jre = jsonRulesSelector(pack.policies);
  const jreFast = jsonRulesSelector(pack.policies, { fastPaths: true });

  // The translation must pick the same winner, or the comparison is void.
  const disagreements: SelectorResult['disagreements'] = [];
  let disagreeing = 0;
  for (const [i, f] of facts.entries()) {
    const ours = selectPolicy(compiled, f).policy?.id ?? null;
    const theirs = await jre.select(f);
    if (ours === theirs) continue;
    disagreeing++;
    if (disagreements.length < 10) disagreements.push({ text: posts[i]!.text.slice(0, 80), hearken: ours, jsonRulesEngine: theirs });
  }

  const reps = {
    hearken: [] as number[],
    hearkenFirst: [] as number[],
    jsonRulesEngine: [] as number[],
    jsonRulesEngineFastPaths: [] as number[],
  };
  // Warm-up: let V8 optimise both before anything is timed.
  timeSync((f) => selectPolicy(compiled, f).candidates.length, facts, opts.ms / 4);
  await timeAsync((f) => jre.select(f), facts, opts.ms / 4);
  for (let r = 0; r < opts.reps; r++) {
    reps.hearken.push(timeSync((f) => selectPolicy(compiled, f).candidates.length, facts, opts.ms));
    reps.hearkenFirst.push(timeSync((f) => (firstMatch(compiled, f) ? 1 : 0), facts, opts.ms));
    reps.jsonRulesEngine.push(await timeAsync((f) => jre.select(f), facts, opts.ms));
    reps.jsonRulesEngineFastPaths.push(await timeAsync((f) => jreFast.select(f), facts, opts.ms));
  }
  const hearkenPerSec = round(median(reps.hearken), 0);
  const jsonRulesEnginePerSec = round(median(reps.jsonRulesEngine), 0);
  const jsonRulesEngineFastPathsPerSec = round(median(reps.jsonRulesEngineFastPaths), 0);
  return {
    policies: pack.policies.length,
    posts: facts.length,
    hearkenPerSec,
    hearkenFirstMatchPerSec: round(median(reps.hearkenFirst), 0),
    jsonRulesEnginePerSec,
    jsonRulesEngineFastPathsPerSec,
    ratio: round(hearkenPerSec / jsonRulesEnginePerSec, 1),
    ratioVsFastPaths: round(hearkenPerSec / jsonRulesEngineFastPathsPerSec, 1),
    agreement: round(1 - disagreeing / facts.length, 4),
    disagreements,
    reps: { hearken: reps.hearken, jsonRulesEngine: reps.jsonRulesEngine, jsonRulesEngineFastPaths: reps.jsonRulesEngineFastPaths },
    cannotExpress: JSON_RULES_ENGINE_GAPS,
  };
}

/** Decisions per second of a synchronous selector over `facts`, cycled, for about `ms`. */
function timeSync(fn: (f: Facts) => number, facts: readonly Facts[], ms: number): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    // Check the clock once per pass over the posts, not per decision.
    for (let i = 0; i < facts.length; i++) sink += fn(facts[i]!);
    n += facts.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  if (sink < 0) console.log(sink); // keeps the work observable to the optimiser
  return (n / elapsed) * 1000;
}

async function timeAsync(fn: (f: Facts) => Promise<unknown>, facts: readonly Facts[], ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < facts.length && (i % 64 !== 0 || performance.now() - start < ms); i++) {
      await fn(facts[i]!);
      n++;
    }
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (n / elapsed) * 1000;
}
