// The capture side of a connector: a listener reads what the platform has
// for one of our accounts (a stream or a poll), from a cursor, and hands
// each post it hears to a sink. The listen activity (src/activities/listen.ts)
// owns the sink: it captures each post the way POST /v1/posts does, moves
// the durable cursor only past posts that are captured, and heartbeats.
import type { Post } from '../shared/post';

export interface Heard {
  post: Post;
  /** customer: someone addressed the brand; brand: one of our accounts posted in a thread (a reply made outside Hearken). */
  from: 'customer' | 'brand';
}

export interface ListenSink {
  /** Captures one post; resolves once Hearken has it (or knows it is an echo of its own reply). */
  deliver(heard: Heard): Promise<void>;
  /** Everything up to `cursor` is captured: a restart may resume after it. `at` is the platform time it stands for. */
  advance(cursor: string, at?: string): void;
  /** The platform asked us to wait (429, Retry-After); shown on GET /v1/channels. */
  waiting(reason: string, seconds: number): void;
}

export interface ListenFrom {
  /** Resume after this cursor; undefined on the very first run. */
  cursor: string | undefined;
  /** When the account was connected (ISO): without a cursor, older posts are not answered. */
  since: string;
}

export interface ChannelListener {
  /** Listens until `signal` aborts (then resolves) or the platform fails (rejects; the activity retries from the cursor). */
  listen(from: ListenFrom, sink: ListenSink, signal: AbortSignal): Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
