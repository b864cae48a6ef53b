// The custom search attributes the interaction workflow upserts. Lists
// (pending escalations, a customer's interactions) are built on them, so a
// cluster must have them registered: the embedded dev server does it at start.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  status: defineSearchAttributeKey('HearkenStatus', SearchAttributeType.KEYWORD),
  policy: defineSearchAttributeKey('HearkenPolicy', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('HearkenChannel', SearchAttributeType.KEYWORD),
  customer: defineSearchAttributeKey('HearkenCustomer', SearchAttributeType.KEYWORD),
  team: defineSearchAttributeKey('HearkenTeam', SearchAttributeType.KEYWORD),
  decisionDeadline: defineSearchAttributeKey('HearkenDecisionDeadline', SearchAttributeType.DATETIME),
  breached: defineSearchAttributeKey('HearkenBreached', SearchAttributeType.BOOL),
} as const;

/** For `temporal server start-dev --search-attribute Name=Type`. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'Datetime' | 'Bool'> = {
  HearkenStatus: 'Keyword',
  HearkenPolicy: 'Keyword',
  HearkenChannel: 'Keyword',
  HearkenCustomer: 'Keyword',
  HearkenTeam: 'Keyword',
  HearkenDecisionDeadline: 'Datetime',
  HearkenBreached: 'Bool',
};
