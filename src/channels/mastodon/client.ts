// One REST client per connected Mastodon account (masto), with the account
// itself and the instance's status length limit looked up once.
import { createRestAPIClient, type mastodon } from 'masto';
import type { TextLimit } from '../text-limit';

export interface MastodonAccount {
  id: string;
  /** accounts.yaml handle, like brand@social.example. */
  handle: string;
  instance: string;
  token: string;
  /** textLimit from accounts.yaml, overriding the instance's. */
  textLimit?: number;
}

export class MastodonSession {
  readonly rest: mastodon.rest.Client;
  private me: Promise<mastodon.v1.Account> | null = null;
  private limit: Promise<TextLimit> | null = null;

  constructor(readonly account: MastodonAccount) {
    this.rest = createRestAPIClient({ url: account.instance, accessToken: account.token, timeout: 15_000 });
  }

  /** The connected account as the instance knows it. */
  self(): Promise<mastodon.v1.Account> {
    this.me ??= this.rest.v1.accounts.verifyCredentials().catch((err: unknown) => {
      this.me = null;
      throw err;
    });
    return this.me;
  }

  /** The instance's limit (configuration.statuses.max_characters), 500 when it does not say. */
  textLimit(): Promise<TextLimit> {
    if (this.account.textLimit !== undefined) return Promise.resolve({ max: this.account.textLimit, unit: 'characters' });
    this.limit ??= this.rest.v2.instance.fetch().then(
      (i) => ({ max: i.configuration?.statuses?.maxCharacters ?? 500, unit: 'characters' as const }),
      () => {
        this.limit = null;
        return { max: 500, unit: 'characters' as const };
      },
    );
    return this.limit;
  }

  /**
   * Since Mastodon 4.3 an account's notification policy may filter mentions
   * (from people it does not follow, new accounts, private mentions): such
   * mentions would never reach the listener. Says which, or nothing.
   */
  async notificationPolicyWarnings(): Promise<string[]> {
    const res = await fetch(new URL('/api/v2/notifications/policy', this.account.instance), {
      headers: { authorization: `Bearer ${this.account.token}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => null);
    if (!res?.ok) return [];
    const policy = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    // for_limited_accounts (moderated accounts) is left out: filtering those is the instance's moderation.
    const filtered = ['for_not_following', 'for_not_followers', 'for_new_accounts', 'for_private_mentions'].filter(
      (k) => typeof policy[k] === 'string' && policy[k] !== 'accept',
    );
    return filtered.length === 0
      ? []
      : [
          `mastodon account ${this.account.handle}: its notification policy filters or drops mentions (${filtered
            .map((k) => `${k}: ${String(policy[k])}`)
            .join(', ')}); such mentions never reach Hearken. Set them to accept in Preferences → Notifications.`,
        ];
  }
}
