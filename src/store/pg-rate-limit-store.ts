// An express-rate-limit store in PostgreSQL (HEARKEN_RATE_LIMIT_STORE=shared):
// one fixed window per key, counted in one upsert, so every API process on
// every host adds to the same counter and a limit holds for all of them
// together. The upsert is atomic (the row is locked for the update), so two
// processes counting one key at once never lose a hit.
//
// Cost: one round trip per limited request. When the database does not
// answer, the limiters let the request through (passOnStoreError) and the
// failure is logged: a limit is a guard against runaway clients, not a reason
// to refuse every capture while the database restarts.
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type pg from 'pg';

export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly pool: pg.Pool,
    /** Keeps the limiters' counters apart (capture, decision, auth-failure). */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** For the failed-authentication limit, whose window is not express-rate-limit's. */
  withWindow(windowMs: number): this {
    this.windowMs = windowMs;
    return this;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const res = await this.pool.query<{ hits: number; reset_at: Date }>(
      'SELECT hits, reset_at FROM hearken_rate_limits WHERE key = $1 AND reset_at > now()',
      [this.key(key)],
    );
    const row = res.rows[0];
    return row ? { totalHits: row.hits, resetTime: row.reset_at } : undefined;
  }

  async increment(key: string): Promise<IncrementResponse> {
    // A window that ended starts again at 1; the database's clock decides, so hosts' clocks need not agree.
    const res = await this.pool.query<{ hits: number; reset_at: Date }>(
      `INSERT INTO hearken_rate_limits AS r (key, hits, reset_at)
         VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.hits + 1 END,
         reset_at = CASE WHEN r.reset_at <= now() THEN EXCLUDED.reset_at ELSE r.reset_at END
       RETURNING hits, reset_at`,
      [this.key(key), this.windowMs],
    );
    const row = res.rows[0]!;
    return { totalHits: row.hits, resetTime: row.reset_at };
  }

  async decrement(key: string): Promise<void> {
    await this.pool.query('UPDATE hearken_rate_limits SET hits = GREATEST(hits - 1, 0) WHERE key = $1 AND reset_at > now()', [
      this.key(key),
    ]);
  }

  async resetKey(key: string): Promise<void> {
    await this.pool.query('DELETE FROM hearken_rate_limits WHERE key = $1', [this.key(key)]);
  }

  /** Drops windows that ended (any process may do it; the table stays small). */
  async sweep(): Promise<number> {
    const res = await this.pool.query("DELETE FROM hearken_rate_limits WHERE reset_at < now() - interval '1 minute'");
    return res.rowCount ?? 0;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }
}
