// Team notifications: a POST to the team's webhook when configured (the
// activity's retry policy gives backoff), else a line in
// $HEARKEN_DATA_DIR/notifications.jsonl. Both are keyed by idempotency key.
import path from 'node:path';
import { JsonlLedger } from './jsonl-ledger';

export interface Notification {
  interactionId: string;
  team: string;
  /** reminder, escalation, breach, follow-up, notify */
  kind: string;
  message: string;
  idempotencyKey: string;
  link?: string;
}

export interface NotificationRecord extends Notification {
  via: 'webhook' | 'file';
  sentAt: string;
}

export class Notifier {
  private readonly ledger: JsonlLedger<NotificationRecord>;

  constructor(
    dataDir: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.ledger = new JsonlLedger(path.join(dataDir, 'notifications.jsonl'));
  }

  get file(): string {
    return this.ledger.file;
  }

  async send(n: Notification, webhook: string | undefined): Promise<NotificationRecord> {
    const sentAt = new Date().toISOString();
    if (webhook) {
      const res = await this.fetchImpl(webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': n.idempotencyKey },
        body: JSON.stringify(n),
        signal: AbortSignal.timeout(10_000), // under the activity's 15 s attempt,
      });
      // A non-2xx answer throws so the activity retries with backoff; the
      // receiver dedups on the Idempotency-Key header.
      if (!res.ok) throw new Error(`webhook for team ${n.team} answered ${res.status}`);
      return { ...n, via: 'webhook', sentAt };
    }
    const { record } = await this.ledger.append({ ...n, via: 'file', sentAt });
    return record;
  }
}
