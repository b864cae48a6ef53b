// A channel ledger in PostgreSQL: the idempotency key is the primary key of
// (ledger, key), so "never a key twice" holds for every process on every host
// that shares the database. INSERT … ON CONFLICT DO NOTHING decides the race:
// of two workers publishing one key at once, PostgreSQL makes the second wait
// for the first to commit and then inserts nothing; the loser reads the
// winner's record and reports a duplicate.
import type pg from 'pg';
import type { Ledger, LedgerLine, LedgerName, LedgerRecord, LedgerStore, LineFate } from '../channels/ledger';

export class PgLedger<T extends LedgerRecord> implements Ledger<T> {
  constructor(
    private readonly pool: pg.Pool,
    readonly name: LedgerName,
  ) {}

  get where(): string {
    return `postgres:hearken_ledger/${this.name}`;
  }

  async append(record: T): Promise<{ record: T; duplicate: boolean }> {
    const inserted = await this.pool.query<{ record: T }>(
      `INSERT INTO hearken_ledger (ledger, idempotency_key, record) VALUES ($1, $2, $3)
       ON CONFLICT (ledger, idempotency_key) DO NOTHING RETURNING record`,
      [this.name, record.idempotencyKey, JSON.stringify(record)],
    );
    if (inserted.rowCount === 1) return { record, duplicate: false };
    const existing = await this.get(record.idempotencyKey);
    // Only an erasure that dropped the row between the two statements gets here; the caller's retry settles it.
    if (existing === undefined) throw new Error(`ledger ${this.name}: key ${record.idempotencyKey} vanished during append`);
    return { record: existing, duplicate: true };
  }

  async get(key: string): Promise<T | undefined> {
    const found = await this.pool.query<{ record: T }>('SELECT record FROM hearken_ledger WHERE ledger = $1 AND idempotency_key = $2', [
      this.name,
      key,
    ]);
    return found.rows[0]?.record;
  }

  async all(): Promise<T[]> {
    const rows = await this.pool.query<{ record: T }>('SELECT record FROM hearken_ledger WHERE ledger = $1 ORDER BY seq', [this.name]);
    return rows.rows.map((r) => r.record);
  }

  /** In one transaction, every row locked: an append of a key being rewritten waits for it. */
  async rewrite(fate: (line: LedgerLine<T>) => LineFate<T>): Promise<{ changed: number; lines: number }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const rows = await client.query<{ idempotency_key: string; record: T }>(
        'SELECT idempotency_key, record FROM hearken_ledger WHERE ledger = $1 ORDER BY seq FOR UPDATE',
        [this.name],
      );
      let changed = 0;
      for (const row of rows.rows) {
        const f = fate({ record: row.record, raw: JSON.stringify(row.record) });
        if (f === 'keep') continue;
        changed++;
        if (f === 'drop')
          await client.query('DELETE FROM hearken_ledger WHERE ledger = $1 AND idempotency_key = $2', [this.name, row.idempotency_key]);
        else
          await client.query('UPDATE hearken_ledger SET record = $3 WHERE ledger = $1 AND idempotency_key = $2', [
            this.name,
            row.idempotency_key,
            JSON.stringify(f.replace),
          ]);
      }
      await client.query('COMMIT');
      return { changed, lines: rows.rows.length };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

export function pgLedgers(pool: pg.Pool): LedgerStore {
  return { kind: 'postgres', open: <T extends LedgerRecord>(name: LedgerName) => new PgLedger<T>(pool, name) };
}
