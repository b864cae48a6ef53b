// The policy folder as it was at a git ref, copied into a temporary folder so
// the ordinary loader can read it (`hearken policy simulate --base <ref>`).
// Plain git plumbing (ls-tree, cat-file): no tar, no checkout of the work tree.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './common';

export interface PackAtRef {
  /** A temporary folder holding the pack's files; remove it with `dispose`. */
  dir: string;
  commit: string;
  /** The last commit at or before `commit` that touched the folder: the commit part of the pack's version then. */
  folderCommit: string | null;
  /** How to name the folder's files in messages: `<ref>:<path in the repo>/`. */
  label: string;
  dispose(): Promise<void>;
}

const MAX_BYTES = 16 * 1024 * 1024;

function git(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', cwd, ...args], { encoding: 'buffer', maxBuffer: MAX_BYTES, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.toString('utf8').trim() || err.message));
      else resolve(stdout);
    });
  });
}

/** Copies the YAML files of `dir` at `ref` into a temporary folder. */
export async function packAtRef(dir: string, ref: string): Promise<PackAtRef> {
  let prefix: string;
  try {
    prefix = (await git(dir, ['rev-parse', '--show-prefix'])).toString('utf8').trim();
  } catch {
    throw new CliError(`--base needs the policy folder ${dir} to be in a git checkout`);
  }
  let commit: string;
  try {
    commit = (await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString('utf8').trim();
  } catch {
    throw new CliError(`--base: "${ref}" is not a commit, branch or tag in this repository`);
  }
  let listing: string;
  try {
    listing = (await git(dir, ['ls-tree', '--full-tree', '-z', `${commit}:${prefix}`])).toString('utf8');
  } catch {
    throw new CliError(`--base: the policy folder ${prefix || '.'} did not exist at ${ref}`);
  }

  const folderCommit =
    (await git(dir, ['log', '-1', '--format=%H', commit, '--', '.']).catch(() => Buffer.from(''))).toString('utf8').trim() || null;

  const tmp = await mkdtemp(path.join(os.tmpdir(), 'hearken-base-'));
  const dispose = (): Promise<void> => rm(tmp, { recursive: true, force: true });
  try {
    for (const entry of listing.split('\0')) {
      // "<mode> <type> <object>\t<name>"
      const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(entry);
      if (!match || !/\.ya?ml$/i.test(match[2]!)) continue;
      await writeFile(path.join(tmp, match[2]!), await git(dir, ['cat-file', 'blob', match[1]!]));
    }
  } catch (err) {
    await dispose();
    throw err;
  }
  return { dir: tmp, commit, folderCommit, label: `${ref}:${prefix}`, dispose };
}
