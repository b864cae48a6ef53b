// Team notifications: a POST to the team's webhook when configured (the
// activity's retry policy gives backoff), else a line in
// $HEARKEN_DATA_DIR/notifications.jsonl (or the `notifications` ledger in
// PostgreSQL with HEARKEN_DATABASE_URL). Both are keyed by idempotency key.
// Webhook URLs often carry a token: no error, record or log line made here
// contains one.
import { ledgerStoreOf, type Ledger, type LedgerStore } from './ledger';

export interface Notification {
  interactionId: string;
  team: string;
  /** reminder, escalation, breach, follow-up, notify, unanswered, warning */
  kind: string;
  message: string;
  idempotencyKey: string;
  link?: string;
}

export interface NotificationRecord extends Notification {
  via: 'webhook' | 'file';
  sentAt: string;
  /** Why the team's webhook was given up, when this line is its fallback. */
  webhookError?: string;
}

/** A webhook that did not take a notification; the message names the team and the cause, never the URL. */
export class WebhookError extends Error {
  override name = 'WebhookError';
}

export class Notifier {
  private readonly ledger: Ledger<NotificationRecord>;

  /** `ledgers`: a data folder (the file) or the runtime's store. */
  constructor(
    ledgers: string | LedgerStore,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.ledger = ledgerStoreOf(ledgers).open('notifications');
  }

  /** Where the file notifications are: a file path, or `postgres:…`. */
  get file(): string {
    return this.ledger.where;
  }

  /**
   * To `webhook` when given, else to the file. `webhookError`: this line
   * stands in for a webhook that was given up.
   */
  async send(n: Notification, webhook: string | undefined, webhookError?: string): Promise<NotificationRecord> {
    const sentAt = new Date().toISOString();
    if (webhook) {
      let res: Response;
      try {
        res = await this.fetchImpl(webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': n.idempotencyKey },
          body: JSON.stringify(n),
          signal: AbortSignal.timeout(10_000), // under the activity's 15 s attempt,
        });
      } catch (err) {
        // fetch's own messages may quote the URL ("Failed to parse URL from …").
        throw new WebhookError(`webhook for team ${n.team} failed: ${fetchFailure(err)}`);
      }
      // A non-2xx answer throws so the activity retries with backoff; the
      // receiver dedups on the Idempotency-Key header.
      if (!res.ok) throw new WebhookError(`webhook for team ${n.team} answered ${res.status}`);
      return { ...n, via: 'webhook', sentAt };
    }
    const { record } = await this.ledger.append({ ...n, via: 'file', sentAt, ...(webhookError !== undefined ? { webhookError } : {}) });
    return record;
  }
}

/** What went wrong, in words that cannot contain the URL: an error code or a kind of failure. */
function fetchFailure(err: unknown): string {
  const e = err as { name?: unknown; cause?: { code?: unknown } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within 10 s';
  const code = e?.cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/u.test(code)) return code;
  return 'network error';
}
