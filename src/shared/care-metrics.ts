// The care metrics the interaction workflow reports as they happen
// (commitments settled, the first reply, escalation decisions). Workflow code
// hands them to a Temporal sink (src/workflows/care-metrics.ts); the worker
// turns them into Prometheus series (src/runtime/care-metrics-sinks.ts). A
// sink is not a command: it leaves no trace in the history, and the worker
// does not call it while it replays history, so a cached-out interaction
// that is replayed counts nothing twice.
import type { Sinks } from '@temporalio/workflow';

export interface CommitmentOutcome {
  policy: string;
  commitment: string;
  outcome: 'met' | 'breached';
}

export interface FirstReply {
  policy: string;
  channel: string;
  /** From the opening post's capture (its arrival in the interaction) to the reply, workflow time. */
  seconds: number;
}

export interface EscalationOutcome {
  policy: string;
  team: string;
  /** approve, reject or reassign; `timed-out` when decideWithin ran out first. */
  decision: string;
  /** From the escalation's opening to the decision (or the timeout), workflow time. */
  seconds: number;
}

export interface CareMetricsSinks extends Sinks {
  care: {
    commitment(event: CommitmentOutcome): void;
    firstReply(event: FirstReply): void;
    escalation(event: EscalationOutcome): void;
  };
}
