// An append-only JSON-lines file in which each idempotency key appears at
// most once. It backs the outbox channel and the notification log: an
// activity retried after a crash finds its earlier line instead of writing a
// second one.
//
// Why it holds: within a process, writes go through one promise chain; across
// processes sharing a data folder, a lock file (proper-lockfile) guards the
// read-check-append. Before each check the ledger reads whatever other
// processes appended since its last read, so its key index is never stale.
// A crash mid-append can leave a torn last line: it is skipped on read and the
// next append starts on a fresh line.
//
// Erasing a customer (`hearken customer forget`) rewrites lines in place:
// under the same lock, into a new file renamed over the old one. Every ledger
// notices the new file (another inode, or a shorter one) on its next read and
// reads it from the start; the keys stay, so nothing is sent again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export interface LedgerRecord {
  idempotencyKey: string;
}

/** A line of the file as `rewrite` sees it: its record, unless it is torn. */
export interface LedgerLine<T> {
  record: T | null;
  raw: string;
}

/** What becomes of a line in `rewrite`: kept as it is, replaced by a record, or dropped. */
export type LineFate<T> = 'keep' | 'drop' | { replace: T };

export class JsonlLedger<T extends LedgerRecord> {
  private readonly byKey = new Map<string, T>();
  private readOffset = 0;
  private endsWithNewline = true;
  /** The inode read so far; a rewrite renames a new file into place. */
  private inode: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  get where(): string {
    return this.file;
  }

  /** Appends `record` unless its key is already there; returns the stored record and whether it was already there. */
  append(record: T): Promise<{ record: T; duplicate: boolean }> {
    const run = this.queue.then(() => this.appendLocked(record));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async get(key: string): Promise<T | undefined> {
    await this.catchUp();
    return this.byKey.get(key);
  }

  /** Every record, in the file's order (the first line of a key). */
  async all(): Promise<T[]> {
    await this.catchUp();
    return [...this.byKey.values()];
  }

  /**
   * Rewrites every line under the lock: `fate` keeps, replaces or drops each.
   * The new file is written beside the old one, flushed, and renamed over it,
   * so a crash leaves either file whole. Returns how many lines changed.
   */
  rewrite(fate: (line: LedgerLine<T>) => LineFate<T>): Promise<{ changed: number; lines: number }> {
    const run = this.queue.then(() => this.rewriteLocked(fate));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rewriteLocked(fate: (line: LedgerLine<T>) => LineFate<T>): Promise<{ changed: number; lines: number }> {
    const release = await this.lock();
    try {
      const text = await fs.readFile(this.file, 'utf8');
      const out: string[] = [];
      let changed = 0;
      const lines = text.split('\n').filter((l) => l.trim());
      for (const raw of lines) {
        let record: T | null = null;
        try {
          record = JSON.parse(raw) as T;
        } catch {
          // A torn line from a crash.
        }
        const f = fate({ record, raw });
        if (f === 'keep') out.push(raw);
        else {
          changed++;
          if (f !== 'drop') out.push(JSON.stringify(f.replace));
        }
      }
      if (changed === 0) return { changed, lines: lines.length };
      const temp = `${this.file}.rewrite-${process.pid}`;
      const fh = await fs.open(temp, 'w', 0o600);
      try {
        await fh.write(out.map((l) => `${l}\n`).join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(temp, this.file);
      this.forget();
      return { changed, lines: lines.length };
    } finally {
      await release();
    }
  }

  private async lock(): Promise<() => Promise<void>> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.open(this.file, 'a');
    await handle.close();
    return lockfile.lock(this.file, {
      retries: { retries: 200, minTimeout: 5, maxTimeout: 100 },
      stale: 10_000,
    });
  }

  /** Drops what was read: the next read starts from the beginning of the (new) file. */
  private forget(): void {
    this.byKey.clear();
    this.readOffset = 0;
    this.endsWithNewline = true;
    this.inode = null;
  }

  private async appendLocked(record: T): Promise<{ record: T; duplicate: boolean }> {
    const release = await this.lock();
    try {
      await this.catchUp();
      const existing = this.byKey.get(record.idempotencyKey);
      if (existing) return { record: existing, duplicate: true };
      const line = (this.endsWithNewline ? '' : '\n') + JSON.stringify(record) + '\n';
      const fh = await fs.open(this.file, 'a');
      try {
        await fh.write(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.readOffset += Buffer.byteLength(line);
      this.endsWithNewline = true;
      this.byKey.set(record.idempotencyKey, record);
      return { record, duplicate: false };
    } finally {
      await release();
    }
  }

  /** Reads the bytes appended since the last read (by us or another process). */
  private async catchUp(): Promise<void> {
    let fh;
    try {
      fh = await fs.open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const { size, ino } = await fh.stat();
      // Rewritten (forget): another file now, or a shorter one.
      if ((this.inode !== null && ino !== this.inode) || size < this.readOffset) this.forget();
      this.inode = ino;
      if (size <= this.readOffset) return;
      const buf = Buffer.alloc(size - this.readOffset);
      await fh.read(buf, 0, buf.length, this.readOffset);
      const text = buf.toString('utf8');
      const lastNewline = text.lastIndexOf('\n');
      // Only whole lines are consumed; a torn tail is re-read next time, and if
      // it is still torn when we append, the append starts a new line.
      const complete = lastNewline >= 0 ? text.slice(0, lastNewline) : '';
      for (const line of complete.split('\n')) {
        if (!line.trim()) continue;
        try {
          const rec = JSON.parse(line) as T;
          if (typeof rec.idempotencyKey === 'string' && !this.byKey.has(rec.idempotencyKey)) this.byKey.set(rec.idempotencyKey, rec);
        } catch {
          // A torn line from a crash: not a record.
        }
      }
      this.readOffset += Buffer.byteLength(complete) + (lastNewline >= 0 ? 1 : 0);
      this.endsWithNewline = lastNewline === text.length - 1;
    } finally {
      await fh.close();
    }
  }
}
