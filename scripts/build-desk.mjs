// Builds the care desk page (desk/) into dist/desk: one bundled, minified
// script plus the static HTML and CSS. Runs in npm install (postinstall), so
// the API process only serves files; tests call buildDesk() to serve what the
// sources say now. esbuild: one small, well-kept tool, no framework.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'desk');
const out = path.join(root, 'dist', 'desk');

export async function buildDesk() {
  fs.mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(src, 'main.ts')],
    outfile: path.join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'desk.css', 'favicon.svg']) fs.copyFileSync(path.join(src, file), path.join(out, file));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = await buildDesk();
  console.log(`care desk built into ${path.relative(root, dir)}`);
}
