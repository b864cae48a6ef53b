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
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export interface LedgerRecord {
  idempotencyKey: string;
}

export class JsonlLedger<T extends LedgerRecord> {
  private readonly byKey = new Map<string, T>();
  private readOffset = 0;
  private endsWithNewline = true;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

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

  private async appendLocked(record: T): Promise<{ record: T; duplicate: boolean }> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.open(this.file, 'a');
    await handle.close();
    const release = await lockfile.lock(this.file, {
      retries: { retries: 200, minTimeout: 5, maxTimeout: 100 },
      stale: 10_000,
    });
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
      const { size } = await fh.stat();
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
