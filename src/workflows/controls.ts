// The pause switch, held in Temporal: one long-lived workflow (fixed id
// CONTROLS_WORKFLOW_ID) whose state is the pauses in force, changed only by
// Updates whose validators admit leads and admins. Why a workflow: the switch
// must outlive every process (SIGKILL, restarts), be the same for every worker
// on every host, and carry who changed it and when; Temporal already is the
// system of record, so no second store is needed.
//
// The publish path reads the pauses from this workflow's memo (describe: the
// server answers it, no worker involved), cached per worker for at most
// PAUSE_READ_TTL_MS. An interaction whose reply was held registers here
// (`held` signal); a resume tells exactly those interactions what the lead
// decided, from here, durably. A registration that arrives after its pause
// was lifted (the interaction read the switch just before the resume) gets
// that resume's decision at once, so nothing waits forever.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  makeContinueAsNewFunc,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import { CONTROL_ROLES, scopeKey, type Actor, type HeldDecision, type Pause, type PauseScope, type PauseState } from '../shared/controls';
import { ErrorType } from '../shared/errors';
import {
  controlsQuery,
  erasureUpdate,
  heldDecisionSignal,
  heldSignal,
  pauseUpdate,
  resumeUpdate,
  type ControlsLogEntry,
  type HeldDecisionInput,
} from './controls-messages';

export interface ControlsState {
  version: number;
  nextPause: number;
  nextErasure: number;
  pauses: Pause[];
  /** Pause id → the interactions whose replies wait under it. */
  waiting: Record<string, string[]>;
  /** Lifted pauses and what was decided (the latest KEEP_RESUMED), for late registrations. */
  resumed: Array<{ pauseId: string; decision: HeldDecision; by: Actor; note?: string }>;
  log: ControlsLogEntry[];
  erasures: number;
  /** Decisions not yet signalled to their interactions. */
  deliveries: Array<{ interactionId: string; signal: HeldDecisionInput }>;
  runs: number;
}

export interface ControlsInput {
  /** Set by continue-as-new. */
  carried?: ControlsState;
  /** History length at which it continues as new (default 10,000; tests use less). */
  maxHistoryEvents?: number;
}

const KEEP_LOG = 200;
const KEEP_RESUMED = 500;
const MAX_EVENTS = 10_000;
const SIGNAL_BATCH = 50;

export async function controls(input: ControlsInput = {}): Promise<void> {
  const s: ControlsState = input.carried ?? {
    ...{ version: 0, nextPause: 0, nextErasure: 0, pauses: [], waiting: {}, resumed: [], log: [], erasures: 0, deliveries: [] },
    runs: 0,
  };
  const now = () => new Date(Date.now()).toISOString();
  const memo = () => ({ pauses: { version: s.version, pauses: s.pauses } satisfies PauseState });
  const changed = () => {
    s.version++;
    upsertMemo(memo());
  };
  const log = (entry: ControlsLogEntry) => {
    s.log.push(entry);
    if (s.log.length > KEEP_LOG) s.log.splice(0, s.log.length - KEEP_LOG);
  };

  setHandler(
    pauseUpdate,
    ({ scope, note, actor }) => {
      const key = scopeKey(scope);
      const existing = s.pauses.find((p) => p.key === key);
      if (existing) return { pause: existing, alreadyPaused: true };
      const pause: Pause = { id: `p${++s.nextPause}`, scope, key, since: now(), by: actor, ...(note ? { note } : {}) };
      s.pauses.push(pause);
      s.waiting[pause.id] = [];
      log({ at: pause.since, type: 'paused', actor, pauseId: pause.id, scope: key, ...(note ? { note } : {}) });
      changed();
      return { pause, alreadyPaused: false };
    },
    { validator: ({ scope, actor }) => (allowed(actor), checkScope(scope)) },
  );

  setHandler(
    resumeUpdate,
    ({ scope, all, decision, note, actor }) => {
      const lifted = all ? [...s.pauses] : s.pauses.filter((p) => scope && p.key === scopeKey(scope));
      s.pauses = s.pauses.filter((p) => !lifted.includes(p));
      const at = now();
      const resumed = lifted.map((pause) => {
        const ids = s.waiting[pause.id] ?? [];
        delete s.waiting[pause.id];
        const signal: HeldDecisionInput = { pauseId: pause.id, decision, by: actor, via: 'resume', ...(note ? { note } : {}) };
        s.deliveries.push(...ids.map((interactionId) => ({ interactionId, signal })));
        s.resumed.push({ pauseId: pause.id, decision, by: actor, ...(note ? { note } : {}) });
        log({
          at,
          type: 'resumed',
          actor,
          pauseId: pause.id,
          scope: pause.key,
          decision,
          interactions: ids.length,
          ...(note ? { note } : {}),
        });
        return { pause, interactions: ids.length };
      });
      if (s.resumed.length > KEEP_RESUMED) s.resumed.splice(0, s.resumed.length - KEEP_RESUMED);
      changed();
      return { decision, resumed };
    },
    {
      validator: ({ scope, all, decision, actor }) => {
        allowed(actor);
        if (decision !== 'release' && decision !== 'discard') fail(ErrorType.InvalidDecision, 'decision: must be release or discard');
        if (all) {
          if (s.pauses.length === 0) fail(ErrorType.NothingPaused, 'nothing is paused');
          return;
        }
        if (!scope) fail(ErrorType.InvalidDecision, 'scope: resume needs a scope, or all');
        checkScope(scope);
        if (!s.pauses.some((p) => p.key === scopeKey(scope))) fail(ErrorType.NothingPaused, `${scopeKey(scope)} is not paused`);
      },
    },
  );

  setHandler(heldSignal, ({ interactionId, pauseId }) => {
    const waiting = s.waiting[pauseId];
    if (waiting) {
      if (!waiting.includes(interactionId)) waiting.push(interactionId);
      return;
    }
    // Lifted before this registration arrived: the interaction gets that decision now.
    const r = s.resumed.find((x) => x.pauseId === pauseId);
    const signal: HeldDecisionInput = r
      ? { pauseId, decision: r.decision, by: r.by, via: 'resume', ...(r.note ? { note: r.note } : {}) }
      : // Forgotten (older than KEEP_RESUMED resumes): release, which checks the switch as it is now.
        { pauseId, decision: 'release', by: { name: 'hearken', role: 'admin', via: 'api' }, via: 'resume', note: 'pause long lifted' };
    s.deliveries.push({ interactionId, signal });
  });

  setHandler(
    erasureUpdate,
    ({ actor, ...erasure }) => {
      const id = `e${++s.nextErasure}`;
      s.erasures++;
      log({ at: now(), type: 'erased', actor, erasure: { id, ...erasure } });
      return { erasureId: id };
    },
    { validator: ({ actor }) => allowed(actor) },
  );

  setHandler(controlsQuery, () => ({
    version: s.version,
    pauses: s.pauses.map((p) => ({ ...p, waitingInteractions: s.waiting[p.id]?.length ?? 0 })),
    log: s.log,
    erasures: s.erasures,
  }));

  const tooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.maxHistoryEvents ?? MAX_EVENTS);
  for (;;) {
    await condition(() => s.deliveries.length > 0 || tooLong());
    while (s.deliveries.length > 0 && !tooLong()) {
      await Promise.all(s.deliveries.splice(0, SIGNAL_BATCH).map(deliver));
    }
    if (tooLong()) {
      await condition(allHandlersFinished);
      // The memo goes along, so the publish path never sees a run without it.
      return makeContinueAsNewFunc<typeof controls>({ memo: memo() })({ ...input, carried: { ...s, runs: s.runs + 1 } });
    }
  }
}

async function deliver(d: { interactionId: string; signal: HeldDecisionInput }): Promise<void> {
  try {
    await getExternalWorkflowHandle(d.interactionId).signal(heldDecisionSignal, d.signal);
  } catch {
    // Closed, or erased meanwhile: nothing waits there any more.
  }
}

function allowed(actor: Actor | undefined): void {
  if (!actor?.name || !CONTROL_ROLES.includes(actor.role)) {
    fail(
      ErrorType.NotAllowed,
      `${actor?.name ?? 'nobody'} (${actor?.role ?? 'no role'}) may not change the pause switch: leads and admins do`,
    );
  }
}

function checkScope(scope: PauseScope | undefined): void {
  const ok =
    scope?.kind === 'global' ||
    (scope?.kind === 'channel' && !!scope.channel) ||
    (scope?.kind === 'account' && !!scope.channel && !!scope.handle);
  if (!ok) fail(ErrorType.InvalidDecision, 'scope: global, a channel, or an account on a channel');
}

function fail(type: ErrorType, message: string): never {
  throw ApplicationFailure.create({ type, message });
}
