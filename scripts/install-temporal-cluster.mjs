#!/usr/bin/env node
// Builds the pinned Temporal server and its SQL schema tool into the git-ignored
// `.tools/bin/`, for `npm run cluster` (a multi-service Temporal cluster on
// PostgreSQL). Not part of `npm install`: the server takes about 7 minutes to
// build on 2 cores, and only the cluster needs it. `npm run cluster` runs this
// on first use; CI runs it before the tests.
//
//   .tools/bin/temporal-server     -> go.temporal.io/server/cmd/server@v1.32.2
//   .tools/bin/temporal-sql-tool   -> go.temporal.io/server/cmd/tools/sql@v1.32.2
//
// Skips a binary that is already there and reports the pinned version.
// v1.32.2 needs Go >= 1.26.10; GOTOOLCHAIN makes any go >= 1.21 fetch the
// pinned toolchain from the module proxy. Exit code 1 when a binary is missing
// at the end, with what to do about it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_VERSION = '1.32.2';
const GO_TOOLCHAIN = 'go1.27.3';
const MODULE = 'go.temporal.io/server';
const BINARIES = [
  // name in .tools/bin, package, the name `go install` gives it
  { name: 'temporal-server', pkg: `${MODULE}/cmd/server`, built: 'server' },
  { name: 'temporal-sql-tool', pkg: `${MODULE}/cmd/tools/sql`, built: 'sql' },
];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, '.tools', 'bin');
const PREFIX = '[hearken:install-temporal-cluster]';
const log = (msg) => console.log(`${PREFIX} ${msg}`);

function version(bin) {
  try {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    return /version (\S+)/i.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Points .tools/bin/<name> at the binary `go install` wrote beside it. */
function linkBuilt({ name, built }) {
  const dest = path.join(BIN, name);
  fs.rmSync(dest, { force: true });
  fs.symlinkSync(built, dest);
}

function goMissing(detail) {
  console.error(
    [
      `${PREFIX} cannot build the Temporal server: ${detail}`,
      '  `npm run cluster` needs Go (any version >= 1.21; it fetches the pinned toolchain',
      `  ${GO_TOOLCHAIN} itself through GOTOOLCHAIN). Install it, then run this again:`,
      '    Debian/Ubuntu: sudo apt-get install golang-go     macOS: brew install go',
      '    elsewhere:     https://go.dev/doc/install',
      '  Or build on another machine and copy the two binaries into .tools/bin/:',
      ...BINARIES.map(
        (b) =>
          `    GOTOOLCHAIN=${GO_TOOLCHAIN} GOBIN=$PWD/.tools/bin go install ${b.pkg}@v${SERVER_VERSION}  (then: ln -s ${b.built} .tools/bin/${b.name})`,
      ),
      '  The embedded dev server (`npm start`) does not need any of this.',
    ].join('\n'),
  );
}

export function installTemporalCluster() {
  fs.mkdirSync(BIN, { recursive: true });
  const todo = [];
  for (const b of BINARIES) {
    const have = version(path.join(BIN, b.name));
    if (have === SERVER_VERSION) log(`${b.name}: ${SERVER_VERSION} already in .tools/bin`);
    else if (version(path.join(BIN, b.built)) === SERVER_VERSION) {
      linkBuilt(b); // built earlier by hand into .tools/bin under go's own name
      log(`${b.name}: linked to the ${SERVER_VERSION} build .tools/bin/${b.built}`);
    } else todo.push(b);
  }
  if (todo.length === 0) return true;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    goMissing(go.error?.code === 'ENOENT' ? '`go` is not on PATH' : `\`go version\` failed: ${go.stderr}`);
    return false;
  }
  for (const b of todo) {
    const started = Date.now();
    log(`building ${b.pkg}@v${SERVER_VERSION} with ${GO_TOOLCHAIN} (the server takes about 7 minutes on 2 cores) ...`);
    const r = spawnSync('go', ['install', `${b.pkg}@v${SERVER_VERSION}`], {
      stdio: 'inherit',
      env: { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: BIN },
    });
    if (r.error || r.status !== 0) {
      console.error(`${PREFIX} go install ${b.pkg}@v${SERVER_VERSION} failed (exit ${r.status ?? r.error?.message}); see the output above`);
      return false;
    }
    linkBuilt(b);
    const got = version(path.join(BIN, b.name));
    if (got !== SERVER_VERSION) {
      console.error(`${PREFIX} ${b.name} reports version ${got ?? '(none)'}, expected ${SERVER_VERSION}`);
      return false;
    }
    log(`${b.name}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = installTemporalCluster() ? 0 : 1;
}
