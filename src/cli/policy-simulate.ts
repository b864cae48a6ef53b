// `hearken policy simulate --posts file.jsonl [--base ref]`: triage and
// selection over many posts, to see a pack change's effect before merging:
// how many posts each policy takes, what happens first to them, and with
// --base, which posts would be handled differently than at that git ref.
import path from 'node:path';
import { assess } from '../policy/engine/assess';
import type { Post } from '../shared/post';
import { CliError, displayPath, EXIT, openPack, plural, policiesDir, printJson, readJsonlPosts, type OpenedPack } from './common';
import { packAtRef } from './git-pack';

export interface SimulateOptions {
  posts: string;
  policies?: string;
  base?: string;
}

/** The outcome counted for one pack. */
interface Tally {
  version: string;
  /** Policy id → posts it took; every policy of the pack is listed (highest priority first), `(none)` last. */
  policies: Record<string, number>;
  /** Kind of the plan's first step → posts. */
  firstSteps: Record<string, number>;
}

const NONE = '(none)';

export async function simulate(opts: SimulateOptions): Promise<number> {
  const dir = policiesDir(opts.policies);
  const current = await openPack(dir);
  const base = opts.base === undefined ? null : await openBase(dir, opts.base);

  const now = emptyTally(current);
  const before = base ? emptyTally(base.opened) : null;
  const changes = new Map<string, number>();
  let posts = 0;
  let malformed = 0;
  const source = opts.posts === '-' ? '<stdin>' : opts.posts;
  for await (const item of readJsonlPosts(opts.posts)) {
    if ('error' in item) {
      malformed++;
      process.stderr.write(`${source}:${item.line}: ${item.error}\n`);
      continue;
    }
    posts++;
    const to = count(now, current, item.post);
    if (base && before) {
      const from = count(before, base.opened, item.post);
      if (from !== to) changes.set(`${from} → ${to}`, (changes.get(`${from} → ${to}`) ?? 0) + 1);
    }
  }
  if (malformed > 0) process.stderr.write(`warning: ${plural(malformed, 'malformed line')} skipped\n`);

  const report: Record<string, unknown> = { version: now.version, posts, malformed, policies: now.policies, firstSteps: now.firstSteps };
  if (base && before) {
    report.base = { ref: base.ref, commit: base.commit, version: before.version, policies: before.policies, firstSteps: before.firstSteps };
    report.difference = { policies: difference(before.policies, now.policies), firstSteps: difference(before.firstSteps, now.firstSteps) };
    report.changed = [...changes.values()].reduce((a, b) => a + b, 0);
    report.changes = [...changes]
      .sort((a, b) => b[1] - a[1])
      .map(([change, n]) => {
        const [from, to] = change.split(' → ') as [string, string];
        return { from, to, posts: n };
      });
  }
  printJson(report);
  return EXIT.ok;
}

function emptyTally({ pack }: OpenedPack): Tally {
  return { version: pack.version.id, policies: Object.fromEntries([...pack.policies.map((p) => [p.id, 0]), [NONE, 0]]), firstSteps: {} };
}

/** Assesses the post with one pack, counts it, and returns the winning policy's id. */
function count(tally: Tally, { pack, compiled, triage }: OpenedPack, post: Post): string {
  const { plan } = assess(pack, compiled, post, triage);
  const id = plan.candidates.length > 0 ? plan.policy.id : NONE;
  tally.policies[id] = (tally.policies[id] ?? 0) + 1;
  const first = plan.steps[0]?.kind ?? '(no steps)';
  tally.firstSteps[first] = (tally.firstSteps[first] ?? 0) + 1;
  return id;
}

/** after − before per key, non-zero only; keys of either side. */
function difference(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of new Set([...Object.keys(after), ...Object.keys(before)])) {
    const d = (after[key] ?? 0) - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** The pack as it was at `ref`; its version reads as the service would have reported it then. */
async function openBase(dir: string, ref: string): Promise<{ ref: string; commit: string; opened: OpenedPack }> {
  const copy = await packAtRef(dir, ref);
  try {
    const opened = await openPack(copy.dir).catch((err: unknown) => {
      if (!(err instanceof CliError)) throw err;
      // Name the files as they are in git, not by the temporary folder.
      const rename = (line: string): string => line.split(`${copy.dir}${path.sep}`).join(copy.label);
      throw new CliError(`the pack at ${ref} (${displayPath(dir)}) does not load`, err.exitCode, err.details.map(rename));
    });
    const { sha256 } = opened.pack.version;
    if (copy.folderCommit === null) return { ref, commit: copy.commit, opened };
    const version = { commit: copy.folderCommit, sha256, id: `${copy.folderCommit.slice(0, 12)}+${sha256.slice(0, 12)}` };
    return { ref, commit: copy.commit, opened: { ...opened, pack: { ...opened.pack, version } } };
  } finally {
    await copy.dispose();
  }
}
