// `hearken triage [file.jsonl]`: the worker's rules triage over many posts,
// one JSON line out per post in, in order. It never asks the classifier hook
// (HEARKEN_CLASSIFIER_URL): CLI output stays offline and repeatable. A bad line answers with an error line
// in its place (so output stays aligned with input) and never stops the run;
// blank lines are not posts and get no line.
import { triageFor } from '../policy/engine/assess';
import { EXIT, openPack, policiesDir, readJsonlPosts, writeLine } from './common';

export interface TriageOptions {
  policies?: string;
}

export async function triage(file: string | undefined, opts: TriageOptions): Promise<number> {
  const { pack, triage: settings } = await openPack(policiesDir(opts.policies));
  if ((file === undefined || file === '-') && process.stdin.isTTY)
    process.stderr.write('reading posts from stdin (one JSON object per line; Ctrl-D ends)\n');
  let malformed = 0;
  for await (const item of readJsonlPosts(file)) {
    if ('error' in item) {
      malformed++;
      await writeLine(JSON.stringify({ line: item.line, error: item.error }));
      continue;
    }
    const t = triageFor(pack, item.post, settings);
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
