// The pack a running service works with. A bad edit must never take the
// service down or half-apply: the last good pack stays in force, and the
// failed load is kept so GET /v1/policies can show what is wrong.
import path from 'node:path';
import { watchPath, type PathWatch } from '../../runtime/watch-path';
import { ErrorType } from '../../shared/errors';
import { formatPackError, loadPack, type PackError } from './load-pack';
import { compilePolicies, type CompiledPolicy } from '../engine/select';
import type { PackVersion, PolicyPack } from '../types';

/** The first load failed: there is no good pack to fall back on. */
export class PackLoadError extends Error {
  override readonly name = 'PackLoadError';
  readonly type = ErrorType.PackInvalid;

  constructor(
    readonly dir: string,
    readonly errors: PackError[],
  ) {
    super(`policy pack ${dir} has ${errors.length} error(s):\n${errors.map(formatPackError).join('\n')}`);
  }
}

export type ReloadEvent = { ok: true; pack: PolicyPack; previous: PackVersion } | { ok: false; errors: PackError[] };

interface Loaded {
  pack: PolicyPack;
  compiled: CompiledPolicy[];
}

export class PackStore {
  private loaded: Loaded;
  private failure: { at: string; errors: PackError[] } | null = null;
  /** Reloads run one at a time, so an older load never overwrites a newer one. */
  private queue: Promise<unknown> = Promise.resolve();
  private watching: PathWatch | null = null;

  private constructor(
    readonly dir: string,
    loaded: Loaded,
  ) {
    this.loaded = loaded;
  }

  /** Loads the pack; throws PackLoadError listing every problem when it does not load. */
  static async open(dir: string): Promise<PackStore> {
    const abs = path.resolve(dir);
    const result = await tryLoad(abs);
    if (!result.ok) throw new PackLoadError(dir, result.errors);
    return new PackStore(abs, result.loaded);
  }

  current(): PolicyPack {
    return this.loaded.pack;
  }

  /** The current pack's policies, compiled for selection. */
  compiled(): CompiledPolicy[] {
    return this.loaded.compiled;
  }

  /** The last failed load since the last good one, or null. */
  lastError(): { at: string; errors: PackError[] } | null {
    return this.failure;
  }

  /** Loads the folder again; a good pack becomes current, a bad one is kept as lastError() and the old pack stays. */
  reload(): Promise<ReloadEvent> {
    const run = this.queue.then(async (): Promise<ReloadEvent> => {
      const result = await tryLoad(this.dir);
      if (!result.ok) {
        this.failure = { at: new Date().toISOString(), errors: result.errors };
        return { ok: false, errors: result.errors };
      }
      const previous = this.loaded.pack.version;
      this.loaded = result.loaded;
      this.failure = null;
      return { ok: true, pack: result.loaded.pack, previous };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Reloads when files in the folder change (debounced: editors and git
   * write several files in a burst), when the folder is replaced, and on
   * SIGHUP; with `pollMs`, also when a look every `pollMs` finds a file changed
   * (a folder on shared storage). `onChange` hears about a new version and about failed loads; an
   * unchanged reload stays quiet.
   */
  watch(onChange?: (event: ReloadEvent) => void, opts: { pollMs?: number; events?: boolean } = {}): void {
    if (this.watching) return;
    const trigger = (): void => {
      void this.reload().then(
        (event) => {
          if (!event.ok || event.pack.version.id !== event.previous.id) onChange?.(event);
        },
        (err: unknown) => {
          // A bug rather than bad content; keep serving the last good pack.
          const errors = [{ file: this.dir, line: 1, col: 1, message: `reload failed: ${(err as Error).message}` }];
          this.failure = { at: new Date().toISOString(), errors };
          onChange?.({ ok: false, errors });
        },
      );
    };
    this.watching = watchPath(this.dir, trigger, {
      signal: 'SIGHUP',
      ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
      ...(opts.events === false ? { events: false } : {}),
    });
  }

  /** Stops watching; waits for a reload in flight. */
  async close(): Promise<void> {
    this.watching?.close();
    this.watching = null;
    await this.queue;
  }
}

async function tryLoad(dir: string): Promise<{ ok: true; loaded: Loaded } | { ok: false; errors: PackError[] }> {
  const result = await loadPack(dir);
  if (!result.ok) return result;
  // The loader already compiled every condition; this builds the closures
  // the selector runs, once per pack rather than once per post.
  return { ok: true, loaded: { pack: result.pack, compiled: compilePolicies(result.pack.policies) } };
}
