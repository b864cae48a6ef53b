// Messages of the pause switch: the controls workflow's updates, query and
// signals, and the held-reply messages of the interaction workflow. Shared by
// the workflows, the API and the CLI. Type-level and `define*` calls only:
// safe in the workflow bundle.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, HeldDecision, Pause, PauseScope } from '../shared/controls';

export interface PauseInput {
  scope: PauseScope;
  note?: string;
  actor: Actor;
}

export interface PauseResult {
  pause: Pause;
  /** The scope was paused already: nothing changed (pausing twice is harmless). */
  alreadyPaused: boolean;
}

export interface ResumeInput {
  /** The scope to resume; with `all`, every pause. */
  scope?: PauseScope;
  all?: boolean;
  /** What happens to the automatic replies that waited under the resumed pause(s). */
  decision: HeldDecision;
  note?: string;
  actor: Actor;
}

export interface ResumeResult {
  decision: HeldDecision;
  /** Each pause lifted, with the number of interactions whose replies waited under it. */
  resumed: Array<{ pause: Pause; interactions: number }>;
}

/**
 * A customer's data erased (`hearken customer forget`): who, when, how many.
 * Nothing that identifies the customer, not even a hash of their id: the
 * erasure's id (`e1`, …) is the receipt the CLI prints.
 */
export interface ErasureInput {
  actor: Actor;
  interactions: number;
  runs: number;
  outboxLines: number;
  notificationLines: number;
  durationMs: number;
}

export interface ControlsLogEntry {
  at: string;
  type: 'paused' | 'resumed' | 'erased';
  actor: Actor;
  pauseId?: string;
  scope?: string;
  decision?: HeldDecision;
  note?: string;
  /** resumed: interactions whose replies waited. */
  interactions?: number;
  erasure?: Omit<ErasureInput, 'actor'> & { id: string };
}

export interface ControlsView {
  version: number;
  pauses: Array<Pause & { waitingInteractions: number }>;
  /** The latest changes, newest last (at most 200; the workflow's history has all of them). */
  log: ControlsLogEntry[];
  erasures: number;
}

/** An interaction tells the switch that a reply of it waits under `pauseId`. */
export interface HeldRegistration {
  interactionId: string;
  pauseId: string;
}

/** The switch (on resume) or a lead (one interaction) tells an interaction what to do with what waits. */
export interface HeldDecisionInput {
  /** Only the replies held under this pause; absent: every reply that waits. */
  pauseId?: string;
  decision: HeldDecision;
  by: Actor;
  note?: string;
  /** `resume` (the switch was lifted) or `decision` (a lead decided this interaction). */
  via: 'resume' | 'decision';
}

export interface HeldDecisionResult {
  decision: HeldDecision;
  replies: number;
}

/** An automatic reply that waited because publishing was paused (in the interaction's state). */
export interface HeldRecord {
  /** `<stepPath>#<n>`: a reply released into a new pause waits again under a new id. */
  id: string;
  kind: 'interimReply' | 'reply' | 'followUp' | 'periodicUpdate';
  stepPath: string;
  postId: string;
  /** The template (rendered when it is released). */
  text: string;
  pause: Pause;
  heldAt: string;
  status: 'held' | 'released' | 'discarded' | 'superseded';
  decidedAt?: string;
  decidedBy?: Actor;
  via?: HeldDecisionInput['via'];
  note?: string;
  /** Why a reply that waited will never be sent without a decision (takeover, the escalation it updated ended). */
  reason?: string;
}

export const pauseUpdate = defineUpdate<PauseResult, [PauseInput]>('pause');
export const resumeUpdate = defineUpdate<ResumeResult, [ResumeInput]>('resume');
export const erasureUpdate = defineUpdate<{ erasureId: string }, [ErasureInput]>('recordErasure');
export const controlsQuery = defineQuery<ControlsView>('controls');
export const heldSignal = defineSignal<[HeldRegistration]>('held');

export const heldDecisionSignal = defineSignal<[HeldDecisionInput]>('heldDecision');
export const decideHeldUpdate = defineUpdate<HeldDecisionResult, [HeldDecisionInput]>('decideHeld');
