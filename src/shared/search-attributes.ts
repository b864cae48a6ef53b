// The custom search attributes the interaction workflow upserts, declared once:
// name and type here; the dev server's registration, the cluster script and the
// tests all derive from this list. Lists (pending escalations, a customer's
// interactions) are built on them, so a cluster must have them registered.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  status: defineSearchAttributeKey('HearkenStatus', SearchAttributeType.KEYWORD),
  policy: defineSearchAttributeKey('HearkenPolicy', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('HearkenChannel', SearchAttributeType.KEYWORD),
  customer: defineSearchAttributeKey('HearkenCustomer', SearchAttributeType.KEYWORD),
  team: defineSearchAttributeKey('HearkenTeam', SearchAttributeType.KEYWORD),
  decisionDeadline: defineSearchAttributeKey('HearkenDecisionDeadline', SearchAttributeType.DATETIME),
  breached: defineSearchAttributeKey('HearkenBreached', SearchAttributeType.BOOL),
  /** An automatic reply of the interaction waits because publishing is paused (leads release or discard it). */
  held: defineSearchAttributeKey('HearkenHeld', SearchAttributeType.BOOL),
} as const;

/** Every Hearken search attribute, for registration. */
export const SEARCH_ATTRIBUTES = Object.values(SA);
