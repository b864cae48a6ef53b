// Small, dependency-free statistics for the harness. Percentiles use the
// nearest-rank method on a sorted copy: with a few thousand samples per run
// that is exact enough and easy to explain ("p99 = the 99th-percentile sample").

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median of each percentile over repetitions: the issue asks for "each
 * figure's median of at least 3 repetitions", so p99 is the median of three
 * p99s, not the p99 of the pooled samples.
 */
export function medianPercentiles(reps: readonly Percentiles[]): Percentiles & { reps: Percentiles[] } {
  return {
    n: reps.reduce((sum, r) => sum + r.n, 0),
    p50: round(median(reps.map((r) => r.p50))),
    p95: round(median(reps.map((r) => r.p95))),
    p99: round(median(reps.map((r) => r.p99))),
    max: round(Math.max(...reps.map((r) => r.max))),
    reps: [...reps],
  };
}

/** Rounds to 0.1 (ms, posts/s): more digits than that are noise on a shared 2-core box. */
export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Wall-clock milliseconds with sub-ms resolution, comparable across processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
