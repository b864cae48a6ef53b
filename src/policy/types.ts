// The shapes of a policy pack as written and loaded: what the loader, the
// selector, the planner and the CLI share. What the workflow executes (the
// plan) lives in src/shared/plan.ts, what triage says in src/shared/triage.ts.

import type { Calendar, Weekday } from '../shared/plan';
import type { PulseSettings } from '../shared/pulse';

/** A calendar as written in calendars.yaml. */
export interface CalendarSpec {
  timezone: string;
  hours: 'always' | Partial<Record<Weekday, string[]>>;
  holidays?: string[];
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
  /** Warn a team when this share of a clock's time is gone, like `80%`. */
  warnAt?: string;
  onBreach?: StepSpec[];
}

export interface PolicySpec {
  id: string;
  description?: string;
  priority: number;
  when?: Condition;
  calendar?: string;
  commitments?: CommitmentsSpec;
  /** `asCustomer`: a third party's post in the thread counts like the customer's own. */
  thirdPartyPosts?: 'record' | 'asCustomer';
  steps: StepSpec[];
}

export interface TeamSpec {
  calendar?: string;
  notify?: { webhook?: string };
}

export interface AccountSpec {
  /** Names a connected account (listener workflow, webhook route); default: the channel. */
  id?: string;
  channel: string;
  handle: string;
  /** The longest reply, in the channel's unit; default: the channel's (src/channels/text-limit.ts). */
  textLimit?: number;
  /** A reply is accepted only within this long after the customer's message (Meta's 24 hours). */
  replyWindow?: ReplyWindowSpec;
  bluesky?: BlueskyConnectSpec;
  mastodon?: MastodonConnectSpec;
  webhook?: WebhookConnectSpec;
}

export interface ReplyWindowSpec {
  within: string;
  escalateBefore?: string;
  applies?: 'direct' | 'all';
}

/** Credentials are `${ENV}` references, kept as written: the worker reads the variable when it connects. */
export interface BlueskyConnectSpec {
  service: string;
  identifier?: string;
  password: string;
  capture?: 'notifications' | 'firehose';
  firehose?: string;
}

export interface MastodonConnectSpec {
  instance: string;
  token: string;
}

export interface WebhookConnectSpec {
  secret: string;
  replyUrl?: string;
  replySecret?: string;
}

/**
 * Listening terms of one language (accounts.yaml `brand.listening.<lang>`),
 * for brand names that are also common words; src/triage/relevance.ts.
 */
export interface ListeningTerms {
  /** Confirm a post is about us even when an exclude term is there too. */
  include?: string[];
  /** Another sense of a single-word brand name: the post is not about us. */
  exclude?: string[];
}

/** accounts.yaml `brand`. */
export interface BrandSpec {
  names?: string[];
  /** Language code (en, de, …) or `any` → its listening terms. */
  listening?: Record<string, ListeningTerms>;
}

/** A fully validated, loaded pack. */
export interface PolicyPack {
  dir: string;
  version: PackVersion;
  accounts: AccountSpec[];
  brandNames: string[];
  /** accounts.yaml `brand.listening`: language code or `any` → terms; `{}` when none. */
  listening: Record<string, ListeningTerms>;
  teams: Record<string, TeamSpec>;
  calendars: Record<string, Calendar>;
  /** template id → language → text; the first language listed is the fallback. */
  templates: Record<string, Record<string, string>>;
  /** Sorted by priority, highest first. */
  policies: PolicySpec[];
  /** pulse.yaml resolved (absent file: counting only, `detect: false`); unset in packs built by hand. */
  pulse?: PulseSettings;
  /** overlays/crisis/: policies that outrank the others while a crisis is open (src/pulse/overlay.ts). */
  crisisOverlay?: CrisisOverlay;
}

export interface CrisisOverlay {
  /** Sorted by priority, highest first. */
  policies: PolicySpec[];
  /** `overlay:<sha12>` of the overlay's files: recorded with every interaction it decided. */
  version: string;
}

export interface PackVersion {
  /** Git commit of the policy folder, when it is in a git checkout. */
  commit: string | null;
  /** sha256 of the pack's content (file names and bytes). */
  sha256: string;
  /** `<commit12>+<sha12>` or `sha256:<sha12>`: short, human-readable, stable. */
  id: string;
}
