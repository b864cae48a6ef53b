// Messages and state of the listener workflow, shared by the workflow, the
// listen activity and the API (GET /v1/channels). Types and define* only.
import { defineQuery } from '@temporalio/workflow';

export interface ListenerInput {
  /** The connected account (accounts.yaml id). */
  accountId: string;
  /** When the account was connected: without a cursor, older posts are not answered. */
  since: string;
  /** Resume after this cursor (carried over continue-as-new). */
  cursor?: string;
  /** How long one listen activity runs before it reports back (default 5 minutes). */
  runMs?: number;
  /** Carried over continue-as-new, for the status page. */
  totals?: ListenerTotals;
  lastPost?: LastPost;
  /** Runs before this one (continue-as-new). */
  runs?: number;
}

export interface ListenerTotals {
  /** Customer posts captured (new to Hearken). */
  captured: number;
  /** Posts heard again (a redelivery, a replay after a restart): one post each. */
  duplicates: number;
  /** Our own replies heard back: never customer posts. */
  echoes: number;
  /** Replies the brand made outside Hearken, recorded in their interactions. */
  brandReplies: number;
}

export interface LastPost {
  id: string;
  /** The platform's time of the post. */
  at: string;
  /** When Hearken captured it. */
  capturedAt: string;
}

/** What one listen activity reports (also its heartbeat details, read live by the API). */
export interface ListenProgress {
  cursor?: string;
  totals: ListenerTotals;
  lastPost?: LastPost;
  /** The platform asked us to wait: why and until when. */
  waiting?: { reason: string; until: string };
  /** What may keep posts from Hearken, found when connecting (a Mastodon notification policy that filters mentions). */
  warnings?: string[];
  /** The account is no longer connected in the pack: the listener stops. */
  disconnected?: boolean;
}

export interface ListenerState {
  accountId: string;
  status: 'listening' | 'stopped';
  since: string;
  cursor: string | null;
  totals: ListenerTotals;
  lastPost: LastPost | null;
  /** Completed listen activities in this run, and runs before it. */
  rounds: number;
  runs: number;
}

export const listenerStateQuery = defineQuery<ListenerState>('listenerState');

export function listenerWorkflowId(accountId: string): string {
  return `listener:${accountId}`;
}

export const NO_TOTALS: ListenerTotals = { captured: 0, duplicates: 0, echoes: 0, brandReplies: 0 };
