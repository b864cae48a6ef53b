// Care metrics from the timeline's own events: what the audit records is what
// Prometheus counts (DESIGN: "commitment events, as in the history and
// metrics"). Sink calls are no commands, so this needs no patch, and the
// worker drops them while replaying (callDuringReplay: false), so an evicted
// interaction replayed from history counts nothing twice.
import { proxySinks } from '@temporalio/workflow';
import type { CareMetricsSinks } from '../shared/care-metrics';
import type { EscalationRecord, InteractionState, TimelineEvent } from './definitions';

const { care } = proxySinks<CareMetricsSinks>();

/** What of a run the metrics read (RunContext has it). */
export interface CareView {
  readonly active: { plan: { policy: { id: string } } } | null;
  readonly state: InteractionState;
  readonly timeline: readonly TimelineEvent[];
}

/** Reports the metric an event just recorded stands for, if any. `now`: workflow time. */
export function reportCareMetrics(view: CareView, type: string, detail: Record<string, unknown>, now: number): void {
  const policy = view.active?.plan.policy.id ?? 'none';
  switch (type) {
    case 'commitment.breached':
      care.commitment({ policy, commitment: String(detail.commitment), outcome: 'breached' });
      return;
    case 'commitment.met':
      // A breached clock met late was counted when it breached.
      if (detail.late !== true) care.commitment({ policy, commitment: String(detail.commitment), outcome: 'met' });
      return;
    case 'reply.published':
    case 'post.brand-reply':
      reportFirstReply(view, policy, now);
      return;
    case 'escalation.decided':
    case 'escalation.timed-out': {
      const esc = latestEscalation(view.state.escalations, String(detail.stepPath));
      if (!esc) return;
      const decision = type === 'escalation.timed-out' ? 'timed-out' : String(detail.decision);
      care.escalation({ policy, team: esc.team, decision, seconds: (now - Date.parse(esc.openedAt)) / 1000 });
      return;
    }
    default:
  }
}

function reportFirstReply(view: CareView, policy: string, now: number): void {
  const { replies, counts } = view.state;
  // Only the interaction's first reply; replies carried over a continue-as-new count too.
  if (replies.length !== 1 || (counts?.replies ?? 0) > 0) return;
  const captured = view.timeline.find((e) => e.type === 'post.captured');
  if (!captured) return;
  // The post's channel (a reply's own `channel` names the adapter that published it).
  const channel = view.state.posts[0]?.channel ?? 'unknown';
  care.firstReply({ policy, channel, seconds: Math.max(0, now - Date.parse(captured.at)) / 1000 });
}

/** The latest escalation of `stepPath`: the one a decision or timeout is recorded for (a reassignment opens another). */
function latestEscalation(escalations: readonly EscalationRecord[], stepPath: string): EscalationRecord | undefined {
  for (let i = escalations.length - 1; i >= 0; i--) if (escalations[i]!.stepPath === stepPath) return escalations[i];
  return undefined;
}
