// Where the channel ledgers live (the outbox's replies, the team
// notifications written down): each idempotency key at most once. Two
// stores keep that promise in two scopes:
// - files in the data folder (JsonlLedger, the default): a lock file guards
//   the read-check-append, so it holds for every process that shares the
//   folder — one host, or a shared folder whose locks work (proper-lockfile
//   uses mkdir, which NFS makes atomic);
// - PostgreSQL (PgLedger, with HEARKEN_DATABASE_URL): the key is the table's
//   primary key, so it holds for every process on every host that uses the
//   database.
import path from 'node:path';
import { JsonlLedger, type LedgerLine, type LedgerRecord, type LineFate } from './jsonl-ledger';

export type { LedgerLine, LedgerRecord, LineFate };

export interface Ledger<T extends LedgerRecord> {
  /** Where the records are, for logs and messages: a file path, or `postgres:<ledger>`. */
  readonly where: string;
  /** Appends `record` unless its key is already there; returns the stored record and whether it was already there. */
  append(record: T): Promise<{ record: T; duplicate: boolean }>;
  get(key: string): Promise<T | undefined>;
  /** Keeps, replaces or drops each record (erasure); returns how many changed out of how many. */
  rewrite(fate: (line: LedgerLine<T>) => LineFate<T>): Promise<{ changed: number; lines: number }>;
  /** Every record, oldest first. */
  all(): Promise<T[]>;
}

/** The ledgers Hearken keeps; each is a file `<name>.jsonl` or rows of that name in PostgreSQL. */
export const LEDGER_NAMES = ['outbox', 'notifications'] as const;
export type LedgerName = (typeof LEDGER_NAMES)[number];

export interface LedgerStore {
  /** `files` or `postgres`: how far "never a key twice" reaches (README "Running on several hosts"). */
  readonly kind: 'files' | 'postgres';
  open<T extends LedgerRecord>(name: LedgerName): Ledger<T>;
}

/** The default: `<dataDir>/<name>.jsonl`. */
export function fileLedgers(dataDir: string): LedgerStore {
  return {
    kind: 'files',
    open: <T extends LedgerRecord>(name: LedgerName) => new JsonlLedger<T>(path.join(dataDir, `${name}.jsonl`)),
  };
}

/** A data folder (the files) or a store given by the runtime. */
export function ledgerStoreOf(where: string | LedgerStore): LedgerStore {
  return typeof where === 'string' ? fileLedgers(where) : where;
}
