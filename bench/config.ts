// Sizes of a full run (`npm run bench`, < 15 min on a 2-core box) and of the
// CI smoke (`npm run bench:smoke`, ~30 s: every phase runs, on tiny sizes;
// its numbers mean nothing, it proves the harness works).

export interface BenchSizes {
  name: 'full' | 'smoke';
  reps: number;
  mixSize: number;
  micro: { selectorMs: number; triageMs: number };
  warmupMs: number;
  saturation: { start: number; startB: number; maxConcurrency: number; stepMs: number; stepMsB: number; repMs: number; repMsB: number };
  latency: { durationMs: number; minRate: number };
  history: { perLabel: number };
  /** The whole run's time budget: the memory phase gets what the others leave. */
  budgetMs: number;
  memory: { openInteractions: number; minMs: number };
}

export const FULL: BenchSizes = {
  name: 'full',
  reps: 3,
  mixSize: 2000,
  micro: { selectorMs: 1000, triageMs: 1000 },
  warmupMs: 4000,
  saturation: { start: 4, startB: 4, maxConcurrency: 512, stepMs: 4000, stepMsB: 5000, repMs: 6000, repMsB: 6000 },
  latency: { durationMs: 8000, minRate: 2 },
  history: { perLabel: 8 },
  budgetMs: 14 * 60_000,
  memory: { openInteractions: 10_000, minMs: 60_000 },
};

export const SMOKE: BenchSizes = {
  name: 'smoke',
  reps: 3,
  mixSize: 200,
  micro: { selectorMs: 60, triageMs: 60 },
  warmupMs: 500,
  // One step per "search": the smoke proves the code paths, not the knee.
  saturation: { start: 2, startB: 2, maxConcurrency: 2, stepMs: 600, stepMsB: 1200, repMs: 600, repMsB: 1200 },
  latency: { durationMs: 600, minRate: 3 },
  history: { perLabel: 2 },
  budgetMs: 30_000,
  memory: { openInteractions: 40, minMs: 2_000 },
};
