// `hearken policy explain --crisis <id> [--post file]`: why a crisis opened
// (the detector's evaluation, in sentences), the overlay in force while it
// is open, and with a post what the overlay changes: the plan without it and
// under it, through the same selection code as the worker.
import type { Post } from '../shared/post';
import type { ActiveCrisis, Crisis } from '../shared/pulse';
import { assess, type Assessment, type TriageSettings } from '../policy/engine/assess';
import type { CompiledPolicy } from '../policy/engine/select';
import type { PolicyPack } from '../policy/types';
import { brandKey } from '../pulse/brand';
import { alarmReasons } from '../pulse/explain';
import { planUnderCrisis } from '../pulse/overlay';
import { readPulse } from '../client/crises';
import { CliError } from './errors';
import { connectTemporal } from './temporal-client';

export async function explainCrisis(
  pack: PolicyPack,
  compiled: readonly CompiledPolicy[],
  crisisId: string,
  opts: {
    post: Post | undefined;
    topic: string | undefined;
    triage: TriageSettings;
    /** policy-explain's explainAssessment (passed in: this module is loaded by it). */
    explainAssessment: (a: Assessment, post: Post) => object;
  },
): Promise<Record<string, unknown>> {
  const { explainAssessment } = opts;
  const crisis = opts.topic !== undefined ? null : await readCrisis(pack, crisisId);
  const active: ActiveCrisis = {
    id: crisisId,
    status: crisis?.status === 'acknowledged' ? 'acknowledged' : 'open',
    topic:
      opts.topic !== undefined
        ? opts.topic
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean)
        : crisis!.topic,
    openedAt: crisis?.openedAt ?? new Date().toISOString(),
  };
  const out: Record<string, unknown> = {
    crisis: crisis
      ? {
          id: crisis.id,
          status: crisis.status,
          openedAt: crisis.openedAt,
          topic: crisis.topic,
          acknowledgedBy: crisis.acknowledgedBy ?? null,
          closedAt: crisis.closedAt ?? null,
        }
      : { id: crisisId, topic: active.topic, note: 'topic from --topic; the crisis itself was not read' },
    ...(crisis && pack.pulse ? { why: alarmReasons(crisis.alarm, pack.pulse), alarm: crisis.alarm } : {}),
    overlay: pack.crisisOverlay
      ? {
          version: pack.crisisOverlay.version,
          policies: pack.crisisOverlay.policies.map((p) => ({ id: p.id, priority: p.priority, description: p.description ?? null })),
        }
      : null,
  };
  if (crisis?.status === 'closed') out.note = 'the crisis is closed: its overlay no longer applies; shown as if it were open';
  if (opts.post) {
    const normal = assess(pack, compiled, opts.post, opts.triage);
    const under = planUnderCrisis(pack, opts.post, normal.triage, active);
    out.post = {
      withoutOverlay: explainAssessment(normal, opts.post),
      underOverlay: under ? { ...explainAssessment(under, opts.post), overlay: under.plan.overlay } : null,
      effect: under
        ? `overlay policy ${under.plan.policy.id} replaces ${normal.plan.policy.id}`
        : 'no overlay policy matches: the normal policy decides',
    };
  }
  return out;
}

async function readCrisis(pack: PolicyPack, id: string): Promise<Crisis> {
  const t = await connectTemporal();
  try {
    const view = await readPulse(t.client, brandKey(pack));
    const crisis = view?.crises.find((c) => c.id === id);
    if (!crisis) throw new CliError(`no crisis ${id} in the pulse of brand ${brandKey(pack)} (GET /v1/crises lists them)`);
    return crisis;
  } finally {
    await t.close();
  }
}
