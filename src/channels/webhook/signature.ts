// Standard Webhooks signatures (standardwebhooks, the reference library):
// headers webhook-id, webhook-timestamp and webhook-signature; the signature
// is `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<raw body>")>`, several
// space-separated during a key rotation; a timestamp more than 5 minutes off
// is refused; signatures are compared in constant time.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The secrets a variable holds: one `whsec_…`, or several separated by spaces during a rotation. */
export function secretsOf(value: string): string[] {
  return value.split(/\s+/u).filter(Boolean);
}

/**
 * Verifies a delivery against each of our secrets (any one may match: a
 * rotation); returns null when it verifies, else why not (for the 401; it
 * never contains a secret).
 */
export function verifyDelivery(
  secrets: readonly string[],
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): string | null {
  const flat: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const v = headers[name];
    if (typeof v === 'string') flat[name] = v;
  }
  let reason = 'no secret configured';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(rawBody, flat, { jsonParse: false });
      return null;
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      reason = err.message;
    }
  }
  return reason;
}

/** Headers that sign `body` as message `id`, now. */
export function signDelivery(secret: string, id: string, body: string, at = new Date()): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
