// `hearken policy explain --post post.json`: what the service would do with
// one post, through the worker's own assess(). Durations are shown as
// written in the pack, deadlines in the calendar's time zone, reply texts
// rendered as the customer would read them.
import type { Post } from '../shared/post';
import { assess, type Assessment } from '../policy/engine/assess';
import { renderTemplate } from '../policy/engine/render';
import type { Plan, Step } from '../shared/plan';
import { isObject } from '../util/is-object';
import {
  CliError,
  EXIT,
  formatJsonProblem,
  inZone,
  openPack,
  parseInstant,
  parseJson,
  policiesDir,
  postProblems,
  printJson,
  readInput,
  zoneOfIso,
} from './common';

export interface ExplainOptions {
  post?: string;
  policies?: string;
  now?: string;
  /** A crisis id: why it opened, and with --post what its overlay does to the post. */
  crisis?: string;
  /** With --crisis: these topic words instead of the crisis's own (no Temporal needed). */
  topic?: string;
}

export async function explain(opts: ExplainOptions): Promise<number> {
  if (opts.post === undefined && opts.crisis === undefined)
    throw new CliError('explain needs --post <file>, --crisis <id>, or both', EXIT.usage);
  const now = opts.now === undefined ? undefined : parseInstant(opts.now, '--now');
  const post = opts.post === undefined ? undefined : await readPost(opts.post, now);
  const { pack, compiled, triage } = await openPack(policiesDir(opts.policies));
  if (opts.crisis !== undefined) {
    const { explainCrisis } = await import('./crisis-explain');
    printJson(await explainCrisis(pack, compiled, opts.crisis, { post, topic: opts.topic, triage, explainAssessment }));
    return EXIT.ok;
  }
  printJson(explainAssessment(assess(pack, compiled, post!, triage), post!));
  return EXIT.ok;
}

/** The post in `file`, validated against the post schema; every problem names its field. */
async function readPost(file: string, now: string | undefined): Promise<Post> {
  const name = file === '-' ? '<stdin>' : file;
  const parsed = parseJson(await readInput(file));
  if (!parsed.ok) throw new CliError(formatJsonProblem(name, parsed));
  const value = parsed.value;
  if (now !== undefined && isObject(value)) {
    (value as { createdAt?: string }).createdAt = now;
  }
  const problems = postProblems(value);
  if (problems.length > 0) {
    throw new CliError(`${name} is not a valid post (see schemas/post.schema.json):\n${problems.map((p) => `  ${name}: ${p}`).join('\n')}`);
  }
  return value as Post;
}

export interface Explanation {
  triage: Assessment['triage'];
  policy: { id: string; version: string; priority: number } | null;
  candidates: Plan['candidates'];
  steps: ExplainedStep[];
  deadlines: Plan['deadlines'];
  calendar: { id: string; timezone: string } | null;
  commitments: Record<string, string>;
  onBreach: ExplainedStep[];
}

type ExplainedStep = Record<string, unknown> & { kind: Step['kind'] };

/** The JSON `explain` prints; `policy` is null when no policy matched (the post is then ignored). */
export function explainAssessment({ triage, plan }: Assessment, post: Post): Explanation {
  const matched = plan.candidates.length > 0;
  // Without a calendar, show instants the way the post's createdAt was written.
  const zone = plan.calendar?.timezone ?? zoneOfIso(post.createdAt);
  const deadlines: Plan['deadlines'] = {};
  for (const [name, iso] of Object.entries(plan.deadlines)) deadlines[name as keyof Plan['deadlines']] = inZone(iso, zone);
  const render = (text: string): string =>
    renderTemplate(text, {
      author: post.author,
      deadlines: plan.deadlines,
      timezone: plan.calendar?.timezone ?? 'UTC',
      language: plan.language,
    });
  const describe = (steps: Step[]): ExplainedStep[] => steps.map((s) => describeStep(s, render, describe));
  return {
    triage,
    policy: matched ? { id: plan.policy.id, version: plan.policy.version, priority: plan.policy.priority } : null,
    candidates: plan.candidates,
    steps: describe(plan.steps),
    deadlines,
    calendar: plan.calendar ? { id: plan.calendar.id, timezone: plan.calendar.timezone } : null,
    commitments: Object.fromEntries(Object.entries(plan.commitments).map(([name, d]) => [name, d.source])),
    onBreach: describe(plan.onBreach),
  };
}

function describeStep(step: Step, render: (text: string) => string, describe: (steps: Step[]) => ExplainedStep[]): ExplainedStep {
  switch (step.kind) {
    case 'ignore':
    case 'notify':
      return { ...step };
    case 'interimReply':
    case 'reply':
      return { kind: step.kind, template: step.template, text: render(step.text) };
    case 'escalate':
      return {
        kind: step.kind,
        team: step.team,
        decideWithin: step.decideWithin.source,
        ...(step.draftText !== undefined ? { draft: render(step.draftText) } : {}),
        ...(step.remindAt !== undefined ? { remindAt: `${Math.round(step.remindAt * 10_000) / 100}%` } : {}),
        onTimeout: describe(step.onTimeout),
      };
    case 'followUp':
      return {
        kind: step.kind,
        after: step.after.source,
        ...(step.template !== undefined ? { template: step.template } : {}),
        ...(step.text !== undefined ? { text: render(step.text) } : {}),
        ...(step.team !== undefined ? { team: step.team } : {}),
        ...(step.unless !== undefined ? { unless: step.unless } : {}),
      };
  }
}
