// Messages of the pulse workflow, shared by the workflow, the capture-side
// feeder, the API and the CLI. Type-level and `define*` calls only.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Crisis, CrisisActor, Evaluation, MinuteCounts, PulseSettings } from '../shared/pulse';

/** What a feeder sends every few seconds: the minutes it counted since, and the settings when they changed. */
export interface PulseBatch {
  minutes: MinuteCounts[];
  settings?: PulseSettings;
}

export interface CrisisActionInput {
  crisisId: string;
  actor: CrisisActor;
  note?: string;
  /** acknowledge only: the terms that make a post about this crisis, replacing the detected ones. */
  topic?: string[];
}

/** One minute of the pulse as the API shows it. */
export interface PulseMinute {
  at: string;
  posts: number;
  negative: number;
  addressed: number;
  intents: Record<string, number>;
  topTerms: string[];
  topHashtags: string[];
}

export interface PulseView {
  brand: string;
  settings: PulseSettings | null;
  /** The latest minutes with their intent mix and top terms, oldest first. */
  minutes: PulseMinute[];
  /** The latest day, per minute: [ISO minute, posts, negative]. */
  series: Array<[string, number, number]>;
  baselineSamples: number;
  /** Consecutive alarming minutes so far. */
  streak: number;
  lastEvaluation: Evaluation | null;
  crises: Crisis[];
}

export const pulseBatchSignal = defineSignal<[PulseBatch]>('pulseBatch');
export const acknowledgeCrisisUpdate = defineUpdate<Crisis, [CrisisActionInput]>('acknowledgeCrisis');
export const closeCrisisUpdate = defineUpdate<Crisis, [CrisisActionInput]>('closeCrisis');
export const pulseQuery = defineQuery<PulseView>('pulse');
