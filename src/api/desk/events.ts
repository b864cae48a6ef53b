// Live events for the care desk (GET /v1/events, Server-Sent Events). Temporal
// is the source of truth: while anyone listens, this API process polls the
// pending escalations (visibility: HearkenStatus and the memo) and the pause
// switch (the controls workflow's memo) every `pollMs`, and diffs them with
// the previous poll. So a decision taken through another API process, the
// CLI or a timeout appears here too, at most one poll (plus the visibility
// store's own delay) later. What ended an escalation is read from the
// interaction's timeline (decided.ts). Presence (who views or types on an
// item) lives in this process's memory and lapses after `presenceTtlMs`.
import { AsyncResource } from 'node:async_hooks';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { readPauseState } from '../../client/controls';
import { vq } from '../../client/visibility-query';
import type { PauseState } from '../../shared/controls';
import type { EscalationMemo } from '../../workflows/definitions';
import { roleIn, type User } from '../auth';
import { queryLastDecided } from './decided';

export const DEFAULT_POLL_MS = 1_000;
export const PRESENCE_TTL_MS = 30_000;

export interface Subscriber {
  user: User;
  send(event: string, data: unknown): void;
  /** Ends the stream (the hub closes: the service stops). */
  end(): void;
}

export type PresenceState = 'viewing' | 'typing';

/** A pending escalation as one poll saw it. */
interface Open {
  interactionId: string;
  team: string;
  level: number;
  openedAt: string;
  deadline: string;
  policyId: string | null;
  summary: string;
}

export interface DeskEventsOptions {
  client: Client;
  logger: Logger;
  pollMs?: number;
  presenceTtlMs?: number;
}

export class DeskEvents {
  private readonly subscribers = new Set<Subscriber>();
  private readonly presence = new Map<string, Map<string, { state: PresenceState; at: number }>>();
  private known: Map<string, Open> | null = null;
  private pauses: PauseState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private temporalDown = false;
  private closed = false;
  /** Bumped when polling stops, so a poll in flight does not start a second loop. */
  private generation = 0;

  /**
   * The context the polls run in: the hub's, not the first listener's request,
   * whose Temporal deadline (http/deadline.ts) would otherwise cover every poll after it.
   */
  private readonly root = new AsyncResource('DeskEvents');

  constructor(private readonly opts: DeskEventsOptions) {}

  get pollMs(): number {
    return this.opts.pollMs ?? DEFAULT_POLL_MS;
  }

  /** Starts polling with the first subscriber, stops with the last; returns the unsubscribe. */
  subscribe(sub: Subscriber): () => void {
    this.subscribers.add(sub);
    if (this.timer === null && !this.closed) this.schedule(0, this.generation);
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.stopPolling();
    };
  }

  /** `state` of `user` on an interaction (left: gone), told to every listener. */
  setPresence(interactionId: string, user: User, state: PresenceState | 'left', now: number = Date.now()): void {
    const viewers = this.presence.get(interactionId) ?? new Map<string, { state: PresenceState; at: number }>();
    const before = viewers.get(user.name)?.state;
    if (state === 'left') viewers.delete(user.name);
    else viewers.set(user.name, { state, at: now });
    if (viewers.size > 0) this.presence.set(interactionId, viewers);
    else this.presence.delete(interactionId);
    this.sweeper ??= this.root.runInAsyncScope(() => setInterval(() => this.sweep(), Math.min(5_000, this.ttl())).unref());
    // A refresh that changes nothing is not news.
    if (before !== (state === 'left' ? undefined : state)) this.broadcastPresence(interactionId, now);
  }

  /** Who views or types on an interaction now. */
  viewers(interactionId: string, now: number = Date.now()): Array<{ name: string; state: PresenceState }> {
    const viewers = this.presence.get(interactionId);
    if (!viewers) return [];
    return [...viewers]
      .filter(([, v]) => now - v.at < this.ttl())
      .map(([name, v]) => ({ name, state: v.state }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Ends polling, presence and every event stream. */
  close(): void {
    this.closed = true;
    this.stopPolling();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    // An open stream would keep the HTTP server from closing.
    for (const sub of [...this.subscribers]) sub.end();
    this.subscribers.clear();
  }

  /** One poll: what changed since the last one becomes events. Exposed for tests. */
  async poll(): Promise<void> {
    let open: Map<string, Open>;
    let pauses: PauseState;
    try {
      [open, pauses] = await Promise.all([this.readOpen(), readPauseState(this.opts.client)]);
    } catch (err) {
      // Temporal is away: say so once, keep what was known, and diff again when it is back.
      if (!this.temporalDown) {
        this.temporalDown = true;
        this.opts.logger.warn({ err }, 'care desk events: cannot read Temporal');
        this.broadcast('status', { temporal: 'unavailable', retryInMs: this.pollMs }, () => true);
      }
      return;
    }
    if (this.temporalDown) {
      this.temporalDown = false;
      this.broadcast('status', { temporal: 'ok' }, () => true);
    }
    const before = this.known;
    this.known = open;
    if (this.pauses !== null && pauses.version !== this.pauses.version) {
      this.broadcast('controls', { paused: pauses.pauses.length > 0, pauses: pauses.pauses, version: pauses.version }, () => true);
    }
    this.pauses = pauses;
    // The first poll is the baseline: a page loads the queue itself (GET /v1/escalations).
    if (before === null) return;
    const ended: Open[] = [];
    const opened: Open[] = [];
    for (const [id, now] of open) {
      const was = before.get(id);
      if (was && was.openedAt === now.openedAt && was.team === now.team) continue;
      if (was) ended.push(was);
      opened.push(now);
    }
    for (const [id, was] of before) if (!open.has(id)) ended.push(was);
    for (const was of ended) await this.announceEnd(was);
    for (const now of opened) {
      this.broadcast(
        'escalation.opened',
        {
          interactionId: now.interactionId,
          team: now.team,
          level: now.level,
          openedAt: now.openedAt,
          deadline: now.deadline,
          policyId: now.policyId,
          summary: now.summary,
        },
        (user) => roleIn(user, now.team) !== null,
      );
    }
  }

  private async announceEnd(was: Open): Promise<void> {
    let end = null;
    try {
      end = await this.opts.client.withDeadline(Date.now() + 5_000, () =>
        queryLastDecided(this.opts.client.workflow.getHandle(was.interactionId), was.openedAt),
      );
    } catch (err) {
      this.opts.logger.warn({ err, interactionId: was.interactionId }, 'care desk events: cannot read how an escalation ended');
    }
    const data = {
      interactionId: was.interactionId,
      team: was.team,
      decision: end?.decision ?? 'cancelled',
      by: end?.by?.name ?? null,
      role: end?.by?.role ?? null,
      at: end?.at ?? new Date().toISOString(),
      ...(end?.toTeam ? { toTeam: end.toTeam } : {}),
    };
    this.broadcast(
      'escalation.decided',
      data,
      (user) => roleIn(user, was.team) !== null || (!!end?.toTeam && roleIn(user, end.toTeam) !== null),
    );
  }

  private async readOpen(): Promise<Map<string, Open>> {
    const client = this.opts.client;
    return client.withDeadline(Date.now() + 5_000, async () => {
      const open = new Map<string, Open>();
      for await (const wf of client.workflow.list({ query: vq`HearkenStatus = 'awaiting-decision'`.text })) {
        const memo = wf.memo?.escalation as EscalationMemo | undefined;
        if (!memo) continue;
        const who = memo.post.author.handle ?? memo.post.author.name ?? memo.post.author.id ?? '';
        open.set(wf.workflowId, {
          interactionId: wf.workflowId,
          team: memo.team,
          level: memo.level,
          openedAt: memo.openedAt,
          deadline: memo.deadline,
          policyId: memo.policy?.id ?? null,
          summary: `${who ? `@${who}: ` : ''}${memo.post.text.slice(0, 140)}`,
        });
        if (open.size >= 5000) break;
      }
      return open;
    });
  }

  private schedule(ms: number, generation: number): void {
    this.timer = this.root.runInAsyncScope(() =>
      setTimeout(() => {
        void this.poll()
          .catch((err: unknown) => this.opts.logger.error({ err }, 'care desk events: poll failed'))
          .finally(() => {
            if (generation === this.generation && this.subscribers.size > 0 && !this.closed) this.schedule(this.pollMs, generation);
          });
      }, ms),
    );
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.generation++;
    // Whoever listens next starts from a new baseline, not from a stale one.
    this.known = null;
    this.pauses = null;
  }

  private sweep(now: number = Date.now()): void {
    for (const [id, viewers] of this.presence) {
      let changed = false;
      for (const [name, v] of viewers)
        if (now - v.at >= this.ttl()) {
          viewers.delete(name);
          changed = true;
        }
      if (viewers.size === 0) this.presence.delete(id);
      if (changed) this.broadcastPresence(id, now);
    }
    if (this.presence.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  private broadcastPresence(interactionId: string, now: number): void {
    this.broadcast('presence', { interactionId, viewers: this.viewers(interactionId, now) }, () => true);
  }

  private broadcast(event: string, data: unknown, to: (user: User) => boolean): void {
    for (const sub of this.subscribers) {
      if (!to(sub.user)) continue;
      try {
        sub.send(event, data);
      } catch (err) {
        this.opts.logger.warn({ err }, 'care desk events: a stream failed');
      }
    }
  }

  private ttl(): number {
    return this.opts.presenceTtlMs ?? PRESENCE_TTL_MS;
  }
}
