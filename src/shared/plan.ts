// The resolved plan: what the interaction workflow executes. Everything the
// workflow decides on is in here, so the history alone explains and replays
// it. Plain data only: workflow code imports this module.

/** A parsed duration: `90s`, `15m`, `2h`, `1d`, ISO 8601 `PT15M`, optionally ` business`. */
export interface Duration {
  /** Length in milliseconds (of open calendar time when `business`). */
  ms: number;
  /** Count only the open hours of the policy's calendar. */
  business: boolean;
  /** The text as written in the pack, for messages and the audit trail. */
  source: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * A calendar ready for arithmetic: plain data so it can travel inside a
 * workflow's plan (replay computes the same deadlines from the same data).
 */
export interface Calendar {
  id: string;
  timezone: string;
  /** Open around the clock: business time equals wall-clock time. */
  always: boolean;
  /** Index 0 = Monday … 6 = Sunday; each an ordered list of [startMinute, endMinute) local times. */
  weekly: Array<Array<[number, number]>>;
  /** Local dates (YYYY-MM-DD) on which the calendar is closed all day. */
  holidays: string[];
}

export type Step =
  | { kind: 'ignore'; reason: string }
  | { kind: 'interimReply'; template: string; text: string }
  | { kind: 'reply'; template: string; text: string }
  | {
      kind: 'escalate';
      team: string;
      decideWithin: Duration;
      /** The drafted reply (template text in the post's language), if the policy has one. */
      draftText?: string;
      /** Fraction of decideWithin after which the team is reminded (0.75 for `75%`). */
      remindAt?: number;
      onTimeout: Step[];
    }
  | {
      kind: 'followUp';
      after: Duration;
      template?: string;
      text?: string;
      team?: string;
      unless?: 'customerReplied' | 'resolved';
    }
  | { kind: 'notify'; team: string; message?: string };

export type CommitmentName = 'firstResponse' | 'nextResponse' | 'periodicUpdate' | 'resolution';

export interface Plan {
  policy: { id: string; version: string; priority: number; description?: string };
  /** Every policy whose `when` matched, highest priority first. */
  candidates: Array<{ id: string; priority: number }>;
  /** The policy's calendar, carried so business time is computed from the plan alone. */
  calendar: Calendar | null;
  commitments: Partial<Record<CommitmentName, Duration>>;
  onBreach: Step[];
  /** Deadlines fixed at capture (firstResponse, resolution), ISO 8601 UTC. */
  deadlines: Partial<Record<'firstResponse' | 'resolution', string>>;
  steps: Step[];
  /**
   * Share of each commitment's duration after which the team is warned
   * (0.8 for `warnAt: 80%`); unset: no warning before a breach.
   */
  warnAt?: number;
  /**
   * `asCustomer`: posts of third parties in the thread count like the
   * customer's own (nextResponse, `unless: customerReplied`). Unset: they
   * are recorded only.
   */
  thirdPartyPosts?: 'asCustomer';
  /**
   * The channel's reply window (accounts.yaml `replyWindow`), when the post
   * has one: a reply is accepted only within `ms` of the customer's latest
   * message, and the team is told `escalateBeforeMs` before it closes.
   */
  replyWindow?: { ms: number; escalateBeforeMs: number; source: string; applies: 'direct' | 'all' };
  /** Language chosen for templates. */
  language: string;
  /**
   * The pack's teams, for checking a reassignment. Never their webhooks:
   * those are secrets, and the plan is stored in the workflow's history. The
   * notify activity looks a team's webhook up when it sends.
   */
  teams: Record<string, { calendar?: string }>;
  /** Text of the `periodic-update` template, if the pack has one (else the first interim reply's). */
  periodicUpdateText: string | null;
  /** Set when a crisis overlay decided (src/pulse/overlay.ts): which crisis, which overlay version. */
  overlay?: { kind: 'crisis'; crisisId: string; version: string };
}
