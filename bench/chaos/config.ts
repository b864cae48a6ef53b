// Sizes of a full run (`npm run chaos`) and of the CI run (`npm run chaos -- --short`).

export interface ChaosSizes {
  name: 'full' | 'short' | 'cluster';
  /** Acknowledged posts of a scenario before its fault is injected ("in flight": open interactions). */
  inFlight: number;
  /** Steady arrival rate, as a share of the saturation rate. */
  rateFactor: number;
  /** Longest wait for `inFlight` acknowledgements. */
  preloadCapMs: number;
  /** Load keeps coming this long after recovery. */
  tailMs: number;
  /** Stalled: still not at rest this long after recovery (and their number no longer falling). */
  windowMs: number;
  /** The first inspection, this long after recovery: when everything is at rest by then, the verdict is in. */
  firstLookMs: number;
  /** Work younger than this, on its first attempt, counts as at rest; the unfinished set must stop falling this long. */
  freshMs: number;
  /** Longest verdict after recovery (a burst's backlog drains within it). */
  verdictCapMs: number;
  /** A connector's patience: a request without an answer after this long is "no answer". */
  requestTimeoutMs: number;
  workerKills: number;
  /** Pause between a worker's ready and its next SIGKILL, uniform in [min, max]. */
  killGapMs: [number, number];
  sigstopMs: number;
  /** How long a condition (webhook down, flaky channel) lasts after the preload, with load. */
  conditionMs: number;
  burstMs: number;
  burstFactor: number;
  /** The whole run's hard limit. */
  limitMs: number;
}

export const FULL: ChaosSizes = {
  name: 'full',
  inFlight: 300,
  rateFactor: 0.5,
  preloadCapMs: 180_000,
  tailMs: 15_000,
  windowMs: 60_000,
  firstLookMs: 60_000,
  freshMs: 15_000,
  verdictCapMs: 12 * 60_000,
  requestTimeoutMs: 30_000,
  workerKills: 5,
  killGapMs: [2_000, 12_000],
  sigstopMs: 30_000,
  conditionMs: 30_000,
  burstMs: 30_000,
  burstFactor: 10,
  limitMs: 60 * 60_000,
};

export const SHORT: ChaosSizes = {
  name: 'short',
  inFlight: 20,
  rateFactor: 0.5,
  preloadCapMs: 30_000,
  tailMs: 2_000,
  // Longer than an activity attempt on a killed worker takes to time out
  // (assessPost: 30 s start-to-close) plus its retry, so a slow recovery is
  // not called a stall; the first look comes sooner.
  windowMs: 40_000,
  firstLookMs: 10_000,
  freshMs: 6_000,
  verdictCapMs: 90_000,
  // The bound for an answer during an outage is 5 s; a shorter
  // patience keeps hung requests from holding the short run up.
  requestTimeoutMs: 10_000,
  workerKills: 2,
  killGapMs: [500, 3_000],
  sigstopMs: 5_000,
  conditionMs: 4_000,
  burstMs: 2_000,
  burstFactor: 10,
  limitMs: 8 * 60_000,
};

/**
 * `--cluster`: the "about 200 interactions in flight" when each fault
 * hits the four-service cluster; otherwise the full run's patience.
 */
export const CLUSTER: ChaosSizes = {
  ...FULL,
  name: 'cluster',
  inFlight: 200,
  workerKills: 2,
  limitMs: 45 * 60_000,
};
