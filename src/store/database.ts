// The optional shared database (HEARKEN_DATABASE_URL): PostgreSQL for what
// must hold across hosts and that Temporal is not the right arbiter of — the
// channel ledgers' "never a key twice" and shared rate-limit counters.
// Temporal stays the system of record for interactions; nothing here is read
// to decide what an interaction does.
//
// The tables are created on first use, under an advisory lock: two processes
// starting at once must not both run CREATE TABLE (PostgreSQL's IF NOT EXISTS
// is not safe against a concurrent create).
import pg from 'pg';

export interface Database {
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** Any fixed number: the advisory lock that serialises Hearken's schema setup. */
const SCHEMA_LOCK = 4_807_372_615;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS hearken_ledger (
     ledger text NOT NULL,
     idempotency_key text NOT NULL,
     record jsonb NOT NULL,
     seq bigserial NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (ledger, idempotency_key)
   )`,
  `CREATE INDEX IF NOT EXISTS hearken_ledger_interaction ON hearken_ledger (ledger, (record->>'interactionId'))`,
  // UNLOGGED: counters need no durability (a crash forgets a minute's counts) and
  // skip the write-ahead log, so a hit costs no fsync (bench/shared-state).
  `CREATE UNLOGGED TABLE IF NOT EXISTS hearken_rate_limits (
     key text PRIMARY KEY,
     hits integer NOT NULL,
     reset_at timestamptz NOT NULL
   )`,
];

/**
 * Connects (a pool of up to `max` connections) and makes sure the tables
 * exist. Fails at once when the database cannot be reached: a worker that
 * cannot keep its promise of "never a key twice" should not start.
 */
export async function openDatabase(url: string, opts: { max?: number; applicationName?: string } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'hearken',
    connectionTimeoutMillis: 5_000,
    // A query that hangs would hold an activity or a request: fail it instead (retried by the caller).
    query_timeout: 10_000,
  });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await ensureSchema(pool);
  } catch (err) {
    await pool.end();
    throw new Error(`cannot use the database of HEARKEN_DATABASE_URL: ${(err as Error).message}`);
  }
  return { pool, close: () => pool.end() };
}

async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of SCHEMA) await client.query(statement);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A connection URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
