// The pulse, as plain data: per-minute counts of everything captured for a
// brand, and the crises its spike detector opens. Shared by the capture-side
// feeder that counts (src/pulse/feed.ts), the pulse workflow that keeps the
// counts and runs the detector (src/workflows/pulse.ts), the assessment that
// applies crisis overlays, the API and the CLI. Workflow-safe: no I/O, no clock.
//
// Privacy by design: a bucket holds counts and terms only. No text, no author,
// no post id ever reaches the pulse, for addressed and overheard posts alike.

/** The workflow id of a brand's pulse. */
export function pulseWorkflowId(brand: string): string {
  return `pulse:${brand}`;
}

/** Counts of one minute (epoch minute `m`): what a feeder sends and the workflow merges. */
export interface MinuteCounts {
  /** Epoch minute: floor(ms / 60000), of the capture time. */
  m: number;
  /** Posts captured. */
  n: number;
  /** Of them negative (triage sentiment label). */
  neg: number;
  /** Of them addressed to us; the rest were overheard. */
  addressed: number;
  /** Intent → count. */
  intents: Record<string, number>;
  /** Word → count (lowercased, no handles, no links, no stop words). */
  terms: Record<string, number>;
  /** Words of negative posts only: the topic of a crisis comes from these. */
  negTerms: Record<string, number>;
  /** Hashtag (lowercased, without #) → count. */
  hashtags: Record<string, number>;
}

/** The detector's settings (policies/pulse.yaml), resolved: durations in ms. */
export interface PulseSettings {
  /** Pack version the settings came from. */
  version: string;
  /** False when the pack has no pulse.yaml: counts are kept, no alarm is raised. */
  detect: boolean;
  /** Volume and negative share are summed over this many minutes, evaluated every minute. */
  windowMinutes: number;
  /** No alarm while a window holds fewer posts. */
  minVolume: number;
  /** Baseline samples lose half their weight in this long. */
  halfLifeMs: number;
  /** Samples an hour-of-week slot needs before it is its own baseline; until then all slots together are. */
  minSamples: number;
  /** Robust z-score of the window's volume at or above which volume counts as a spike. */
  volumeZ: number;
  /** Robust z-score of the window's negative share at or above which negativity counts as a spike. */
  negativeShareZ: number;
  /** And the negative share must be at least this (0…1). */
  negativeShareAtLeast: number;
  /** Consecutive alarming minutes before a crisis opens. */
  sustain: number;
  /** No new crisis within this long after one closed. */
  cooldownMs: number;
  /** The team told when a crisis opens (teams.yaml). */
  team: string | null;
  /** How many terms name a crisis topic. */
  topicTerms: number;
}

/** One baseline sample: a whole window (`m`: its last minute), its volume and negative share. */
export interface BaselineSample {
  m: number;
  v: number;
  s: number;
}

/** Median and scaled MAD (× 1.4826, floored) of a weighted sample. */
export interface RobustStats {
  median: number;
  /** The spread the z-score divides by. */
  scale: number;
}

/** Why the detector said what it said about one window: `explain` and the crisis record show it. */
export interface Evaluation {
  /** The window's last minute (epoch minute) and its ISO instant. */
  m: number;
  at: string;
  windowMinutes: number;
  volume: number;
  negativeShare: number;
  /** Hour of week of the window's end (0 = Monday 00:00 UTC … 167). */
  slot: number;
  /** Which samples were the baseline: the slot's own, all slots' (slot still warming up), or none. */
  baseline: 'slot' | 'all' | 'none';
  samples: number;
  volumeStats: RobustStats | null;
  shareStats: RobustStats | null;
  zVolume: number | null;
  zNegativeShare: number | null;
  /** Each condition of an alarm and whether it held. */
  checks: { minVolume: boolean; volumeZ: boolean; negativeShareZ: boolean; negativeShareAtLeast: boolean };
  alarming: boolean;
}

export type CrisisStatus = 'open' | 'acknowledged' | 'closed';

export interface CrisisActor {
  name: string;
  role: string;
}

export interface Crisis {
  /** `<brand>-c<n>`. */
  id: string;
  brand: string;
  status: CrisisStatus;
  openedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: CrisisActor;
  closedAt?: string;
  closedBy?: CrisisActor;
  notes: Array<{ at: string; by: CrisisActor; note: string }>;
  /** Terms that make a post "about" this crisis (overlay policies match `crisisTopic`); a lead may change them. */
  topic: string[];
  /** The evaluation that opened it. */
  alarm: Evaluation;
  /** Its highest window while it was not closed. */
  peak: { volume: number; negativeShare: number; at: string };
  /** Per minute, from `SERIES_BEFORE_MINUTES` before it opened until it closed: [epoch minute, posts, negative]. */
  series: Array<[number, number, number]>;
  settingsVersion: string;
}

/** What the assessment reads (the pulse workflow's memo): the crisis whose overlay is in force. */
export interface ActiveCrisis {
  id: string;
  status: Exclude<CrisisStatus, 'closed'>;
  topic: string[];
  openedAt: string;
}

export const SERIES_BEFORE_MINUTES = 30;
const MAD_SCALE = 1.4826;
/** The share's spread never counts as narrower than this: a flat baseline must not make every wiggle a spike. */
const MIN_SHARE_SCALE = 0.03;
const MINUTE_MS = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;
/** Epoch minute 0 (1970-01-01) was a Thursday: 3 days after a Monday 00:00. */
const EPOCH_WEEK_OFFSET = 3 * 24 * 60;

export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

export function minuteIso(m: number): string {
  return new Date(m * MINUTE_MS).toISOString();
}

/** Hour of week in UTC, Monday 00:00 = 0. */
export function hourOfWeek(m: number): number {
  return Math.floor(((((m + EPOCH_WEEK_OFFSET) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES) / 60);
}

/** Weighted median of `values` (weights > 0); NaN when empty. */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((v, i) => [v, weights[i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
  const total = order.reduce((sum, [, w]) => sum + w, 0);
  if (order.length === 0 || total <= 0) return Number.NaN;
  let acc = 0;
  for (const [v, w] of order) {
    acc += w;
    if (acc >= total / 2) return v;
  }
  return order[order.length - 1]![0];
}

/**
 * Median and MAD of a weighted sample, the MAD scaled to a standard
 * deviation and floored at `minScale`: with a MAD of zero (a quiet,
 * regular baseline) any change would be infinitely surprising.
 */
export function robustStats(values: readonly number[], weights: readonly number[], minScale: number): RobustStats | null {
  if (values.length === 0) return null;
  const median = weightedMedian(values, weights);
  const mad = weightedMedian(
    values.map((v) => Math.abs(v - median)),
    weights,
  );
  return { median, scale: Math.max(MAD_SCALE * mad, minScale) };
}

/** The baseline for a window ending at minute `m`: its hour-of-week slot's samples, decayed by age. */
export function baselineFor(
  samples: readonly BaselineSample[],
  m: number,
  settings: Pick<PulseSettings, 'halfLifeMs' | 'minSamples'>,
): { kind: Evaluation['baseline']; slot: number; picked: BaselineSample[]; weights: number[] } {
  const slot = hourOfWeek(m);
  const own = samples.filter((x) => hourOfWeek(x.m) === slot && x.m < m);
  const picked = own.length >= settings.minSamples ? own : samples.filter((x) => x.m < m);
  const kind = picked.length === 0 ? 'none' : picked === own ? 'slot' : 'all';
  const halfLifeMinutes = settings.halfLifeMs / MINUTE_MS;
  const weights = picked.map((x) => Math.pow(0.5, (m - x.m) / halfLifeMinutes));
  return { kind, slot, picked, weights };
}

/** The detector: is this window (its volume and negative count) a spike against the baseline? Pure. */
export function evaluateWindow(
  settings: PulseSettings,
  samples: readonly BaselineSample[],
  window: { m: number; volume: number; negative: number },
): Evaluation {
  const { kind, slot, picked, weights } = baselineFor(samples, window.m, settings);
  const negativeShare = window.volume > 0 ? window.negative / window.volume : 0;
  const volumes = picked.map((x) => x.v);
  // Counts are roughly Poisson: their spread is at least the square root of their level.
  const volumeStats = robustStats(volumes, weights, 0);
  if (volumeStats) volumeStats.scale = Math.max(volumeStats.scale, Math.sqrt(Math.max(volumeStats.median, 1)));
  const shareStats = shareBaseline(picked, weights, window.volume, settings.minVolume);
  const zVolume = volumeStats ? round((window.volume - volumeStats.median) / volumeStats.scale) : null;
  const zNegativeShare = shareStats ? round((negativeShare - shareStats.median) / shareStats.scale) : null;
  const checks = {
    minVolume: window.volume >= settings.minVolume,
    volumeZ: zVolume !== null && zVolume >= settings.volumeZ,
    negativeShareZ: zNegativeShare !== null && zNegativeShare >= settings.negativeShareZ,
    negativeShareAtLeast: negativeShare >= settings.negativeShareAtLeast,
  };
  return {
    m: window.m,
    at: minuteIso(window.m),
    windowMinutes: settings.windowMinutes,
    volume: window.volume,
    negativeShare: round(negativeShare),
    slot,
    baseline: kind,
    samples: picked.length,
    volumeStats: volumeStats && { median: round(volumeStats.median), scale: round(volumeStats.scale) },
    shareStats: shareStats && { median: round(shareStats.median), scale: round(shareStats.scale) },
    zVolume,
    zNegativeShare,
    checks,
    alarming: settings.detect && Object.values(checks).every(Boolean),
  };
}

/**
 * The negative share's level and spread. A window of three posts has a share
 * of 0, 1/3, 2/3 or 1: in a quiet brand the spread of the windows' shares is
 * mostly small-sample noise, and would hide any burst. So the level is the
 * median share weighted by each window's volume, and the spread the larger
 * of: the binomial standard error at the current window's volume (what
 * chance alone moves a share of that many posts by), the scaled MAD of the
 * baseline windows that held at least `minVolume` posts (real swings between
 * busy windows), and MIN_SHARE_SCALE.
 */
function shareBaseline(
  picked: readonly BaselineSample[],
  weights: readonly number[],
  volume: number,
  minVolume: number,
): RobustStats | null {
  const withPosts = picked.map((x, i) => [x, (weights[i] ?? 0) * x.v] as const).filter(([x]) => x.v > 0);
  if (withPosts.length === 0) return null;
  const median = weightedMedian(
    withPosts.map(([x]) => x.s),
    withPosts.map(([, w]) => w),
  );
  const busy = picked.map((x, i) => [x, weights[i] ?? 0] as const).filter(([x]) => x.v >= minVolume);
  const swings =
    busy.length >= 3
      ? robustStats(
          busy.map(([x]) => x.s),
          busy.map(([, w]) => w),
          0,
        )!.scale
      : 0;
  const chance = Math.sqrt((median * (1 - median)) / Math.max(volume, 1));
  return { median, scale: Math.max(chance, swings, MIN_SHARE_SCALE) };
}

/** The `n` most frequent keys, most frequent first (ties by key, so the result is stable). */
export function topKeys(counts: Record<string, number>, n: number): string[] {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}

/** Adds `from` into `into`, keeping at most `keep` keys (the most frequent). */
export function addCounts(into: Record<string, number>, from: Record<string, number>, keep: number): Record<string, number> {
  const sum: Record<string, number> = { ...into };
  for (const [k, v] of Object.entries(from)) sum[k] = (sum[k] ?? 0) + v;
  if (Object.keys(sum).length <= keep) return sum;
  return Object.fromEntries(topKeys(sum, keep).map((k) => [k, sum[k]!]));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
