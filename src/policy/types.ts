// The shapes shared by the policy loader, the selector, the planner, the
// workflow and the CLI. Only plain data lives here: this module is imported
// by workflow code, so it must stay free of runtime imports.

import type { Post } from '../domain/post';

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

/** A calendar as written in calendars.yaml. */
export interface CalendarSpec {
  timezone: string;
  hours: 'always' | Partial<Record<Weekday, string[]>>;
  holidays?: string[];
}

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

export type Scalar = string | number | boolean;

/** What a field in `when` may be compared with. */
export type FieldMatcher =
  | Scalar
  | Scalar[]
  | {
      equals?: Scalar;
      below?: number;
      above?: number;
      atLeast?: number;
      atMost?: number;
      contains?: string | string[];
      matches?: string;
    };

/** A `when` block: field matchers combined by implicit AND, plus any / all / not. */
export interface Condition {
  any?: Condition[];
  all?: Condition[];
  not?: Condition;
  [field: string]: FieldMatcher | Condition | Condition[] | undefined;
}

/** Steps as written in YAML (one key per list item). */
export type StepSpec =
  | { ignore: { reason: string } }
  | { interimReply: { template: string } }
  | { reply: { template: string } }
  | { escalate: EscalateSpec }
  | { followUp: { after: string; template?: string; team?: string; unless?: 'customerReplied' | 'resolved' } }
  | { notify: { team: string; message?: string } };

export interface EscalateSpec {
  team: string;
  decideWithin: string;
  /** Template of a drafted reply; approving without a text publishes it. */
  draft?: string;
  remindAt?: string;
  onTimeout?: StepSpec[];
}

export interface CommitmentsSpec {
  firstResponse?: string;
  nextResponse?: string;
  periodicUpdate?: string;
  resolution?: string;
  onBreach?: StepSpec[];
}

export interface PolicySpec {
  id: string;
  description?: string;
  priority: number;
  when?: Condition;
  calendar?: string;
  commitments?: CommitmentsSpec;
  steps: StepSpec[];
}

export interface TeamSpec {
  calendar?: string;
  notify?: { webhook?: string };
}

export interface AccountSpec {
  channel: string;
  handle: string;
}

/** A fully validated, loaded pack. */
export interface PolicyPack {
  dir: string;
  version: PackVersion;
  accounts: AccountSpec[];
  brandNames: string[];
  teams: Record<string, TeamSpec>;
  calendars: Record<string, Calendar>;
  /** template id → language → text; the first language listed is the fallback. */
  templates: Record<string, Record<string, string>>;
  /** Sorted by priority, highest first. */
  policies: PolicySpec[];
}

export interface PackVersion {
  /** Git commit of the policy folder, when it is in a git checkout. */
  commit: string | null;
  /** sha256 of the pack's content (file names and bytes). */
  sha256: string;
  /** `<commit12>+<sha12>` or `sha256:<sha12>`: short, human-readable, stable. */
  id: string;
}

// ---------------------------------------------------------------------------
// The resolved plan: what the workflow executes. Everything the workflow
// decides on is in here, so the history alone explains and replays it.

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
  /** Language chosen for templates. */
  language: string;
  teams: Record<string, { calendar?: string; webhook?: string }>;
  /** Text of the `periodic-update` template, if the pack has one (else the first interim reply's). */
  periodicUpdateText: string | null;
}

/** What triage says about a post (src/triage). */
export interface Triage {
  /** ISO 639-1 code (the post's own tag when it has one), `und` when undetermined. */
  language: string;
  addressedToUs: boolean;
  addressedReason: 'direct' | 'reply-to-us' | 'mention' | null;
  relevant: boolean;
  intent: 'question' | 'complaint' | 'praise' | 'idea' | 'security' | 'spam' | 'other';
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  reach: 'low' | 'medium' | 'high';
  /** suspicious-link, phishing, hijacked-account, legal-threat, personal-data. */
  risk: string[];
  /** Why: the rules that decided, as `field:detail` (`addressed:mention @sprintcare`, `intent:complaint "still waiting"`). */
  signals?: string[];
}

export type { Post };
