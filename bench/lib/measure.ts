// The two measurements every suite gets: throughput at saturation (closed
// loop, concurrency raised until it stops paying) and latency at a fixed
// arrival rate (open loop).
import type { Driver } from './drivers';
import { closedLoop, openLoop } from './load';
import { cpuPerItem, cpuSnapshot } from './procs';
import { percentiles, round, type Percentiles } from './stats';
import type { ItemResult, Tracker } from './tracker';

export interface ClosedStep {
  concurrency: number;
  /** Items settled inside the window, per second. */
  throughput: number;
  completed: number;
  failed: number;
  /** Schedule-to-start p95 of the activities that started in the window (ms). */
  s2sP95: number;
  settledMs: Percentiles;
  firstActivityMs: Percentiles;
  ackMs: Percentiles;
  /** CPU ms per settled item, by process (see cpuPerItem). */
  cpuMsPerItem: Record<string, number>;
  errors: string[];
}

/** Which processes to account CPU time for; none when unset. */
export type PidSource = () => Record<string, number>;

export async function measureClosed(
  driver: Driver,
  tracker: Tracker,
  concurrency: number,
  durationMs: number,
  pids: PidSource = () => ({}),
): Promise<ClosedStep> {
  const cpuBefore = cpuSnapshot(pids());
  const run = await closedLoop({ concurrency, durationMs, task: () => driver.run() });
  const cpuAfter = cpuSnapshot(pids());
  const end = run.startedAt + run.windowMs;
  const ok = run.results.filter((r) => r.ok);
  const inWindow = ok.filter((r) => r.settledAt !== undefined && r.settledAt <= end);
  const s2s = percentiles(tracker.s2sBetween(run.startedAt, end));
  tracker.trimS2s(run.endedAt - 1);
  return {
    concurrency,
    throughput: round(inWindow.length / (run.windowMs / 1000)),
    completed: ok.length,
    failed: run.results.length - ok.length,
    s2sP95: s2s.p95,
    settledMs: pct(ok, 'settledMs'),
    firstActivityMs: pct(ok, 'firstActivityMs'),
    ackMs: pct(ok, 'ackMs'),
    cpuMsPerItem: cpuPerItem(cpuBefore, cpuAfter, ok.length),
    errors: errorsOf(run.results),
  };
}

export interface Saturation {
  /** The concurrency with the highest throughput that kept p95 schedule-to-start <= the limit. */
  concurrency: number;
  steps: ClosedStep[];
  stoppedBecause: string;
}

/**
 * Doubles the concurrency until p95 schedule-to-start passes `s2sLimitMs`
 * (tasks wait in Temporal's queue: the worker is the bottleneck), throughput
 * stops growing by `minGain` for two doublings (extra concurrency only
 * queues: the backlog grows), items fail, or `maxConcurrency` is reached.
 */
export async function findSaturation(
  driver: Driver,
  tracker: Tracker,
  opts: {
    start: number;
    maxConcurrency: number;
    stepMs: number;
    s2sLimitMs: number;
    minGain: number;
    log: (line: string) => void;
    pids?: PidSource;
  },
): Promise<Saturation> {
  const steps: ClosedStep[] = [];
  let best: ClosedStep | null = null;
  let stoppedBecause = `reached the concurrency cap ${opts.maxConcurrency}`;
  let flat = 0;
  for (let c = opts.start; c <= opts.maxConcurrency; c *= 2) {
    const step = await measureClosed(driver, tracker, c, opts.stepMs, opts.pids);
    steps.push(step);
    opts.log(
      `  c=${c}: ${step.throughput}/s, p95 schedule-to-start ${step.s2sP95} ms, p95 settle ${step.settledMs.p95} ms${step.failed ? `, ${step.failed} failed` : ''}`,
    );
    if (step.failed > Math.max(2, 0.02 * (step.completed + step.failed))) {
      stoppedBecause = `items failed at c=${c}: ${step.errors[0] ?? ''}`;
      break;
    }
    if (step.s2sP95 > opts.s2sLimitMs) {
      stoppedBecause = `p95 schedule-to-start ${step.s2sP95} ms > ${opts.s2sLimitMs} ms at c=${c}`;
      break;
    }
    const previous = best;
    if (!best || step.throughput > best.throughput) best = step;
    // Two doublings in a row without a real gain: one alone can be noise on a shared box.
    flat = previous && step.throughput < previous.throughput * opts.minGain ? flat + 1 : 0;
    if (flat >= 2) {
      stoppedBecause = `throughput gained < ${Math.round((opts.minGain - 1) * 100)} % over two doublings, up to c=${c}`;
      break;
    }
  }
  return { concurrency: best?.concurrency ?? opts.start, steps, stoppedBecause };
}

export interface OpenRun {
  ratePerSec: number;
  /** Items settled per second over the arrival window. */
  achievedPerSec: number;
  offered: number;
  completed: number;
  failed: number;
  shed: number;
  ackMs: Percentiles;
  firstActivityMs: Percentiles;
  firstReplyMs: Percentiles;
  settledMs: Percentiles;
  s2sP95: number;
  cpuMsPerItem: Record<string, number>;
  /** The items, for history sampling and per-path breakdowns. */
  items: ItemResult[];
  errors: string[];
}

export async function measureOpen(
  driver: Driver,
  tracker: Tracker,
  ratePerSec: number,
  durationMs: number,
  pids: PidSource = () => ({}),
): Promise<OpenRun> {
  const cpuBefore = cpuSnapshot(pids());
  // In flight at most ~30 s of arrivals: enough that a healthy system never sheds.
  const run = await openLoop({ ratePerSec, durationMs, maxInFlight: Math.max(64, Math.ceil(ratePerSec * 30)), task: () => driver.run() });
  const cpuAfter = cpuSnapshot(pids());
  const ok = run.results.filter((r) => r.ok);
  const s2s = percentiles(tracker.s2sBetween(run.startedAt, run.endedAt));
  tracker.trimS2s(run.endedAt - 1);
  return {
    cpuMsPerItem: cpuPerItem(cpuBefore, cpuAfter, ok.length),
    ratePerSec: round(ratePerSec),
    achievedPerSec: round(ok.length / (run.windowMs / 1000)),
    offered: run.results.length + run.shed,
    completed: ok.length,
    failed: run.results.length - ok.length,
    shed: run.shed,
    ackMs: pct(ok, 'ackMs'),
    firstActivityMs: pct(ok, 'firstActivityMs'),
    firstReplyMs: pct(ok, 'firstReplyMs'),
    settledMs: pct(ok, 'settledMs'),
    s2sP95: s2s.p95,
    items: ok,
    errors: errorsOf(run.results),
  };
}

function pct(items: readonly ItemResult[], key: 'ackMs' | 'firstActivityMs' | 'firstReplyMs' | 'settledMs'): Percentiles {
  return percentiles(items.map((r) => r[key]).filter((x): x is number => x !== undefined));
}

function errorsOf(results: readonly ItemResult[]): string[] {
  return [...new Set(results.filter((r) => r.error).map((r) => r.error!))].slice(0, 3);
}
