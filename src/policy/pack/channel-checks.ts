// Pack checks for connected accounts (accounts.yaml) and for the length of
// replies: a template that can render longer than a channel allows would be
// refused at publish time and handed to a human, so `policy check` says so
// while the care lead can still shorten it.
import { CHANNEL_TEXT_LIMITS, describeLimit, measure, type TextLimit } from '../../channels/text-limit';
import { namedSecret } from '../../runtime/config';
import { renderTemplate } from '../engine/render';
import type { AccountSpec, Condition, PolicySpec, StepSpec } from '../types';
import { escapePointer } from './json-pointer';

export interface PackNote {
  level: 'error' | 'warning';
  /** JSON pointer into the file the note is about. */
  pointer: string;
  message: string;
}

const CONNECTIONS = ['bluesky', 'mastodon', 'webhook'] as const;
const SECRET_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/u;

/** The id of a connected account: `id`, else its channel. */
export function accountId(a: AccountSpec): string {
  return a.id ?? a.channel;
}

export function isConnected(a: AccountSpec): boolean {
  return CONNECTIONS.some((c) => a[c] !== undefined);
}

/** Checks of accounts.yaml beyond its schema. */
export function checkConnectedAccounts(accounts: readonly AccountSpec[]): PackNote[] {
  const notes: PackNote[] = [];
  const ids = new Map<string, number>();
  accounts.forEach((a, i) => {
    const at = `/accounts/${i}`;
    const kinds = CONNECTIONS.filter((c) => a[c] !== undefined);
    if (kinds.length > 1) {
      notes.push({
        level: 'error',
        pointer: at,
        message: `accounts[${i}]: connect an account one way only; it has ${kinds.join(' and ')}`,
      });
    }
    if (kinds.length === 0) return;
    const id = accountId(a);
    const first = ids.get(id);
    if (first !== undefined) {
      notes.push({
        level: 'error',
        pointer: at,
        message: `accounts[${i}]: connected account id "${id}" is also the id of accounts[${first}]; give each connected account its own \`id\``,
      });
    } else {
      ids.set(id, i);
    }
    const kind = kinds[0]!;
    for (const [field, value] of Object.entries(a[kind] ?? {})) {
      if (typeof value !== 'string') continue;
      const m = SECRET_REF.exec(value);
      if (m && namedSecret(m[1]!) === undefined) {
        notes.push({
          level: 'warning',
          pointer: `${at}/${kind}/${field}`,
          message: `accounts[${i}].${kind}.${field}: environment variable ${m[1]} is not set; account "${id}" cannot connect until it is`,
        });
      }
    }
  });
  return notes;
}

/** The limit of `channel` for `account`: its own textLimit, else the channel's built-in one. */
export function textLimitOf(channel: string, account?: Pick<AccountSpec, 'textLimit'>): TextLimit | null {
  const builtIn = CHANNEL_TEXT_LIMITS[channel];
  if (account?.textLimit !== undefined) return { max: account.textLimit, unit: builtIn?.unit ?? 'characters' };
  return builtIn ?? null;
}

/** The longest display name and handle a channel allows: the worst case a greeting must fit. */
const LONGEST: Record<string, { name: number; handle: number }> = {
  bluesky: { name: 64, handle: 64 },
  mastodon: { name: 30, handle: 64 },
  x: { name: 50, handle: 15 },
  twitter: { name: 50, handle: 15 },
};
const DEFAULT_LONGEST = { name: 64, handle: 64 };

/** Instants whose rendering is long in most languages (long month and weekday names). */
const SAMPLE_INSTANTS = ['2026-09-30T22:45:00Z', '2026-12-30T23:59:00Z', '2026-02-28T10:10:00Z'];

export interface TemplateUse {
  templates: Record<string, Record<string, string>>;
  policies: readonly PolicySpec[];
  accounts: readonly AccountSpec[];
  /** Time zones the pack's calendars use (deadlines render in them). */
  timezones: readonly string[];
}

/**
 * Warnings, one per template variant and channel, for templates that can
 * render longer than a channel they can be sent on allows. A template can be
 * sent on a channel when a policy using it can match that channel's posts
 * (its `when.channel`, if it has one) and the pack has an account there.
 */
export function checkTemplateLengths(use: TemplateUse): Array<PackNote & { template: string; language: string }> {
  const channelsOf = channelsPerTemplate(use);
  const notes: Array<PackNote & { template: string; language: string }> = [];
  for (const [template, channels] of channelsOf) {
    const variants = use.templates[template];
    if (!variants) continue;
    for (const [language, text] of Object.entries(variants)) {
      for (const channel of [...channels].sort()) {
        const account = use.accounts.find((a) => a.channel === channel && a.textLimit !== undefined);
        const limit = textLimitOf(channel, account);
        if (!limit) continue;
        const longest = longestRendering(text, language, channel, use.timezones);
        if (longest === null || longest <= limit.max) continue;
        notes.push({
          level: 'warning',
          template,
          language,
          pointer: `/templates/${escapePointer(template)}/${escapePointer(language)}`,
          message: `templates.${template}.${language}: can render to ${longest} ${limit.unit} on ${channel}, which allows ${describeLimit(limit)} (with the longest ${channel} name and the longest deadline); such a reply is not sent but handed to a human`,
        });
      }
    }
  }
  return notes;
}

function longestRendering(text: string, language: string, channel: string, timezones: readonly string[]): number | null {
  const limits = LONGEST[channel] ?? DEFAULT_LONGEST;
  const unit = CHANNEL_TEXT_LIMITS[channel]?.unit ?? 'characters';
  const name = 'W'.repeat(limits.name);
  const handle = 'w'.repeat(limits.handle);
  let longest = 0;
  try {
    for (const timezone of timezones.length > 0 ? timezones : ['UTC']) {
      for (const at of SAMPLE_INSTANTS) {
        const vars = {
          author: { name, handle },
          deadlines: { firstResponse: at, resolution: at, decision: at },
          timezone,
          language,
        };
        // Both greetings: a display name, and the @handle it falls back to.
        for (const author of [{ name, handle }, { handle }]) {
          longest = Math.max(longest, measure(renderTemplate(text, { ...vars, author }).trim(), unit));
        }
      }
    }
  } catch {
    return null; // template syntax errors are reported elsewhere
  }
  return longest;
}

function channelsPerTemplate(use: TemplateUse): Map<string, Set<string>> {
  const packChannels = [...new Set(use.accounts.map((a) => a.channel))];
  const out = new Map<string, Set<string>>();
  const add = (template: string, channels: readonly string[]) => {
    const set = out.get(template) ?? new Set<string>();
    for (const c of channels) set.add(c);
    out.set(template, set);
  };
  for (const policy of use.policies) {
    const allowed = channelCondition(policy.when);
    const channels = allowed ? packChannels.filter((c) => allowed.includes(c)) : packChannels;
    for (const t of templatesOf(policy.steps)) add(t, channels);
    for (const t of templatesOf(policy.commitments?.onBreach ?? [])) add(t, channels);
    if (policy.commitments?.periodicUpdate !== undefined && use.templates['periodic-update']) add('periodic-update', channels);
  }
  return out;
}

/** The channels a top-level `channel:` condition allows, or null when the policy does not restrict them. */
function channelCondition(when: Condition | undefined): string[] | null {
  const m = when?.channel;
  if (typeof m === 'string') return [m];
  if (Array.isArray(m)) return m.filter((x): x is string => typeof x === 'string');
  if (m && typeof m === 'object' && 'equals' in m && typeof m.equals === 'string') return [m.equals];
  return null;
}

function templatesOf(steps: readonly StepSpec[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if ('interimReply' in s) out.push(s.interimReply.template);
    else if ('reply' in s) out.push(s.reply.template);
    else if ('followUp' in s && s.followUp.template !== undefined) out.push(s.followUp.template);
    else if ('escalate' in s) {
      if (s.escalate.draft !== undefined) out.push(s.escalate.draft);
      out.push(...templatesOf(s.escalate.onTimeout ?? []));
    }
  }
  return out;
}
