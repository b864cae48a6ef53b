// The pulse's state and what changes it: merging a feeder's counts,
// evaluating each completed minute, opening a crisis after a sustained alarm,
// acknowledging and closing it. Synchronous and deterministic (the workflow
// calls it from its signal and update handlers; unit tests call it directly).
import {
  addCounts,
  evaluateWindow,
  hourOfWeek,
  SERIES_BEFORE_MINUTES,
  topKeys,
  type ActiveCrisis,
  type BaselineSample,
  type Crisis,
  type CrisisActor,
  type Evaluation,
  type MinuteCounts,
  type PulseSettings,
} from '../shared/pulse';
import type { PulseBatch } from './pulse-messages';

export interface PulseState {
  brand: string;
  settings: PulseSettings | null;
  /** The latest DETAIL_MINUTES minutes with terms and intents, oldest first. */
  detail: MinuteCounts[];
  /** The latest SERIES_MINUTES minutes: [epoch minute, posts, negative], oldest first. */
  series: Array<[number, number, number]>;
  baseline: BaselineSample[];
  /** The last minute the detector evaluated (epoch minute). */
  lastEvaluated: number | null;
  streak: number;
  lastEvaluation: Evaluation | null;
  /** The latest KEEP_CRISES crises, oldest first. */
  crises: Crisis[];
  nextCrisis: number;
  runs: number;
}

export const DETAIL_MINUTES = 60;
export const SERIES_MINUTES = 24 * 60;
/** Per hour-of-week slot: with 10-minute windows, four weeks of samples. */
export const SAMPLES_PER_SLOT = 24;
const KEEP_CRISES = 20;
const KEEP_CRISIS_SERIES = 48 * 60;
const KEEP_TERMS = 30;

export function initialPulseState(brand: string): PulseState {
  return {
    brand,
    settings: null,
    detail: [],
    series: [],
    baseline: [],
    lastEvaluated: null,
    streak: 0,
    lastEvaluation: null,
    crises: [],
    nextCrisis: 0,
    runs: 0,
  };
}

/** The crisis whose overlay is in force (open or acknowledged), if any. */
export function activeCrisis(s: PulseState): Crisis | undefined {
  return s.crises.find((c) => c.status !== 'closed');
}

export function activeMemo(s: PulseState): ActiveCrisis | null {
  const c = activeCrisis(s);
  return c ? { id: c.id, status: c.status as ActiveCrisis['status'], topic: c.topic, openedAt: c.openedAt } : null;
}

/**
 * Merges a batch and evaluates every minute it completed. Returns the crisis
 * opened, if one was. A minute is complete once a later minute has been seen;
 * counts for a minute already evaluated (a feeder that lagged) still join its
 * bucket but do not change that evaluation.
 */
export function ingest(s: PulseState, batch: PulseBatch, nowMs: number): Crisis | null {
  if (batch.settings && batch.settings.version !== s.settings?.version) s.settings = batch.settings;
  let latest = -Infinity;
  for (const mc of batch.minutes) {
    mergeMinute(s, mc);
    latest = Math.max(latest, mc.m);
  }
  if (!Number.isFinite(latest)) return null;
  s.lastEvaluated ??= Math.min(...batch.minutes.map((mc) => mc.m)) - 1;
  // Back after a long silence: the minutes before the kept series are not evaluated.
  s.lastEvaluated = Math.max(s.lastEvaluated, latest - SERIES_MINUTES);
  let opened: Crisis | null = null;
  if (!s.settings) return null;
  const counts = new Map(s.series.map(([m, n, neg]) => [m, [n, neg] as const]));
  for (let m = s.lastEvaluated + 1; m < latest; m++) {
    opened = evaluateMinute(s, s.settings, counts, m, nowMs) ?? opened;
    s.lastEvaluated = m;
  }
  return opened;
}

function mergeMinute(s: PulseState, mc: MinuteCounts): void {
  const at = s.series.findIndex(([m]) => m >= mc.m);
  if (at >= 0 && s.series[at]![0] === mc.m) {
    const row = s.series[at]!;
    row[1] += mc.n;
    row[2] += mc.neg;
  } else if (at >= 0) s.series.splice(at, 0, [mc.m, mc.n, mc.neg]);
  else s.series.push([mc.m, mc.n, mc.neg]);
  if (s.series.length > SERIES_MINUTES) s.series.splice(0, s.series.length - SERIES_MINUTES);

  const d = s.detail.find((x) => x.m === mc.m);
  if (d) {
    d.n += mc.n;
    d.neg += mc.neg;
    d.addressed += mc.addressed;
    d.intents = addCounts(d.intents, mc.intents, KEEP_TERMS);
    d.terms = addCounts(d.terms, mc.terms, KEEP_TERMS);
    d.negTerms = addCounts(d.negTerms, mc.negTerms, KEEP_TERMS);
    d.hashtags = addCounts(d.hashtags, mc.hashtags, KEEP_TERMS);
  } else {
    s.detail.push({ ...mc });
    s.detail.sort((a, b) => a.m - b.m);
    if (s.detail.length > DETAIL_MINUTES) s.detail.splice(0, s.detail.length - DETAIL_MINUTES);
  }
}

function evaluateMinute(
  s: PulseState,
  settings: PulseSettings,
  counts: Map<number, readonly [number, number]>,
  m: number,
  nowMs: number,
): Crisis | null {
  let volume = 0;
  let negative = 0;
  for (let i = m - settings.windowMinutes + 1; i <= m; i++) {
    const c = counts.get(i);
    if (c) {
      volume += c[0];
      negative += c[1];
    }
  }
  const ev = evaluateWindow(settings, s.baseline, { m, volume, negative });
  s.lastEvaluation = ev;
  s.streak = ev.alarming ? s.streak + 1 : 0;
  const active = activeCrisis(s);
  if (active) {
    const c = counts.get(m) ?? [0, 0];
    pushCapped(active.series, [m, c[0], c[1]], KEEP_CRISIS_SERIES);
    if (ev.volume > active.peak.volume) active.peak = { volume: ev.volume, negativeShare: ev.negativeShare, at: ev.at };
  }
  // A whole window teaches the baseline unless a crisis is open or it spikes in
  // volume and negativity alike (a burst before its alarm). While the baseline
  // is still thin everything is learned: one odd first window must not make
  // every later one look like a spike.
  const burstLike = ev.checks.volumeZ && ev.checks.negativeShareZ && ev.samples >= settings.minSamples;
  if ((m + 1) % settings.windowMinutes === 0 && !active && !burstLike) addSample(s, { m, v: volume, s: ev.negativeShare });
  if (active || s.streak < settings.sustain || coolingDown(s, settings, m)) return null;
  return openCrisis(s, settings, ev, counts, nowMs);
}

function addSample(s: PulseState, sample: BaselineSample): void {
  s.baseline.push(sample);
  const slot = hourOfWeek(sample.m);
  const same = s.baseline.filter((x) => hourOfWeek(x.m) === slot);
  if (same.length > SAMPLES_PER_SLOT) {
    const oldest = same[0]!;
    s.baseline.splice(s.baseline.indexOf(oldest), 1);
  }
}

function coolingDown(s: PulseState, settings: PulseSettings, m: number): boolean {
  const last = [...s.crises].reverse().find((c) => c.closedAt);
  return !!last?.closedAt && m * 60_000 - Date.parse(last.closedAt) < settings.cooldownMs;
}

function openCrisis(
  s: PulseState,
  settings: PulseSettings,
  ev: Evaluation,
  counts: Map<number, readonly [number, number]>,
  nowMs: number,
): Crisis {
  let negTerms: Record<string, number> = {};
  for (const d of s.detail) if (d.m > ev.m - settings.windowMinutes && d.m <= ev.m) negTerms = addCounts(negTerms, d.negTerms, 1000);
  const series: Crisis['series'] = [];
  for (let m = ev.m - SERIES_BEFORE_MINUTES; m <= ev.m; m++) {
    const c = counts.get(m) ?? [0, 0];
    series.push([m, c[0], c[1]]);
  }
  const crisis: Crisis = {
    id: `${s.brand}-c${++s.nextCrisis}`,
    brand: s.brand,
    status: 'open',
    // Opened when the minute that completed the alarm was evaluated (workflow time), not at the data's minute.
    openedAt: new Date(Math.max(nowMs, (ev.m + 1) * 60_000)).toISOString(),
    notes: [],
    topic: topKeys(negTerms, settings.topicTerms),
    alarm: ev,
    peak: { volume: ev.volume, negativeShare: ev.negativeShare, at: ev.at },
    series,
    settingsVersion: settings.version,
  };
  pushCapped(s.crises, crisis, KEEP_CRISES);
  return crisis;
}

/** Why an acknowledgement or close is refused; null when it may go ahead. */
export function refuseAction(s: PulseState, crisisId: string, action: 'acknowledge' | 'close'): string | null {
  const c = s.crises.find((x) => x.id === crisisId);
  if (!c) return `no crisis ${crisisId}`;
  if (c.status === 'closed') return `crisis ${crisisId} is closed`;
  if (action === 'acknowledge' && c.status === 'acknowledged') return `crisis ${crisisId} is acknowledged already`;
  return null;
}

export function acknowledge(s: PulseState, crisisId: string, by: CrisisActor, nowMs: number, note?: string, topic?: string[]): Crisis {
  const c = s.crises.find((x) => x.id === crisisId)!;
  c.status = 'acknowledged';
  c.acknowledgedAt = new Date(nowMs).toISOString();
  c.acknowledgedBy = by;
  if (topic && topic.length > 0) c.topic = topic.map((t) => t.toLowerCase());
  if (note) c.notes.push({ at: c.acknowledgedAt, by, note });
  return c;
}

export function close(s: PulseState, crisisId: string, by: CrisisActor, nowMs: number, note?: string): Crisis {
  const c = s.crises.find((x) => x.id === crisisId)!;
  c.status = 'closed';
  c.closedAt = new Date(nowMs).toISOString();
  c.closedBy = by;
  if (note) c.notes.push({ at: c.closedAt, by, note });
  s.streak = 0;
  return c;
}

function pushCapped<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
}
