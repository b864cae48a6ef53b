// Resolves the winning policy into a Plan: plain data the workflow executes
// with no access to policy files. Templates are resolved to the variant of
// the post's language, durations parsed, fixed deadlines computed.
import type { Post } from '../../shared/post';
import { addDuration } from './calendar';
import { parseDuration, parsePercent } from './duration';
import type { PolicyPack, PolicySpec, StepSpec } from '../types';
import type { CommitmentName, Duration, Plan, Step } from '../../shared/plan';
import type { Triage } from '../../shared/triage';

/** The variant for `language`, else the first one listed. */
export function pickVariant(variants: Record<string, string>, language: string): string {
  const exact = variants[language] ?? variants[language.split('-')[0] ?? ''];
  if (exact !== undefined) return exact;
  const first = Object.values(variants)[0];
  if (first === undefined) throw new Error('template has no variants');
  return first;
}

function templateText(pack: PolicyPack, id: string, language: string): string {
  const variants = pack.templates[id];
  // The loader rejects unknown templates; this guards a pack built by hand.
  if (!variants) throw new Error(`unknown template "${id}"`);
  return pickVariant(variants, language);
}

export function resolveSteps(pack: PolicyPack, specs: StepSpec[], language: string): Step[] {
  return specs.map((spec): Step => {
    if ('ignore' in spec) return { kind: 'ignore', reason: spec.ignore.reason };
    if ('interimReply' in spec) {
      const t = spec.interimReply.template;
      return { kind: 'interimReply', template: t, text: templateText(pack, t, language) };
    }
    if ('reply' in spec) return { kind: 'reply', template: spec.reply.template, text: templateText(pack, spec.reply.template, language) };
    if ('escalate' in spec) {
      const e = spec.escalate;
      return {
        kind: 'escalate',
        team: e.team,
        decideWithin: parseDuration(e.decideWithin),
        ...(e.draft !== undefined ? { draftText: templateText(pack, e.draft, language) } : {}),
        ...(e.remindAt !== undefined ? { remindAt: parsePercent(e.remindAt) } : {}),
        onTimeout: resolveSteps(pack, e.onTimeout ?? [], language),
      };
    }
    if ('followUp' in spec) {
      const f = spec.followUp;
      return {
        kind: 'followUp',
        after: parseDuration(f.after),
        ...(f.template !== undefined ? { template: f.template, text: templateText(pack, f.template, language) } : {}),
        ...(f.team !== undefined ? { team: f.team } : {}),
        ...(f.unless !== undefined ? { unless: f.unless } : {}),
      };
    }
    return { kind: 'notify', team: spec.notify.team, ...(spec.notify.message !== undefined ? { message: spec.notify.message } : {}) };
  });
}

const COMMITMENTS: CommitmentName[] = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'];

export function buildPlan(
  pack: PolicyPack,
  policy: PolicySpec | null,
  candidates: Array<{ id: string; priority: number }>,
  post: Post,
  triage: Triage,
): Plan {
  const language = triage.language;
  if (!policy) {
    return {
      policy: { id: '(none)', version: pack.version.id, priority: Number.MIN_SAFE_INTEGER },
      candidates,
      calendar: null,
      commitments: {},
      onBreach: [],
      deadlines: {},
      steps: [{ kind: 'ignore', reason: 'no-policy-matched' }],
      language,
      teams: {},
      periodicUpdateText: null,
    };
  }
  const calendar = policy.calendar ? (pack.calendars[policy.calendar] ?? null) : null;
  const commitments: Partial<Record<CommitmentName, Duration>> = {};
  for (const name of COMMITMENTS) {
    const text = policy.commitments?.[name];
    if (text !== undefined) commitments[name] = parseDuration(text);
  }
  // Clocks start when the customer posted, not when we captured it.
  const createdAt = new Date(post.createdAt);
  const deadlines: Plan['deadlines'] = {};
  for (const name of ['firstResponse', 'resolution'] as const) {
    const d = commitments[name];
    if (d) deadlines[name] = addDuration(d, createdAt, calendar).toISOString();
  }
  // Team ids and calendars only: a webhook is a secret and the plan is stored
  // in the workflow's history; the notify activity looks it up when it sends.
  const teams: Plan['teams'] = {};
  for (const [id, team] of Object.entries(pack.teams)) {
    teams[id] = team.calendar ? { calendar: team.calendar } : {};
  }
  const warnAt = policy.commitments?.warnAt;
  return {
    policy: {
      id: policy.id,
      version: pack.version.id,
      priority: policy.priority,
      ...(policy.description ? { description: policy.description } : {}),
    },
    candidates,
    calendar,
    commitments,
    onBreach: resolveSteps(pack, policy.commitments?.onBreach ?? [], language),
    deadlines,
    steps: resolveSteps(pack, policy.steps, language),
    ...(warnAt !== undefined ? { warnAt: parsePercent(warnAt) } : {}),
    ...(policy.thirdPartyPosts === 'asCustomer' ? { thirdPartyPosts: 'asCustomer' as const } : {}),
    language,
    teams,
    periodicUpdateText: pack.templates['periodic-update'] ? pickVariant(pack.templates['periodic-update'], language) : null,
  };
}
