// Imported first by every entry point (npm start, worker, api, bench, the CLI):
// on a Node older than 22 it stops at once with one line saying what to do,
// instead of failing somewhere deep inside a dependency.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Hearken needs Node.js 22 LTS or newer, this is ${process.version}: install Node 22 (see .nvmrc), ` +
      'or on a machine without nodejs.org run: export PATH="$(bash scripts/node22.sh):$PATH"',
  );
  process.exit(1);
}
