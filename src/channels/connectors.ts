// Connected accounts (accounts.yaml entries with a bluesky, mastodon or
// webhook block) as connectors: publish a reply, know the text limit, and
// listen. Built lazily from the pack loaded right now and kept while the
// account's settings and secrets stay the same, so a session (a Bluesky
// login) is reused across replies. Credentials are read from the
// environment (through the config module) only here, when connecting.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { AccountSpec, PolicyPack } from '../policy/types';
import { namedSecret } from '../runtime/config';
import { accountId, isConnected, textLimitOf } from '../policy/pack/channel-checks';
import type { ChannelAdapter, OutgoingReply, PublishResult } from './channel';
import type { ChannelListener } from './listen';
import { CHANNEL_TEXT_LIMITS, type TextLimit } from './text-limit';
import { BlueskySession } from './bluesky/session';
import { publishToBluesky } from './bluesky/publish';
import { firehoseListener } from './bluesky/firehose';
import { blueskyAddresses } from './bluesky/publish';
import { mastodonAddresses } from './mastodon/publish';
import { notificationsListener } from './bluesky/notifications';
import { publishToWebhook } from './webhook/publish';
import { MastodonSession } from './mastodon/client';
import { publishToMastodon } from './mastodon/publish';
import { mastodonListener } from './mastodon/listener';
import { secretsOf, verifyDelivery } from './webhook/signature';

export interface Connector {
  readonly id: string;
  readonly channel: string;
  readonly kind: 'bluesky' | 'mastodon' | 'webhook';
  readonly account: AccountSpec;
  /** Null when the account's replies go to the fallback (a webhook account without replyUrl). */
  publish: ((reply: OutgoingReply) => Promise<PublishResult>) | null;
  textLimit(): Promise<TextLimit | null>;
  /** Whether the post `postId` was addressed to this account (or is its own): picks the account to answer with when a channel has several. */
  addresses?(postId: string): Promise<boolean>;
  /** Null for accounts that are pushed to (webhooks). */
  listener(): ChannelListener | null;
  /** Webhook accounts: whether an inbound delivery's signature verifies (null) or why not. */
  verify?(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): string | null;
  /** Warnings about the account found when connecting (a Mastodon notification policy that filters mentions). */
  warnings(): Promise<string[]>;
}

export interface ConnectorDeps {
  /** HTTP client for the platforms; tests route it through a lossy proxy. */
  fetch?: typeof globalThis.fetch;
  /** Reads a `${NAME}` credential; default: the environment through the config module. */
  secret?: (name: string) => string | undefined;
}

export type ConnectorFactory = (account: AccountSpec, secrets: Record<string, string>, deps: ConnectorDeps) => Connector;

const SECRET_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/u;

/** Connector constructors by kind. */
export const CONNECTOR_KINDS: Partial<Record<Connector['kind'], ConnectorFactory>> = {
  bluesky: (account, secrets, deps) => {
    const spec = account.bluesky!;
    const capture = spec.capture ?? 'notifications';
    const session = new BlueskySession(
      {
        id: accountId(account),
        handle: account.handle,
        service: spec.service,
        identifier: spec.identifier ?? account.handle,
        password: secrets.password!,
        capture,
        firehose: (spec.firehose ?? spec.service).replace(/^http/u, 'ws'),
      },
      deps.fetch ? { fetch: deps.fetch } : {},
    );
    const limit = textLimitOf('bluesky', account)!;
    return {
      id: accountId(account),
      channel: account.channel,
      kind: 'bluesky',
      account,
      publish: (reply) => publishToBluesky(session, reply),
      addresses: (postId) => blueskyAddresses(session, postId),
      textLimit: async () => limit,
      listener: () => (capture === 'firehose' ? firehoseListener(session) : notificationsListener(session)),
      warnings: async () => [],
    };
  },
  mastodon: (account, secrets) => {
    const session = new MastodonSession({
      id: accountId(account),
      handle: account.handle,
      instance: account.mastodon!.instance,
      token: secrets.token!,
      ...(account.textLimit !== undefined ? { textLimit: account.textLimit } : {}),
    });
    return {
      id: accountId(account),
      channel: account.channel,
      kind: 'mastodon',
      account,
      publish: (reply) => publishToMastodon(session, reply),
      addresses: (postId) => mastodonAddresses(session, postId),
      textLimit: () => session.textLimit(),
      listener: () => mastodonListener(session),
      warnings: () => session.notificationPolicyWarnings(),
    };
  },
  webhook: (account, secrets, deps) => {
    const id = accountId(account);
    const replyUrl = secrets.replyUrl;
    const signWith = secretsOf(secrets.replySecret ?? secrets.secret ?? '')[0];
    return {
      id,
      channel: account.channel,
      kind: 'webhook',
      account,
      publish:
        replyUrl && signWith
          ? (reply) =>
              publishToWebhook({ accountId: id, url: replyUrl, secret: signWith, ...(deps.fetch ? { fetch: deps.fetch } : {}) }, reply)
          : null,
      textLimit: async () => textLimitOf(account.channel, account),
      listener: () => null,
      verify: (raw, headers) => verifyDelivery(secretsOf(secrets.secret ?? ''), raw, headers),
      warnings: async () => [],
    };
  },
};

export class Connectors {
  private readonly cache = new Map<string, { key: string; connector: Connector }>();

  constructor(
    private readonly packs: { current(): PolicyPack },
    private readonly deps: ConnectorDeps = {},
  ) {}

  /** The connected accounts of the current pack. */
  accounts(): AccountSpec[] {
    return this.packs.current().accounts.filter(isConnected);
  }

  /** The connected account `id` as written in the pack (no credentials read). */
  account(id: string): AccountSpec | undefined {
    return this.accounts().find((a) => accountId(a) === id);
  }

  /** The connector of account `id`; undefined when no such account is connected. Throws when its credentials are missing. */
  forAccount(id: string): Connector | undefined {
    const account = this.accounts().find((a) => accountId(a) === id);
    return account ? this.build(account) : undefined;
  }

  /** The longest reply `channel` takes: its connected account's (the instance's for Mastodon), else the account's or channel's default. */
  async textLimitFor(channel: string): Promise<TextLimit | null> {
    const connector = this.forChannel(channel);
    if (connector) return connector.textLimit();
    const account = this.packs.current().accounts.find((a) => a.channel === channel && a.textLimit !== undefined);
    return textLimitOf(channel, account) ?? CHANNEL_TEXT_LIMITS[channel] ?? null;
  }

  /** The connector that answers on `channel`: its first connected account. */
  forChannel(channel: string): Connector | undefined {
    const account = this.accounts().find((a) => a.channel === channel);
    return account ? this.build(account) : undefined;
  }

  /**
   * The connector that answers post `postId` on `channel`: with one
   * connected account there, that one; with several, the one the post was
   * addressed to (asked of each platform), else the first.
   */
  async forPost(channel: string, postId: string): Promise<Connector | undefined> {
    const candidates = this.accounts()
      .filter((a) => a.channel === channel)
      .map((a) => this.build(a));
    if (candidates.length <= 1) return candidates[0];
    for (const c of candidates) {
      if (await c.addresses?.(postId).catch(() => false)) return c;
    }
    return candidates[0];
  }

  private build(account: AccountSpec): Connector {
    const id = accountId(account);
    const kind = (['bluesky', 'mastodon', 'webhook'] as const).find((k) => account[k] !== undefined)!;
    const secrets: Record<string, string> = {};
    const missing: string[] = [];
    for (const [field, value] of Object.entries(account[kind] ?? {})) {
      if (typeof value !== 'string') continue;
      const m = SECRET_REF.exec(value);
      if (!m) {
        secrets[field] = value;
        continue;
      }
      const v = (this.deps.secret ?? namedSecret)(m[1]!);
      if (v === undefined) missing.push(m[1]!);
      else secrets[field] = v;
    }
    if (missing.length > 0) {
      // Retryable: setting the variable and restarting the worker fixes it, and the reply then goes out.
      throw ApplicationFailure.create({
        type: 'AccountNotConnected',
        message: `account "${id}" cannot connect: environment variable ${missing.join(', ')} is not set`,
      });
    }
    const key = createHash('sha256')
      .update(JSON.stringify([account, secrets]))
      .digest('hex');
    const cached = this.cache.get(id);
    if (cached?.key === key) return cached.connector;
    const factory = CONNECTOR_KINDS[kind];
    if (!factory) throw new Error(`no connector for ${kind} accounts`);
    const connector = factory(account, secrets, this.deps);
    this.cache.set(id, { key, connector });
    return connector;
  }
}

/**
 * The channel adapter the publish activity uses: a reply on a channel with a
 * connected account goes out through it; any other reply to the fallback
 * (the outbox file).
 */
export class ChannelRouter implements ChannelAdapter {
  readonly name = 'router';

  constructor(
    private readonly connectors: Connectors,
    private readonly fallback: ChannelAdapter,
  ) {}

  async publish(reply: OutgoingReply): Promise<PublishResult> {
    const connector = await this.connectors.forPost(reply.channel, reply.inReplyTo);
    if (!connector?.publish) return { ...(await this.fallback.publish(reply)), via: this.fallback.name };
    return { ...(await connector.publish(reply)), via: `${connector.kind}:${connector.id}` };
  }

  textLimit(channel: string): Promise<TextLimit | null> {
    return this.connectors.textLimitFor(channel);
  }
}
