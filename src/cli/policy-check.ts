// `hearken policy check [dir]`: the pack's validity for a care lead's branch
// and for CI. stdout carries exactly one `file:line:col: message` line per
// error, so editors and CI annotations can parse it; warnings go to stderr.
import type { Command } from 'commander';
import { formatPackError, loadPack } from '../policy/load-pack';
import { displayPath, EXIT, plural, policiesDir } from './common';

export function registerCheck(policy: Command): void {
  policy
    .command('check')
    .description('validate a policy pack: exit 0 when it loads, else one file:line:col: message line per error')
    .argument('[dir]', 'the pack folder (default: $HEARKEN_POLICIES_DIR or ./policies)')
    .action(async (dir: string | undefined) => {
      process.exitCode = await check(policiesDir(dir));
    });
}

export async function check(dir: string): Promise<number> {
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
