// Joins what the load generator did (when each workflow or post was sent,
// when it was acknowledged) with what the worker children reported (first
// activity, first published reply, settled), per workflow id.
import type { ProbeEvent } from './sut-protocol';

export interface Track {
  t0: number;
  ack?: number;
  firstActivity?: number;
  firstReply?: number;
  settled?: number;
}

export interface ItemResult {
  id: string;
  ok: boolean;
  /** ms from t0 (the send) for each milestone reached. */
  ackMs?: number;
  firstActivityMs?: number;
  firstReplyMs?: number;
  settledMs?: number;
  /** When it settled (epoch ms), for counting completions inside a window. */
  settledAt?: number;
  /** Hearken: the policy the post selected; baselines: the workflow type. */
  label: string;
  error?: string;
}

export class Tracker {
  private readonly tracks = new Map<string, Track>();
  private readonly waiters = new Map<string, () => void>();
  /** Schedule-to-start of every (non-local) activity attempt: [at, ms]. */
  readonly s2s: Array<[number, number]> = [];

  begin(id: string, t0: number): Track {
    const t: Track = { t0 };
    this.tracks.set(id, t);
    return t;
  }

  onEvents(events: readonly ProbeEvent[]): void {
    for (const e of events) {
      if (e.kind === 'act' && !e.local) this.s2s.push([e.at, e.s2s]);
      const t = this.tracks.get(e.wf);
      if (!t) continue; // a workflow of an earlier phase (a reminder timer fired)
      if (e.kind === 'act') t.firstActivity ??= e.at;
      else if (e.kind === 'reply') t.firstReply ??= e.at;
      else if (e.kind === 'settled' && t.settled === undefined) {
        t.settled = e.at;
        this.waiters.get(e.wf)?.();
      }
    }
  }

  /** Resolves true once `id` settled, false after `timeoutMs`. */
  waitSettled(id: string, timeoutMs: number): Promise<boolean> {
    if (this.tracks.get(id)?.settled !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(id, () => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(true);
      });
    });
  }

  /** The item's milestones relative to its send; forgets the track (bounded memory over 10,000s of items). */
  finish(id: string, label: string, ok: boolean, error?: string): ItemResult {
    const t = this.tracks.get(id);
    this.tracks.delete(id);
    if (!t) return { id, ok: false, label, error: 'untracked' };
    const rel = (x: number | undefined) => (x === undefined ? undefined : x - t.t0);
    return {
      id,
      ok: ok && t.settled !== undefined,
      label,
      ...(t.ack !== undefined ? { ackMs: rel(t.ack) } : {}),
      ...(t.firstActivity !== undefined ? { firstActivityMs: rel(t.firstActivity) } : {}),
      ...(t.firstReply !== undefined ? { firstReplyMs: rel(t.firstReply) } : {}),
      ...(t.settled !== undefined ? { settledMs: rel(t.settled), settledAt: t.settled } : {}),
      ...(error ? { error } : {}),
    };
  }

  /** Schedule-to-start samples (ms) of activities that started in [from, to]. */
  s2sBetween(from: number, to: number): number[] {
    return this.s2s.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);
  }

  /** Drops old schedule-to-start samples; the phases only look at their own window. */
  trimS2s(before: number): void {
    let i = 0;
    while (i < this.s2s.length && this.s2s[i]![0] < before) i++;
    this.s2s.splice(0, i);
  }
}
