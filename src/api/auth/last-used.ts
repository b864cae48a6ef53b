// When each token was last used, for `hearken token list`. Several API
// processes (on several hosts) share one tokens file, so "last used" must
// merge what all of them saw without lost updates and without a write per
// request. Each process keeps the uses it saw in memory and writes at most
// once per flush interval (a minute by default, and when it stops): under a
// cross-process lock it reads the file, keeps the later instant per token,
// and replaces the file atomically. N processes cost at most N small writes
// a minute, whatever the traffic; "last used" is at most that interval behind.
//
// The file sits beside the tokens file (tokens.yaml → tokens.last-used.json),
// keyed by the token's sha256 (already in the tokens file), so a revoked
// name given to a new token does not inherit the old token's last use. It is
// not the tokens file: writing it never triggers a reload.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export const DEFAULT_FLUSH_MS = 60_000;

interface FileShape {
  /** sha256 of a token → ISO 8601 instant of its last use. */
  lastUsed: Record<string, string>;
}

/** `…/tokens.yaml` → `…/tokens.last-used.json`. */
export function lastUsedFileFor(tokensFile: string): string {
  const parsed = path.parse(path.resolve(tokensFile));
  const stem = /^\.ya?ml$/i.test(parsed.ext) ? parsed.name : parsed.base;
  return path.join(parsed.dir, `${stem}.last-used.json`);
}

export class LastUsedLog {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly file: string,
    private readonly opts: { flushMs?: number; onError?: (err: Error) => void } = {},
  ) {}

  /** Notes a use of the token with this sha256; written with the next flush. */
  touch(tokenSha256: string, at: number = Date.now()): void {
    if (this.closed) return;
    const before = this.pending.get(tokenSha256);
    if (before === undefined || at > before) this.pending.set(tokenSha256, at);
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.opts.flushMs ?? DEFAULT_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes the uses seen since the last flush (merged with every other process's); failures are kept for the next one. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.flushNow());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async flushNow(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await updateLastUsed(this.file, (current) => {
        let changed = false;
        for (const [hash, at] of batch) {
          const known = current[hash] !== undefined ? Date.parse(current[hash]) : NaN;
          if (known >= at) continue;
          current[hash] = new Date(at).toISOString();
          changed = true;
        }
        return changed;
      });
    } catch (err) {
      // Keep them for the next flush (a read-only folder keeps failing: say so, do not crash).
      for (const [hash, at] of batch) if (!((this.pending.get(hash) ?? 0) >= at)) this.pending.set(hash, at);
      this.opts.onError?.(err as Error);
    }
  }
}

/** sha256 → ISO instant of the last use; empty when the file does not exist yet. */
export async function readLastUsed(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const data = JSON.parse(text) as Partial<FileShape>;
    const out: Record<string, string> = {};
    for (const [hash, at] of Object.entries(data.lastUsed ?? {}))
      if (/^[0-9a-f]{64}$/.test(hash) && typeof at === 'string' && !Number.isNaN(Date.parse(at))) out[hash] = at;
    return out;
  } catch {
    // A torn or hand-edited file: start again rather than stop recording.
    return {};
  }
}

/** Drops the entries of these tokens (`token revoke`). */
export async function forgetLastUsed(file: string, hashes: readonly string[]): Promise<void> {
  await updateLastUsed(file, (current) => {
    const known = hashes.filter((hash) => current[hash] !== undefined);
    for (const hash of known) delete current[hash];
    return known.length > 0;
  });
}

/**
 * Read, change, replace (when `change` says it changed something): under a
 * lock (proper-lockfile: a lock folder, which works across processes and NFS).
 */
async function updateLastUsed(file: string, change: (current: Record<string, string>) => boolean): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    realpath: false,
    retries: { retries: 50, minTimeout: 10, maxTimeout: 200 },
    stale: 10_000,
  });
  try {
    const current = await readLastUsed(file);
    if (!change(current)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify({ lastUsed: current } satisfies FileShape, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  } finally {
    await release();
  }
}
