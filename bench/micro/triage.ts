// Triage throughput: posts per second through triagePost (via assess.ts's
// triageFor, the same entry the worker uses) on one core — one thread,
// nothing else running in this process while it is timed.
import { assess, triageFor } from '../../src/policy/engine/assess';
import type { CompiledPolicy } from '../../src/policy/engine/select';
import type { PolicyPack } from '../../src/policy/types';
import type { Post } from '../../src/shared/post';
import { toPost, type PostTemplate } from '../lib/posts';
import { median, round } from '../lib/stats';

export interface TriageResult {
  posts: number;
  postsPerSec: number;
  /** triage + selection + plan: the whole assessPost activity body. */
  assessPerSec: number;
  reps: { triage: number[]; assess: number[] };
}

export function benchTriage(
  pack: PolicyPack,
  compiled: readonly CompiledPolicy[],
  templates: readonly PostTemplate[],
  opts: { reps: number; ms: number },
): TriageResult {
  const posts = templates.map((t, i) => toPost(t, `tri-${i}`));
  const reps = { triage: [] as number[], assess: [] as number[] };
  rate(posts, (p) => triageFor(pack, p).risk.length, opts.ms / 4); // warm-up
  for (let r = 0; r < opts.reps; r++) {
    reps.triage.push(rate(posts, (p) => triageFor(pack, p).risk.length, opts.ms));
    reps.assess.push(rate(posts, (p) => assess(pack, compiled, p).plan.steps.length, opts.ms));
  }
  return { posts: posts.length, postsPerSec: round(median(reps.triage), 0), assessPerSec: round(median(reps.assess), 0), reps };
}

function rate(posts: readonly Post[], fn: (p: Post) => number, ms: number): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < posts.length && (i % 32 !== 0 || performance.now() - start < ms); i++) {
      sink += fn(posts[i]!);
      n++;
    }
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  if (sink < 0) console.log(sink);
  return round((n / elapsed) * 1000, 0);
}
