// The posts the benchmark captures: a mix of policy paths close to what a
// brand's listening feed sees (~60 % overheard/ignored, ~25 % interim reply,
// ~10 % escalation, ~5 % security). Texts come from the real
// customer-support tweets in ../shared/data/twcs-sample.csv when that file
// exists (read at run time, never copied into the repo: its licence is
// non-commercial), else from a small generated set.
//
// twcs holds conversations with ~76 brands, so as-is almost every tweet is
// someone else's conversation for our pack (@sprintcare only). Each inbound
// tweet is therefore used twice: "re-addressed" (the brand it talks to
// becomes @sprintcare, as if we were that brand) and "overheard" (brand
// handles removed). Every candidate is assessed with the real triage and
// selector and put in the bucket of the path it actually takes; the mix is
// then drawn from the buckets, so the reported mix is what ran, even while
// triage changes underneath.
import fs from 'node:fs';
import path from 'node:path';
import type { Post } from '../../src/shared/post';
import { assess } from '../../src/policy/engine/assess';
import type { CompiledPolicy } from '../../src/policy/engine/select';
import type { PolicyPack } from '../../src/policy/types';
import { parseCsv } from '../../scripts/lib/csv';
import { escapeRegex } from '../../src/util/escape-regex';

export const TWCS_FILE = path.resolve(import.meta.dirname, '../../../shared/data/twcs-sample.csv');

export type PathBucket = 'ignored' | 'interim' | 'escalation' | 'security';

export const TARGET_MIX: Record<PathBucket, number> = { ignored: 0.6, interim: 0.25, escalation: 0.1, security: 0.05 };

/** Which bucket a winning policy of the default pack belongs to. */
export function bucketOf(policyId: string): PathBucket {
  switch (policyId) {
    case 'overheard':
    case 'troll':
    case 'no-policy-matched':
    case 'hr': // a team notification and no public reply: no reply to time
      return 'ignored';
    case 'customer-complaint':
    case 'opinion-leader':
      return 'escalation';
    case 'security-incident':
      return 'security';
    default:
      // question, addressed-default, praise, idea: an interim reply (or a
      // thank-you) first, a colleague later.
      return 'interim';
  }
}

/** A post without its identity: the load generator stamps id and createdAt when it sends it. */
export interface PostTemplate {
  text: string;
  author: Post['author'];
  inReplyToAuthor?: string;
  /** The policy it selected when the mix was drawn. */
  policy: string;
  bucket: PathBucket;
  source: 'twcs' | 'generated';
}

export interface PostMix {
  source: 'twcs-sample.csv' | 'generated';
  posts: PostTemplate[];
  /** Share of each bucket and count per policy in the drawn mix. */
  buckets: Record<PathBucket, number>;
  policies: Record<string, number>;
  /** How many candidates of each bucket were available before drawing. */
  available: Record<PathBucket, number>;
}

/** Stamps a template into a post with a fresh id (one interaction per post) and createdAt = now. */
export function toPost(t: PostTemplate, id: string): Post {
  return {
    channel: 'twitter',
    id,
    author: t.author,
    text: t.text,
    createdAt: new Date().toISOString(),
    ...(t.inReplyToAuthor ? { inReplyTo: `${id}-parent`, inReplyToAuthor: t.inReplyToAuthor } : {}),
  };
}

/** Draws `size` posts with TARGET_MIX proportions, deterministically (the same run twice gives the same mix). */
export function buildMix(pack: PolicyPack, compiled: readonly CompiledPolicy[], size: number): PostMix {
  const fromTwcs = fs.existsSync(TWCS_FILE) ? twcsCandidates(fs.readFileSync(TWCS_FILE, 'utf8')) : [];
  const candidates = [...fromTwcs, ...GENERATED];
  const buckets: Record<PathBucket, PostTemplate[]> = { ignored: [], interim: [], escalation: [], security: [] };
  for (const c of candidates) {
    const { plan } = assess(pack, compiled, toPost({ ...c, policy: '', bucket: 'ignored' }, 'probe'));
    const bucket = bucketOf(plan.policy.id);
    buckets[bucket].push({ ...c, policy: plan.policy.id, bucket });
  }
  const rand = mulberry32(7);
  const posts: PostTemplate[] = [];
  for (const [bucket, share] of Object.entries(TARGET_MIX) as Array<[PathBucket, number]>) {
    // Real texts first; the generated ones only fill a bucket twcs leaves empty.
    const real = buckets[bucket].filter((p) => p.source === 'twcs');
    const pool = real.length > 0 ? real : buckets[bucket];
    if (pool.length === 0) throw new Error(`no post of the default pack takes the ${bucket} path; check policies/ and triage`);
    const want = Math.round(size * share);
    for (let i = 0; i < want; i++) posts.push(pool[Math.floor(rand() * pool.length)]!);
  }
  shuffle(posts, rand);
  const policies: Record<string, number> = {};
  const drawn: Record<PathBucket, number> = { ignored: 0, interim: 0, escalation: 0, security: 0 };
  for (const p of posts) {
    policies[p.policy] = (policies[p.policy] ?? 0) + 1;
    drawn[p.bucket]++;
  }
  for (const b of Object.keys(drawn) as PathBucket[]) drawn[b] = Math.round((drawn[b] / posts.length) * 1000) / 1000;
  return {
    source: fromTwcs.length > 0 ? 'twcs-sample.csv' : 'generated',
    posts,
    buckets: drawn,
    policies,
    available: {
      ignored: buckets.ignored.length,
      interim: buckets.interim.length,
      escalation: buckets.escalation.length,
      security: buckets.security.length,
    },
  };
}

type Candidate = Omit<PostTemplate, 'policy' | 'bucket'>;

/** Inbound tweets of twcs, each re-addressed to us and overheard. */
function twcsCandidates(csv: string): Candidate[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return [];
  const col = (name: string) => header.indexOf(name);
  const [iId, iAuthor, iInbound, iText, iParent] = ['tweet_id', 'author_id', 'inbound', 'text', 'in_response_to_tweet_id'].map(
    col,
  ) as number[];
  const authorOf = new Map<string, string>();
  const brands = new Set<string>();
  for (const r of rows) {
    authorOf.set(r[iId!] ?? '', r[iAuthor!] ?? '');
    if (r[iInbound!] === 'False') brands.add((r[iAuthor!] ?? '').toLowerCase());
  }
  const brandHandle = new RegExp(`@(${[...brands].map(escapeRegex).join('|')})\\b`, 'giu');
  const out: Candidate[] = [];
  for (const r of rows) {
    if (r[iInbound!] !== 'True') continue;
    const text = (r[iText!] ?? '').slice(0, 1000);
    if (!text.trim()) continue;
    const author = { id: r[iAuthor!] ?? 'unknown' };
    const parentAuthor = authorOf.get(r[iParent!] ?? '');
    const toBrand = parentAuthor !== undefined && brands.has(parentAuthor.toLowerCase());
    out.push({
      text: text.replace(brandHandle, '@sprintcare'),
      author,
      ...(toBrand ? { inReplyToAuthor: 'sprintcare' } : {}),
      source: 'twcs',
    });
    const overheard = text.replace(brandHandle, '').replace(/\s+/gu, ' ').trim();
    if (overheard) out.push({ text: overheard, author, source: 'twcs' });
  }
  return out;
}

/** Fallback texts, one or more per path; checked by the real triage like the twcs ones. */
const GENERATED: Candidate[] = [
  ...[
    'Watching the game, the Sprint ad again lol',
    'My brother finally switched carriers, says coverage is better now',
    'Anyone else think phone plans are way too complicated?',
    'New phone day! Setting everything up tonight',
    'Sprint store downtown was packed this afternoon',
  ].map((text) => ({ text, author: { id: 'gen-overheard' }, source: 'generated' as const })),
  ...[
    '@sprintcare hello there',
    '@sprintcare how do I add a line to my plan?',
    '@sprintcare can I keep my number if I move to another state?',
    '@sprintcare thanks, the new plan works great!',
  ].map((text) => ({ text, author: { id: 'gen-interim', handle: 'jane', name: 'Jane' }, source: 'generated' as const })),
  ...[
    '@sprintcare you charged me twice this month and nobody answers, this is ridiculous',
    '@sprintcare no signal since this morning, still waiting for a fix, terrible service',
  ].map((text) => ({ text, author: { id: 'gen-escalation', handle: 'sam', name: 'Sam' }, source: 'generated' as const })),
  ...[
    '@sprintcare my account was hacked, someone changed my password and email',
    '@sprintcare got a text from "Sprint" asking for my PIN at sprint-verify-account.example, phishing?',
  ].map((text) => ({ text, author: { id: 'gen-security', handle: 'lee', name: 'Lee' }, source: 'generated' as const })),
];

/** A tiny seeded PRNG, so every run draws the same mix. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], rand: () => number): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}
