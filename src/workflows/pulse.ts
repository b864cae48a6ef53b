// The pulse of one brand: a long-lived workflow (id `pulse:<brand>`) that
// merges the per-minute counts feeders send (pulseBatch signals, a few
// seconds apart per capturing process), runs the spike detector on every
// completed minute and opens a crisis after a sustained alarm. Leads and
// admins acknowledge and close crises through Updates whose validators
// check the caller. The crisis in force is in the memo, so the assessment
// reads it without a worker (describe). It continues as new before its
// history grows long, carrying the counts, baseline and crises.
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CONTROL_ROLES } from '../shared/controls';
import { ErrorType } from '../shared/errors';
import { minuteIso, topKeys, type Crisis, type CrisisActor } from '../shared/pulse';
import {
  acknowledgeCrisisUpdate,
  closeCrisisUpdate,
  pulseBatchSignal,
  pulseQuery,
  type CrisisActionInput,
  type PulseView,
} from './pulse-messages';
import { acknowledge, activeMemo, close, ingest, initialPulseState, refuseAction, type PulseState } from './pulse-state';

export interface PulseInput {
  brand: string;
  /** Set by continue-as-new. */
  carried?: PulseState;
  /** History length at which it continues as new (default 10,000; tests use less). */
  maxHistoryEvents?: number;
}

const MAX_EVENTS = 10_000;

const { notifyTeam } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

export async function pulse(input: PulseInput): Promise<void> {
  const s: PulseState = input.carried ?? initialPulseState(input.brand);
  const toNotify: Crisis[] = [];
  const memo = () => ({ crisis: activeMemo(s) });
  const publish = () => upsertMemo(memo());

  setHandler(pulseBatchSignal, (batch) => {
    const opened = ingest(s, batch, Date.now());
    if (opened) {
      toNotify.push(opened);
      publish();
    }
  });

  const validator = (action: 'acknowledge' | 'close') => (a: CrisisActionInput) => {
    allowed(a.actor);
    const why = refuseAction(s, a.crisisId, action);
    if (why)
      throw ApplicationFailure.create({
        type: why.startsWith('no crisis') ? ErrorType.NoSuchCrisis : ErrorType.CrisisSettled,
        message: why,
      });
  };
  setHandler(
    acknowledgeCrisisUpdate,
    (a) => {
      const c = acknowledge(s, a.crisisId, a.actor, Date.now(), a.note, a.topic);
      publish();
      return c;
    },
    { validator: validator('acknowledge') },
  );
  setHandler(
    closeCrisisUpdate,
    (a) => {
      const c = close(s, a.crisisId, a.actor, Date.now(), a.note);
      publish();
      return c;
    },
    { validator: validator('close') },
  );
  setHandler(pulseQuery, () => view(s));

  const tooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? MAX_EVENTS);
  for (;;) {
    await condition(() => toNotify.length > 0 || tooLong());
    while (toNotify.length > 0) await tell(s, toNotify.shift()!);
    if (tooLong()) {
      await condition(allHandlersFinished);
      return makeContinueAsNewFunc<typeof pulse>({ memo: memo() })({ ...input, carried: { ...s, runs: s.runs + 1 } });
    }
  }
}

/** Tells the crisis team (pulse.yaml `crisis.team`); a notification that fails every attempt is noted on the crisis. */
async function tell(s: PulseState, crisis: Crisis): Promise<void> {
  const team = s.settings?.team;
  if (!team) return;
  const a = crisis.alarm;
  const message =
    `Possible crisis ${crisis.id}: ${a.volume} posts in ${a.windowMinutes} min (usual ${a.volumeStats?.median ?? '?'}, z ${a.zVolume}), ` +
    `${Math.round(a.negativeShare * 100)} % negative (usual ${Math.round((a.shareStats?.median ?? 0) * 100)} %, z ${a.zNegativeShare}). ` +
    `Topic: ${crisis.topic.join(', ') || 'unknown'}. Acknowledge or close: POST /v1/crises/${crisis.id}/acknowledge | /close`;
  try {
    await CancellationScope.nonCancellable(() =>
      notifyTeam({
        interactionId: `pulse:${s.brand}`,
        team,
        kind: 'crisis.opened',
        message,
        idempotencyKey: `pulse:${s.brand}/${crisis.id}/opened`,
      }),
    );
  } catch (err) {
    crisis.notes.push({
      at: new Date(Date.now()).toISOString(),
      by: { name: 'hearken', role: 'system' },
      note: `could not notify team ${team}: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

function view(s: PulseState): PulseView {
  return {
    brand: s.brand,
    settings: s.settings,
    minutes: s.detail.map((d) => ({
      at: minuteIso(d.m),
      posts: d.n,
      negative: d.neg,
      addressed: d.addressed,
      intents: d.intents,
      topTerms: topKeys(d.terms, 10),
      topHashtags: topKeys(d.hashtags, 10),
    })),
    series: s.series.map(([m, n, neg]) => [minuteIso(m), n, neg]),
    baselineSamples: s.baseline.length,
    streak: s.streak,
    lastEvaluation: s.lastEvaluation,
    crises: s.crises,
  };
}

function allowed(actor: CrisisActor | undefined): void {
  if (!actor?.name || !CONTROL_ROLES.includes(actor.role)) {
    throw ApplicationFailure.create({
      type: ErrorType.NotAllowed,
      message: `${actor?.name ?? 'nobody'} (${actor?.role ?? 'no role'}) may not acknowledge or close a crisis: leads and admins do`,
    });
  }
}
