// The spike detector and the pulse's state, without Temporal: pure functions
// over counts, so every threshold can be checked exactly and fast.
import { describe, expect, it } from 'vitest';
import { evaluateWindow, hourOfWeek, minuteOf, weightedMedian, type BaselineSample, type PulseSettings } from '../../src/shared/pulse';
import { acknowledge, activeMemo, close, ingest, initialPulseState, refuseAction } from '../../src/workflows/pulse-state';
import type { MinuteCounts } from '../../src/shared/pulse';

const SETTINGS: PulseSettings = {
  version: 'test',
  detect: true,
  windowMinutes: 10,
  minVolume: 20,
  halfLifeMs: 14 * 86_400_000,
  minSamples: 6,
  volumeZ: 4,
  negativeShareZ: 3,
  negativeShareAtLeast: 0.4,
  sustain: 2,
  cooldownMs: 2 * 3_600_000,
  team: 'crisis-team',
  topicTerms: 3,
};
const MONDAY = minuteOf(Date.parse('2026-11-30T00:00:00Z'));

/** A week ago and earlier, same hour of week: volumes around 30, 20 % negative. */
function quietBaseline(end: number): BaselineSample[] {
  const out: BaselineSample[] = [];
  for (let week = 1; week <= 3; week++) {
    for (let i = 0; i < 6; i++) out.push({ m: end - week * 7 * 1440 - i * 10, v: 27 + ((i * 7 + week) % 7), s: 0.18 + (i % 3) * 0.02 });
  }
  return out;
}

describe('the spike detector', () => {
  it('counts hours of the week from Monday 00:00 UTC', () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 90)).toBe(1);
    expect(hourOfWeek(MONDAY - 1)).toBe(167); // Sunday 23:59
    expect(hourOfWeek(MONDAY + 7 * 1440 + 61)).toBe(1);
  });

  it('takes a weighted median: recent samples outweigh old ones', () => {
    expect(weightedMedian([1, 2, 3], [1, 1, 1])).toBe(2);
    expect(weightedMedian([10, 50], [0.2, 1])).toBe(50);
    expect(weightedMedian([], [])).toBeNaN();
  });

  it('raises an alarm on a burst of negative posts, and says why', () => {
    const end = MONDAY + 9 * 60 + 59;
    const ev = evaluateWindow(SETTINGS, quietBaseline(end), { m: end, volume: 140, negative: 100 });
    expect(ev.alarming).toBe(true);
    expect(ev.baseline).toBe('slot');
    expect(ev.samples).toBe(18);
    expect(ev.checks).toEqual({ minVolume: true, volumeZ: true, negativeShareZ: true, negativeShareAtLeast: true });
    expect(ev.volumeStats!.median).toBeGreaterThanOrEqual(27);
    expect(ev.zVolume!).toBeGreaterThan(SETTINGS.volumeZ);
    expect(ev.zNegativeShare!).toBeGreaterThan(SETTINGS.negativeShareZ);
  });

  it('stays quiet in a busy hour that is not negative (a launch, a sale)', () => {
    const end = MONDAY + 9 * 60 + 59;
    const ev = evaluateWindow(SETTINGS, quietBaseline(end), { m: end, volume: 140, negative: 28 });
    expect(ev.checks.volumeZ).toBe(true);
    expect(ev.checks.negativeShareZ).toBe(false);
    expect(ev.alarming).toBe(false);
  });

  it('stays quiet below the minimum volume however negative the window is', () => {
    const end = MONDAY + 9 * 60 + 59;
    const ev = evaluateWindow({ ...SETTINGS, minVolume: 200 }, quietBaseline(end), { m: end, volume: 140, negative: 140 });
    expect(ev.checks.minVolume).toBe(false);
    expect(ev.alarming).toBe(false);
  });

  it('without a baseline it cannot alarm; a slot still warming up borrows every slot', () => {
    const end = MONDAY + 9 * 60 + 59;
    expect(evaluateWindow(SETTINGS, [], { m: end, volume: 500, negative: 500 })).toMatchObject({ baseline: 'none', alarming: false });
    const otherHours = quietBaseline(end).map((x) => ({ ...x, m: x.m - 180 }));
    expect(evaluateWindow(SETTINGS, otherHours, { m: end, volume: 140, negative: 100 })).toMatchObject({ baseline: 'all', alarming: true });
  });

  it('a pack without pulse.yaml counts but never alarms', () => {
    const end = MONDAY + 9 * 60 + 59;
    expect(evaluateWindow({ ...SETTINGS, detect: false }, quietBaseline(end), { m: end, volume: 140, negative: 100 }).alarming).toBe(false);
  });
});

function minute(m: number, n: number, neg: number, negTerms: Record<string, number> = {}): MinuteCounts {
  return { m, n, neg, addressed: Math.floor(n / 2), intents: { complaint: neg, other: n - neg }, terms: {}, negTerms, hashtags: {} };
}

describe("the pulse's state", () => {
  it('learns a baseline from quiet windows, opens one crisis on a sustained burst with its topic, and a lead acknowledges and closes it', () => {
    const s = initialPulseState('sprint');
    const start = MONDAY;
    // Six hours of quiet traffic: 3 posts a minute, one in five negative.
    for (let m = start; m < start + 360; m++)
      expect(ingest(s, { minutes: [minute(m, 3, m % 5 === 0 ? 1 : 0)], settings: SETTINGS }, m * 60_000)).toBeNull();
    expect(s.baseline.length).toBe(35);
    expect(activeMemo(s)).toBeNull();
    // The burst: 15 posts a minute, 12 of them negative about the app login.
    const burst = start + 360;
    const opened = [];
    let learnedBeforeCrisis = 0;
    for (let m = burst; m < burst + 15; m++) {
      const c = ingest(s, { minutes: [minute(m, 15, 12, { login: 10, app: 8, broken: 5 })] }, m * 60_000);
      if (c) opened.push({ c, m });
      if (c) learnedBeforeCrisis = s.baseline.length;
    }
    expect(opened).toHaveLength(1);
    const [{ c: crisis }] = opened as [{ c: NonNullable<ReturnType<typeof ingest>>; m: number }];
    expect(crisis).toMatchObject({ id: 'sprint-c1', status: 'open', topic: ['login', 'app', 'broken'] });
    expect(crisis.alarm.alarming).toBe(true);
    // Detected within a few minutes of the burst's start (window 10, sustain 2).
    expect(crisis.alarm.m - burst).toBeLessThanOrEqual(5);
    expect(crisis.series.length).toBeGreaterThan(30);
    expect(activeMemo(s)).toMatchObject({ id: 'sprint-c1', status: 'open' });
    // The crisis's windows do not teach the baseline.
    expect(s.baseline.length).toBe(learnedBeforeCrisis);

    expect(refuseAction(s, 'sprint-c9', 'acknowledge')).toBe('no crisis sprint-c9');
    acknowledge(s, 'sprint-c1', { name: 'lea', role: 'lead' }, burst * 60_000 + 900_000, 'on it', ['Login']);
    expect(activeMemo(s)).toMatchObject({ status: 'acknowledged', topic: ['login'] });
    expect(refuseAction(s, 'sprint-c1', 'acknowledge')).toMatch(/acknowledged already/);
    close(s, 'sprint-c1', { name: 'lea', role: 'lead' }, (burst + 20) * 60_000, 'fixed');
    expect(activeMemo(s)).toBeNull();
    expect(refuseAction(s, 'sprint-c1', 'close')).toMatch(/is closed/);
    // Still bursting right after the close: the cooldown keeps a second crisis from opening.
    for (let m = burst + 20; m < burst + 40; m++) expect(ingest(s, { minutes: [minute(m, 15, 12)] }, m * 60_000)).toBeNull();
    expect(s.crises).toHaveLength(1);
  });

  it('counts a lagging feeder into its minute without evaluating that minute again', () => {
    const s = initialPulseState('sprint');
    ingest(s, { minutes: [minute(MONDAY, 3, 0), minute(MONDAY + 1, 3, 0)], settings: SETTINGS }, 0);
    expect(s.lastEvaluated).toBe(MONDAY);
    ingest(s, { minutes: [minute(MONDAY, 2, 1)] }, 0);
    expect(s.series[0]).toEqual([MONDAY, 5, 1]);
    expect(s.lastEvaluated).toBe(MONDAY);
  });
});
