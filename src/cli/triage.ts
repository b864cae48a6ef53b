// `hearken triage [file.jsonl]`: the worker's triage over many posts, one
// JSON line out per post in, in order. A bad line answers with an error line
// in its place (so output stays aligned with input) and never stops the run.
import type { Command } from 'commander';
import { triageFor } from '../policy/assess';
import { EXIT, openPack, policiesDir, readJsonlPosts, writeLine } from './common';

interface TriageOptions {
  policies?: string;
}

export function registerTriage(program: Command): void {
  program
    .command('triage')
    .description('triage normalized posts (JSONL, one post per line) and print one JSON line per post')
    .argument('[file]', 'a JSONL file of normalized posts (default: stdin)')
    .option('--policies <dir>', 'the pack folder, for our accounts and brand names (default: $HEARKEN_POLICIES_DIR or ./policies)')
    .action(async (file: string | undefined, opts: TriageOptions) => {
      process.exitCode = await triage(file, opts);
    });
}

async function triage(file: string | undefined, opts: TriageOptions): Promise<number> {
  const { pack } = await openPack(policiesDir(opts.policies));
  if ((file === undefined || file === '-') && process.stdin.isTTY) process.stderr.write('reading posts from stdin (one JSON object per line; Ctrl-D ends)\n');
  let malformed = 0;
  for await (const item of readJsonlPosts(file)) {
    if ('error' in item) {
      malformed++;
      await writeLine(JSON.stringify({ line: item.line, error: item.error }));
      continue;
    }
    const t = triageFor(pack, item.post);
    await writeLine(
      JSON.stringify({
        id: item.post.id,
        language: t.language,
        addressedToUs: t.addressedToUs,
        relevant: t.relevant,
        intent: t.intent,
        sentiment: { score: t.sentiment.score, label: t.sentiment.label },
        reach: t.reach,
        risk: t.risk,
      }),
    );
  }
  return malformed > 0 ? EXIT.failed : EXIT.ok;
}
