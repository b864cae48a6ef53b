// The pause switch, as plain data: which automatic publishing is paused
// (everything, one channel, one of our accounts), by whom and since when.
// Shared by the controls workflow that holds it, the publish activity that
// obeys it, the interaction workflow that records it, the API and the CLI.
// Workflow-safe: no I/O, no clock.

/** The one controls workflow; it holds the switch in Temporal (src/workflows/controls.ts). */
export const CONTROLS_WORKFLOW_ID = 'hearken-controls';

/**
 * What a pause covers. `account` is one of our accounts (accounts.yaml) on a
 * channel: replies published through it wait, other accounts carry on.
 */
export type PauseScope = { kind: 'global' } | { kind: 'channel'; channel: string } | { kind: 'account'; channel: string; handle: string };

/** Who changed the switch: a person's name and role (lead or admin), and how. */
export interface Actor {
  name: string;
  role: string;
  /** `api` (a person's token) or `cli` (an operator on a host with Temporal access). */
  via: 'api' | 'cli';
}

export interface Pause {
  /** `p1`, `p2`, …: what waits is released or discarded per pause. */
  id: string;
  scope: PauseScope;
  /** `global`, `channel:twitter`, `account:twitter:sprintcare`. */
  key: string;
  since: string;
  by: Actor;
  note?: string;
}

/** What the publish path reads (the controls workflow's memo): the pauses in force. */
export interface PauseState {
  /** Goes up with every change. */
  version: number;
  pauses: Pause[];
}

export const EMPTY_PAUSE_STATE: PauseState = { version: 0, pauses: [] };

/** What a lead decides about replies that waited: send them now, or record them and send nothing. */
export type HeldDecision = 'release' | 'discard';

/** The roles that may pause, resume, release and discard (README "Pause switch"). */
export const CONTROL_ROLES: readonly string[] = ['lead', 'admin'];

export function scopeKey(scope: PauseScope): string {
  switch (scope.kind) {
    case 'global':
      return 'global';
    case 'channel':
      return `channel:${scope.channel}`;
    case 'account':
      return `account:${scope.channel}:${bareHandle(scope.handle)}`;
  }
}

/** `@SprintCare` → `sprintcare`: handles compare without the @ and case. */
export function bareHandle(handle: string): string {
  return handle.trim().replace(/^@/u, '').toLowerCase();
}

/**
 * The pause that stops an automatic reply on `channel` published through
 * `account` (our handle there, when known), or null. The broadest one wins:
 * global, then the channel, then the account.
 */
export function pauseFor(state: PauseState, channel: string, account: string | null): Pause | null {
  const keys = ['global', `channel:${channel}`, ...(account !== null ? [`account:${channel}:${bareHandle(account)}`] : [])];
  for (const key of keys) {
    const found = state.pauses.find((p) => p.key === key);
    if (found) return found;
  }
  return null;
}

/**
 * A scope from what the API and the CLI take: nothing (global), a channel,
 * or an account as `<channel>:<handle>`. Returns the reason when it is not one.
 */
export function scopeFrom(input: { channel?: string; account?: string }): PauseScope | string {
  if (input.channel !== undefined && input.account !== undefined) return 'give a channel or an account, not both';
  if (input.channel !== undefined) {
    return /^[^\s/:\p{Cc}]{1,50}$/u.test(input.channel) ? { kind: 'channel', channel: input.channel } : 'channel: not a channel name';
  }
  if (input.account !== undefined) {
    const m = /^([^\s/:\p{Cc}]{1,50}):@?([^\s/\p{Cc}]{1,200})$/u.exec(input.account);
    return m
      ? { kind: 'account', channel: m[1]!, handle: bareHandle(m[2]!) }
      : 'account: must be <channel>:<handle>, like twitter:sprintcare';
  }
  return { kind: 'global' };
}
