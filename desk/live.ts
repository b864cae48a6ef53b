// Live updates: Server-Sent Events from GET /v1/events (cookie session).
// Without the stream (bearer fallback, or a server without the route) the
// desk polls instead: subscribers get a `poll` tick every few seconds and
// refresh what they show.
import { usesCookie } from './api';

export type LiveEvent =
  | { type: 'escalation.opened'; data: { interactionId: string; team: string; deadline: string } }
  | {
      type: 'escalation.decided';
      data: { interactionId: string; team: string; decision: string; by: string | null; at: string; toTeam?: string };
    }
  | { type: 'presence'; data: { interactionId: string; viewers: Array<{ name: string; state: string }> } }
  | { type: 'controls'; data: unknown }
  | { type: 'status'; data: { temporal: 'ok' | 'unavailable'; retryInMs?: number } }
  | { type: 'poll'; data: null };

export type LiveState = 'live' | 'offline' | 'polling';

const POLL_MS = 2500;
const subscribers = new Set<(e: LiveEvent) => void>();
let source: EventSource | null = null;
let pollTimer: number | undefined;
let stateListener: (s: LiveState) => void = () => {};

export function subscribe(fn: (e: LiveEvent) => void): () => void {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

function emit(e: LiveEvent): void {
  for (const fn of [...subscribers]) fn(e);
}

function poll(): void {
  stateListener('polling');
  if (pollTimer === undefined) pollTimer = window.setInterval(() => emit({ type: 'poll', data: null }), POLL_MS);
}

export function startLive(onState: (s: LiveState) => void): void {
  stateListener = onState;
  stopLive();
  if (!usesCookie()) return poll();
  source = new EventSource('/v1/events', { withCredentials: true });
  source.onopen = () => onState('live');
  source.onerror = () => {
    // CLOSED: the server refused the stream (no route, or not allowed); else the browser reconnects itself.
    if (source?.readyState === EventSource.CLOSED) {
      source = null;
      poll();
    } else onState('offline');
  };
  for (const type of ['escalation.opened', 'escalation.decided', 'presence', 'controls', 'status'] as const) {
    source.addEventListener(type, (ev) => {
      try {
        emit({ type, data: JSON.parse((ev as MessageEvent<string>).data) } as LiveEvent);
      } catch {
        // a malformed event is dropped; the next one or a reload brings the truth
      }
    });
  }
}

export function stopLive(): void {
  source?.close();
  source = null;
  if (pollTimer !== undefined) window.clearInterval(pollTimer);
  pollTimer = undefined;
}
