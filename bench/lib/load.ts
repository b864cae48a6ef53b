// Load generators. Both stop by themselves: a closed loop after its
// duration (or item budget), an open loop after its last arrival; every
// task is expected to bound its own wait (see Tracker.waitSettled).
import { nowMs } from './stats';

export interface LoopResult<R> {
  results: R[];
  /** Arrivals an open loop dropped because maxInFlight tasks were still running. */
  shed: number;
  startedAt: number;
  endedAt: number;
  /** The measuring window: from the start to the last arrival (open) or the deadline (closed). */
  windowMs: number;
}

/**
 * Fixed concurrency: `concurrency` virtual users, each running one task after
 * another until `durationMs` has passed or `maxItems` tasks were started.
 * Throughput is then "tasks finished inside the window / window".
 */
export async function closedLoop<R>(opts: {
  concurrency: number;
  durationMs: number;
  maxItems?: number;
  task: (i: number) => Promise<R>;
}): Promise<LoopResult<R>> {
  const results: R[] = [];
  const startedAt = nowMs();
  const deadline = startedAt + opts.durationMs;
  const maxItems = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let next = 0;
  const user = async (): Promise<void> => {
    while (nowMs() < deadline && next < maxItems) {
      results.push(await opts.task(next++));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, user));
  const endedAt = nowMs();
  return { results, shed: 0, startedAt, endedAt, windowMs: Math.min(endedAt, deadline) - startedAt };
}

/**
 * Fixed arrival rate: task i starts at start + i / rate, whether or not
 * earlier ones finished (so a slow system cannot slow the load down and hide
 * its latency). At most `maxInFlight` tasks run at once; arrivals beyond that
 * are shed and counted, which keeps a saturated system from queueing forever.
 */
export async function openLoop<R>(opts: {
  ratePerSec: number;
  durationMs: number;
  maxInFlight: number;
  task: (i: number) => Promise<R>;
}): Promise<LoopResult<R>> {
  const results: R[] = [];
  const total = Math.max(1, Math.round((opts.ratePerSec * opts.durationMs) / 1000));
  const interval = 1000 / opts.ratePerSec;
  const running = new Set<Promise<void>>();
  let shed = 0;
  let launched = 0;
  const startedAt = nowMs();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((nowMs() - startedAt) / interval) + 1);
      while (launched < due) {
        const i = launched++;
        if (running.size >= opts.maxInFlight) {
          shed++;
          continue;
        }
        const p: Promise<void> = opts.task(i).then(
          (r) => {
            results.push(r);
            running.delete(p);
          },
          () => {
            running.delete(p);
          },
        );
        running.add(p);
      }
      if (launched >= total) resolve();
      else setTimeout(tick, Math.max(1, Math.min(10, startedAt + launched * interval - nowMs())));
    };
    tick();
  });
  const lastArrival = nowMs();
  await Promise.all([...running]);
  return { results, shed, startedAt, endedAt: nowMs(), windowMs: lastArrival - startedAt };
}
