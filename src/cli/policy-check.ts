// `hearken policy check [dir]`: the pack's validity for a care lead's branch
// and for CI. stdout carries exactly one `file:line:col: message` line per
// error, so editors and CI annotations can parse it; warnings go to stderr.
import { formatPackError, loadPack } from '../policy/pack/load-pack';
import { displayPath, EXIT, plural, policiesDir } from './common';

/** `[dir]` as given on the command line; undefined for the default folder. */
export async function check(given: string | undefined): Promise<number> {
  const dir = policiesDir(given);
  const result = await loadPack(dir);
  if (!result.ok) {
    for (const e of result.errors) process.stdout.write(`${formatPackError(e)}\n`);
    process.stderr.write(`${displayPath(dir)}: ${plural(result.errors.length, 'error')}; the pack does not load\n`);
    return EXIT.failed;
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${formatPackError(w)}\n`);
  const { pack } = result;
  const n = pack.policies.length;
  process.stdout.write(`ok: ${n} ${n === 1 ? 'policy' : 'policies'}, version ${pack.version.id}\n`);
  return EXIT.ok;
}
