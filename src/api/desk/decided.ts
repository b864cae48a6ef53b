// What became of an escalation that is no longer pending, read from the
// interaction's own timeline (the `timeline` query): who decided what and
// when, or that it timed out or was cancelled. The conflict answer of a
// second decision (409) and the live `escalation.decided` event both say it.
import type { WorkflowHandle } from '@temporalio/client';
import { timelineQuery, type TimelineEvent } from '../../workflows/definitions';

export interface DecidedEscalation {
  decision: 'approve' | 'reject' | 'reassign' | 'timed-out' | 'cancelled';
  team: string;
  /** The decider's name and role; null when nobody decided (timed out, cancelled). */
  by: { name: string; role: string } | null;
  at: string;
  /** reassign: the team it went to. */
  toTeam?: string;
}

const ENDINGS = new Set(['escalation.decided', 'escalation.timed-out', 'escalation.cancelled']);

/** The latest end of an escalation at or after `since` (ISO 8601; default: any), from the timeline; null when there is none yet. */
export function lastDecided(events: readonly TimelineEvent[], since?: string): DecidedEscalation | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (since !== undefined && e.at < since) return null;
    if (!ENDINGS.has(e.type)) continue;
    const team = typeof e.team === 'string' ? e.team : '';
    if (e.type === 'escalation.timed-out') return { decision: 'timed-out', team, by: null, at: e.at };
    if (e.type === 'escalation.cancelled') return { decision: 'cancelled', team, by: null, at: e.at };
    const decision = e.decision as DecidedEscalation['decision'];
    const by = e.actor ? { name: e.actor, role: typeof e.role === 'string' ? e.role : '' } : null;
    const reopened = decision === 'reassign' ? events.slice(i + 1).find((n) => n.type === 'escalation.opened') : undefined;
    return {
      decision,
      team,
      by,
      at: e.at,
      ...(reopened && typeof reopened.team === 'string' ? { toTeam: reopened.team } : {}),
    };
  }
  return null;
}

export async function queryLastDecided(handle: WorkflowHandle, since?: string): Promise<DecidedEscalation | null> {
  return lastDecided(await handle.query(timelineQuery), since);
}
