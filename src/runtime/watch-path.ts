// The reload trigger for what a running service reads while it runs: the
// policy pack folder (PackStore) and the tokens file (TokenStore). A plain
// fs.watch on the path breaks in the ways files are really edited:
// - editors and git save by writing a temporary file and renaming it over
//   the old one, so a watch on the file itself is left on a deleted inode;
// - a folder deleted and created again (a branch switch, `rm -r` and a
//   fresh copy, a deploy that swaps folders) leaves a watch on the dead
//   folder: Linux reports one `rename` of the folder itself, then nothing.
// So this watches the parent folder for the target's name, and a target that
// is a folder also directly (for the files in it). Before each call it checks
// that both watched folders are still the ones it armed on (device and inode)
// and re-arms when not; while the parent folder is missing it tries again
// every `retryMs`. A burst of events (an editor's temp file and rename, git
// writing many files) makes one call after `debounceMs` of quiet.
//
// Change events are local: on a network folder (NFS, SMB) shared by several
// hosts, inotify reports this host's writes only, so a token revoked on one
// host would never reach the API on another. With `pollMs`, the target is
// also looked at that often (size, modification time and inode of the file,
// or of each file in the folder) and a difference counts as a change: the
// delay is bounded by `pollMs` whatever the file system.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchPathOptions {
  /** Quiet time before `onChange` runs. */
  debounceMs?: number;
  /** How often to try to watch again while the parent folder is missing. */
  retryMs?: number;
  /** Also call `onChange`, at once, when the process receives this signal (SIGHUP: "reload your files"). */
  signal?: NodeJS.Signals;
  /** Also look for a change this often (0 or unset: events only); see above. */
  pollMs?: number;
  /** false: no change events, polling only (what a network folder amounts to for other hosts' writes; tests). */
  events?: boolean;
}

export interface PathWatch {
  close(): void;
}

interface Armed {
  watcher: FSWatcher;
  /** device:inode of the watched folder when the watch began. */
  identity: string;
}

/**
 * Calls `onChange` after `target` (a file or a folder) or, for a folder, a
 * file in it changed, was replaced, deleted or created again. The call is a
 * hint to re-read, not a promise that the content differs.
 */
export function watchPath(target: string, onChange: () => void, options: WatchPathOptions = {}): PathWatch {
  const { debounceMs = 200, retryMs = 1_000, signal, pollMs = 0, events = true } = options;
  const full = path.resolve(target);
  const parent = path.dirname(full);
  const name = path.basename(full);
  let outer: Armed | null = null;
  let inner: Armed | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const changed = (): void => {
    if (closed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      // Re-arm before the caller reads, so an edit made during the read is not missed.
      if (events && !healthy()) rearm();
      onChange();
    }, debounceMs);
  };

  // The parent folder names its own deletion too (Linux reports the watched
  // folder's own name): that and the target's name are worth a look.
  const onParentEvent = (_event: string, file: string | null): void => {
    if (file === null || file === name || file === path.basename(parent)) changed();
  };

  const healthy = (): boolean =>
    outer !== null &&
    identityOf(parent) === outer.identity &&
    (isFolder(full) ? inner !== null && identityOf(full) === inner.identity : inner === null);

  const rearm = (): void => {
    disarm();
    outer = arm(parent, onParentEvent, changed);
    inner = outer !== null && isFolder(full) ? arm(full, changed, changed) : null;
    if (outer === null && retry === null && !closed) {
      retry = setTimeout(() => {
        retry = null;
        if (closed) return;
        rearm();
        // Whatever happened while nothing watched is only known by reading again.
        if (outer !== null) changed();
      }, retryMs);
      // Retrying alone must not keep a finished process alive.
      retry.unref();
    }
  };

  const disarm = (): void => {
    outer?.watcher.close();
    inner?.watcher.close();
    outer = null;
    inner = null;
  };

  if (events) rearm();
  if (signal) process.on(signal, onChange);
  let seen = signatureOf(full);
  const poll =
    pollMs > 0
      ? setInterval(() => {
          const now = signatureOf(full);
          if (now === seen) return;
          seen = now;
          changed();
        }, pollMs)
      : null;
  // Polling alone must not keep a finished process alive.
  poll?.unref();

  return {
    close(): void {
      closed = true;
      disarm();
      if (debounce) clearTimeout(debounce);
      if (retry) clearTimeout(retry);
      if (poll) clearInterval(poll);
      debounce = null;
      retry = null;
      if (signal) process.off(signal, onChange);
    },
  };
}

/** Watches `folder`, or null when it is not there; a watcher's error is a reason to look again. */
function arm(folder: string, listener: (event: string, file: string | null) => void, onError: () => void): Armed | null {
  const identity = identityOf(folder);
  if (identity === null) return null;
  try {
    const watcher = watch(folder, listener);
    watcher.on('error', onError);
    return { watcher, identity };
  } catch {
    // Gone between the stat and the watch: the retry or the parent's event comes back here.
    return null;
  }
}

function identityOf(folder: string): string | null {
  try {
    const stat = statSync(folder);
    return stat.isDirectory() ? `${stat.dev}:${stat.ino}` : null;
  } catch {
    return null;
  }
}

function isFolder(file: string): boolean {
  return identityOf(file) !== null;
}

/**
 * What polling compares: size, modification time and inode of the file, or of
 * every file in the folder (not deeper: a pack is one folder). Editors and git
 * replace files (a new inode), `touch` and appends change the time or size.
 */
export function signatureOf(target: string): string {
  const one = (file: string): string => {
    try {
      const st = statSync(file);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  let names: string[];
  try {
    names = readdirSync(target).sort();
  } catch {
    return one(target);
  }
  return `${one(target)}|${names.map((n) => `${n}=${one(path.join(target, n))}`).join('|')}`;
}
