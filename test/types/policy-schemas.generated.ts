// Generated from the pack schemas by scripts/generate-schema-types.ts: do not edit.
// Regenerate: node --import tsx scripts/generate-schema-types.ts
/**
 * A kebab-case identifier: lower-case letters, digits and dashes.
 */
export type Id = string;
/**
 * A value, a list of values meaning "one of", or a mapping with equals / below / above / atLeast / atMost / contains / matches.
 */
export type Matcher = Scalar | Scalar[] | MatcherObject;
/**
 * A text, number or true/false.
 */
export type Scalar = string | number | boolean;
/**
 * An intent, or a list of intents meaning "one of".
 */
export type IntentMatcher =
  | IntentValue
  | IntentValue[]
  | {
      equals: IntentValue;
    };
/**
 * A triage intent.
 */
export type IntentValue = 'question' | 'complaint' | 'praise' | 'idea' | 'security' | 'spam' | 'other';
/**
 * A reach level, or a list meaning "one of".
 */
export type ReachMatcher =
  | ReachValue
  | ReachValue[]
  | {
      equals: ReachValue;
    };
/**
 * A reach level.
 */
export type ReachValue = 'low' | 'medium' | 'high';
/**
 * A duration: 90s, 15m, 2h, 1d, 1h30m or ISO 8601 like PT15M; a ` business` suffix counts only the calendar's open hours.
 */
export type Duration = string;
/**
 * A percentage of a time limit, like 75%.
 */
export type Percent = string;
/**
 * One step: exactly one of ignore, interimReply, reply, escalate, followUp, notify.
 */
export type Step =
  | {
      /**
       * Do not answer; the interaction is closed as ignored with this reason.
       */
      ignore: {
        /**
         * Why, as a short kebab-case word for reports (not-addressed-to-us).
         */
        reason: string;
      };
    }
  | {
      /**
       * Publish an interim answer ("we're on it") at once, before the real one.
       */
      interimReply: {
        template: Id;
      };
    }
  | {
      /**
       * Publish a final answer at once; it needs no approval.
       */
      reply: {
        template: Id;
      };
    }
  | {
      /**
       * Ask a team to decide (approve a reply, reject, or hand over) within a time limit.
       */
      escalate: {
        team: Id;
        decideWithin: Duration;
        draft?: Id;
        remindAt?: Percent;
        onTimeout?: Steps;
      };
    }
  | {
      /**
       * After a while, send a follow-up template or hand the follow-up to a team.
       */
      followUp: {
        after: Duration;
        template?: Id;
        team?: Id;
        /**
         * Skip the follow-up when the customer has replied meanwhile, or when the interaction is resolved.
         */
        unless?: 'customerReplied' | 'resolved';
      };
    }
  | {
      /**
       * Tell a team (webhook, chat) without asking for a decision.
       */
      notify: {
        team: Id;
        /**
         * A short note for the team.
         */
        message?: string;
      };
    };
/**
 * A list of steps, each a mapping with exactly one of ignore, interimReply, reply, escalate, followUp, notify.
 *
 * @minItems 1
 */
export type Steps = Step[];

/**
 * One response policy (<id>.policy.yaml): which posts it takes (when), the response times the brand commits to, and the steps taken. The highest-priority matching policy wins.
 */
export interface HearkenResponsePolicy {
  id: Id;
  /**
   * What this policy is for, in one sentence, for people reading the pack.
   */
  description?: string;
  /**
   * Unique in the pack; when several policies match a post, the highest priority wins.
   */
  priority: number;
  when?: Condition;
  calendar?: Id;
  /**
   * Response times promised to the customer; clocks start at the post's createdAt.
   */
  commitments?: {
    firstResponse?: Duration;
    nextResponse?: Duration;
    periodicUpdate?: Duration;
    resolution?: Duration;
    warnAt?: Percent;
    onBreach?: Steps;
  };
  /**
   * What a post in the thread by someone other than the customer (and not by one of our accounts) is. record (the default): recorded only; it starts no nextResponse clock and does not make `unless: customerReplied` true. asCustomer: it counts like the customer's own post.
   */
  thirdPartyPosts?: 'record' | 'asCustomer';
  steps: Steps;
}
/**
 * Conditions that must all hold: field matchers plus any / all / not.
 */
export interface Condition {
  /**
   * At least one of these conditions holds.
   *
   * @minItems 1
   */
  any?: Condition[];
  /**
   * Every one of these conditions holds.
   *
   * @minItems 1
   */
  all?: Condition[];
  not?: Condition;
  addressedToUs?: Matcher;
  addressedReason?: Matcher;
  relevant?: Matcher;
  intent?: IntentMatcher;
  sentiment?: Matcher;
  reach?: ReachMatcher;
  risk?: Matcher;
  language?: Matcher;
  channel?: Matcher;
  text?: Matcher;
  direct?: Matcher;
  inReplyToAuthor?: Matcher;
  'author.id'?: Matcher;
  'author.handle'?: Matcher;
  'author.name'?: Matcher;
  'author.followers'?: Matcher;
  crisisTopic?: Matcher;
  crisis?: Matcher;
}
/**
 * Comparisons that must all hold.
 */
export interface MatcherObject {
  equals?: Scalar;
  /**
   * Less than this number.
   */
  below?: number;
  /**
   * Greater than this number.
   */
  above?: number;
  /**
   * This number or more.
   */
  atLeast?: number;
  /**
   * This number or less.
   */
  atMost?: number;
  /**
   * Contains one of these whole words or phrases (ignoring case).
   */
  contains?: string | string[];
  /**
   * Matches this JavaScript regular expression (ignoring case).
   */
  matches?: string;
}

/**
 * accounts.yaml: the brand's own accounts per channel (posts addressed to them are answered) and the brand's names (posts mentioning them are about us).
 */
export interface HearkenAccounts {
  /**
   * Our accounts; a post mentioning, replying to or messaging one of them is addressed to us.
   *
   * @minItems 1
   *
   * Items: One of our accounts on one channel. With a bluesky, mastodon or webhook block it is connected: Hearken listens to it and answers through it.
   */
  accounts: {
    /**
     * The channel, like twitter or mastodon (as in the normalized post's channel).
     */
    channel: string;
    /**
     * The handle without the leading @; compared ignoring case. Mastodon handles include the server (hearken@social.example).
     */
    handle: string;
    /**
     * Names a connected account: its listener workflow is listener:<id>, its webhook route /v1/channels/webhook/<id>. Default: the channel. Two connected accounts need different ids.
     */
    id?: string;
    /**
     * The longest reply this account may post, in the channel's unit (Bluesky: graphemes; others: characters). Default: Bluesky 300, Mastodon the instance's limit (500 on a stock instance), X 280.
     */
    textLimit?: number;
    /**
     * Connect a Bluesky (AT Protocol) account: listen to mentions, replies and quotes, and reply in the thread.
     */
    bluesky?: {
      /**
       * The account's PDS or entryway, like https://bsky.social.
       */
      service: string;
      /**
       * Login identifier (handle, DID or e-mail). Default: the handle.
       */
      identifier?: string;
      /**
       * An app password of the account (Settings → App passwords). Only as an environment variable reference like ${NAME}: credentials never go into the file; the worker reads the variable when it connects.
       */
      password: string;
      /**
       * notifications (default): poll app.bsky.notification.listNotifications through the AppView with a cursor. firehose: read com.atproto.sync.subscribeRepos of the PDS (a network without an AppView, like the sandbox).
       */
      capture?: 'notifications' | 'firehose';
      /**
       * The firehose to read in capture: firehose. Default: the service.
       */
      firehose?: string;
    };
    /**
     * Connect a Mastodon account: listen to mentions and direct messages, and reply in the thread with the same visibility.
     */
    mastodon?: {
      /**
       * The instance, like https://social.example.
       */
      instance: string;
      /**
       * An access token of the account with the read and write scopes. Only as an environment variable reference like ${NAME}: credentials never go into the file; the worker reads the variable when it connects.
       */
      token: string;
    };
    /**
     * Connect a channel through signed webhooks (Standard Webhooks): an integration platform or your own bridge delivers posts to POST /v1/channels/webhook/<id> and receives replies.
     */
    webhook?: {
      /**
       * The whsec_… secret inbound deliveries are signed with. During a rotation the variable may hold several secrets separated by spaces. Only as an environment variable reference like ${NAME}: credentials never go into the file; the worker reads the variable when it connects.
       */
      secret: string;
      /**
       * Where replies are POSTed (JSON, signed with replySecret, webhook-id = the reply's idempotency key). An http(s) URL or ${NAME}. Without it replies go to the outbox.
       */
      replyUrl?: string;
      /**
       * The whsec_… secret replies are signed with. Default: secret. Only as an environment variable reference like ${NAME}: credentials never go into the file; the worker reads the variable when it connects.
       */
      replySecret?: string;
    };
    /**
     * The platform accepts a reply only within this long after the customer's message (Meta: 24 hours for messages). Each interaction runs it as its own timer beside the commitments and escalates before it closes.
     */
    replyWindow?: {
      /**
       * How long after the customer's latest message a reply is accepted, like 24h.
       */
      within: string;
      /**
       * How long before the window closes the team is told when no reply has gone out (default 1h).
       */
      escalateBefore?: string;
      /**
       * direct (default): only direct messages have the window; all: every post.
       */
      applies?: 'direct' | 'all';
    };
  }[];
  /**
   * The brand itself.
   */
  brand?: {
    /**
     * Names of the brand; a post mentioning one is about us (relevant) but not addressed to us.
     *
     * Items: A brand name, matched as whole words ignoring case.
     */
    names?: string[];
    /**
     * Listening terms for brand names that are also common words, per language: keys are language codes as triage detects them (en, de, …) or any (every language; merged with the post's language). Relevance uses them; a post that is not addressed to us is still not answered by default (overheard.policy.yaml).
     */
    listening?: {
      [k: string]: ListeningTerms;
    };
  };
}
/**
 * Listening terms of one language (or of every language, under any).
 */
export interface ListeningTerms {
  /**
   * Terms that confirm a post is about us: a post that names the brand only by a single-word name (Bahn, Sprint) and holds an exclude term counts after all when it also holds one of these (zug, ticket, my phone bill).
   *
   * @minItems 1
   * @maxItems 500
   *
   * Items: A word or a phrase, matched as whole words ignoring case; a trailing * matches any ending (autobahn* also finds Autobahnen).
   */
  include?: string[];
  /**
   * Terms that mean another sense of a single-word brand name (auf der Bahn, Autobahn, sprint planning): a post that names the brand only that way and holds one of these is not about us, unless an include term says it is. Handles and multi-word names always count.
   *
   * @minItems 1
   * @maxItems 500
   *
   * Items: A word or a phrase, matched as whole words ignoring case; a trailing * matches any ending (autobahn* also finds Autobahnen).
   */
  exclude?: string[];
}

/**
 * teams.yaml: the teams that decide escalations and receive notifications.
 */
export interface HearkenTeams {
  /**
   * Team id (kebab-case) → team.
   */
  teams: {
    /**
     * One team.
     */
    [k: string]: {
      /**
       * Calendar (from calendars.yaml) of the team's working hours.
       */
      calendar?: string;
      /**
       * How the team is told about escalations and notifications.
       */
      notify?: {
        /**
         * URL that receives a JSON POST; ${VAR} is replaced by the environment variable VAR when the pack loads (unset: no webhook).
         */
        webhook?: string;
      };
    } | null;
  };
}

/**
 * Open intervals of one weekday, local time, like ["08:00-12:00", "13:00-18:00"]; [] means closed.
 *
 * Items: HH:MM-HH:MM, end after start; 24:00 ends at midnight.
 */
export type Intervals = string[];

/**
 * calendars.yaml: opening hours and holidays that `business` durations count.
 */
export interface HearkenCalendars {
  /**
   * Calendar id (kebab-case) → calendar.
   */
  calendars: {
    [k: string]: Calendar;
  };
}
/**
 * One calendar.
 */
export interface Calendar {
  /**
   * IANA time zone of the opening hours, like Europe/Berlin or UTC.
   */
  timezone: string;
  /**
   * "always" (24/7), or weekday → list of open intervals in local time, like ["08:00-20:00"]; days not listed are closed.
   */
  hours:
    | 'always'
    | {
        mon?: Intervals;
        tue?: Intervals;
        wed?: Intervals;
        thu?: Intervals;
        fri?: Intervals;
        sat?: Intervals;
        sun?: Intervals;
      };
  /**
   * Local dates (YYYY-MM-DD) on which the calendar is closed all day.
   *
   * Items: A date, like 2026-12-24.
   */
  holidays?: string[];
}

/**
 * templates.yaml: reply texts with language variants; the post's language picks the variant, the first variant is the fallback.
 */
export interface HearkenReplyTemplates {
  /**
   * Template id (kebab-case) → language code → text.
   */
  templates: {
    /**
     * Language code (en, de, pt-BR) → text with Mustache placeholders such as {{author.name}} and {{deadline.resolution}}.
     */
    [k: string]: {
      /**
       * The text in this language.
       */
      [k: string]: string;
    };
  };
}
