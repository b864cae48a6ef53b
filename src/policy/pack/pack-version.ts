// The version a running interaction records: the git commit of the policy
// folder (what a reviewer can look up) plus a hash of the content actually
// loaded (what tells two uncommitted edits apart). See DESIGN.md house rules.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import type { PackVersion } from '../types';

export interface PackFile {
  /** Name relative to the pack folder, `/`-separated. */
  name: string;
  /** The bytes as loaded: hashing what was parsed, not a later re-read, keeps version and content in step. */
  bytes: Uint8Array;
}

/** Hash of the pack content and, when the folder is in a git checkout, its last commit. */
export async function packVersion(dir: string, files: readonly PackFile[]): Promise<PackVersion> {
  const sha256 = contentHash(files);
  const commit = await gitCommit(dir);
  const short = sha256.slice(0, 12);
  const id = commit === null ? `sha256:${short}` : `${commitLabel(commit)}+${short}`;
  return { commit, sha256, id };
}

/** sha256 over the files sorted by name: name, NUL, bytes, NUL each (NUL keeps name/content boundaries unambiguous). */
export function contentHash(files: readonly PackFile[]): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted) {
    hash.update(f.name, 'utf8');
    hash.update(Buffer.from([0]));
    hash.update(f.bytes);
    hash.update(Buffer.from([0]));
  }
  return hash.digest('hex');
}

/** `abc…(40)` or `abc…(40)-dirty` → `abc123456789` or `abc123456789-dirty`. */
function commitLabel(commit: string): string {
  const dirty = commit.endsWith('-dirty');
  return `${commit.slice(0, 12)}${dirty ? '-dirty' : ''}`;
}

/**
 * The last commit touching the folder, `-dirty` appended when it has
 * uncommitted changes; null outside git, without git, or before the first
 * commit. Never throws: a version without a commit is still a version.
 */
async function gitCommit(dir: string): Promise<string | null> {
  const head = await git(dir, ['log', '-1', '--format=%H', '--', '.']);
  if (head === null || !/^[0-9a-f]{40}$/.test(head.trim())) return null;
  const status = await git(dir, ['status', '--porcelain', '--', '.']);
  return `${head.trim()}${status !== null && status.trim() !== '' ? '-dirty' : ''}`;
}

function git(dir: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, ...args], { timeout: 5_000, windowsHide: true }, (err, stdout) => {
      resolve(err ? null : stdout);
    });
  });
}
