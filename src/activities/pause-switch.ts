// The publish path's side of the pause switch: an automatic reply (one no
// person approved) is published only when no pause covers it. Checked in the
// activity, the last moment before the channel, so a retry scheduled before
// a pause is stopped too. The workflow holds a stopped reply
// (src/workflows/held.ts); approved replies use publishReply, unchecked.
import { pauseFor, type Pause, type PauseState } from '../shared/controls';
import type { AccountSpec } from '../policy/types';

/** Reads the pause switch; fresh within a few seconds (src/client/controls.ts, PAUSE_READ_TTL_MS). */
export interface PauseSource {
  current(): Promise<PauseState>;
}

/** An automatic reply the pause switch stopped: nothing was published. */
export interface PausedOutput {
  paused: Pause;
}

export function publishUnlessPaused<I extends { post: { channel: string }; liftedPauses?: string[] }, O>(
  deps: { packs: { current(): { accounts: readonly AccountSpec[] } }; pauses?: PauseSource | undefined },
  publishReply: (input: I) => Promise<O>,
): (input: I) => Promise<O | PausedOutput> {
  return async (input) => {
    if (deps.pauses) {
      // Each channel publishes through its first account in accounts.yaml.
      const account = deps.packs.current().accounts.find((a) => a.channel === input.post.channel)?.handle ?? null;
      const state = await deps.pauses.current();
      // A reply released by a resume is not held again by the pause just lifted, however stale this worker's view.
      const inForce = input.liftedPauses?.length
        ? { ...state, pauses: state.pauses.filter((p) => !input.liftedPauses!.includes(p.id)) }
        : state;
      const paused = pauseFor(inForce, input.post.channel, account);
      if (paused) return { paused };
    }
    return publishReply(input);
  };
}
