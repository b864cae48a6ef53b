// Failed authentications, limited per client IP: after `limit` wrong,
// malformed or expired bearer tokens within the window, every request from
// that client that needs a token answers 429 (with Retry-After) until the
// window is over, a right token included, or the limit would only change the
// status a token guesser sees. Only failures count, and only once they have
// happened: a busy client with a good token is never limited by this, however
// many requests it has in flight. A missing header is not a guess and does
// not count. In this process's memory (express-rate-limit's MemoryStore) by
// default, like the other limits: with N API processes a guesser gets up to N
// times the limit. Given a shared store (PostgreSQL), all processes count
// together. A shared store that fails blocks nobody (and is reported): the
// limit slows guessing, it must not lock everyone out while the database
// restarts.
import { MemoryStore } from 'express-rate-limit';
import type { Options, Store } from 'express-rate-limit';

export const DEFAULT_AUTH_FAILURE_LIMIT = 20;
export const AUTH_FAILURE_WINDOW_MS = 5 * 60_000;

export class FailedAuthLimit {
  private readonly store: Store;

  constructor(
    readonly limit: number = DEFAULT_AUTH_FAILURE_LIMIT,
    readonly windowMs: number = AUTH_FAILURE_WINDOW_MS,
    shared?: { store: Store; onError?: (err: Error) => void },
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`the failed-authentication limit must be a whole number, at least 1; got ${limit}`);
    this.store = shared?.store ?? new MemoryStore();
    this.onError = shared?.onError ?? (() => undefined);
    void this.store.init?.({ windowMs } as Options);
  }

  private readonly onError: (err: Error) => void;

  /** Seconds until `key` may try again, or 0 when it is not blocked (or the shared store does not answer). */
  async retryAfter(key: string, now: number = Date.now()): Promise<number> {
    let client;
    try {
      client = await this.store.get?.(key);
    } catch (err) {
      this.onError(err as Error);
      return 0;
    }
    const resetAt = client?.resetTime?.getTime() ?? now + this.windowMs;
    if (!client || client.totalHits < this.limit || resetAt <= now) return 0;
    return Math.max(1, Math.ceil((resetAt - now) / 1000));
  }

  async fail(key: string): Promise<void> {
    try {
      await this.store.increment(key);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  close(): void {
    void this.store.shutdown?.();
  }
}
