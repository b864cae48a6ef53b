// policies/pulse.yaml beyond its schema: durations parsed, the crisis team
// checked against teams.yaml, defaults filled in. The result is what the
// capture-side feeder hands the pulse workflow (src/shared/pulse.ts).
import { DurationError, parseDuration } from '../engine/duration';
import type { PulseSettings } from '../../shared/pulse';

/** pulse.yaml as written. */
export interface PulseSpec {
  window?: string;
  minVolume?: number;
  baseline?: { halfLife?: string; minSamples?: number };
  thresholds?: { volumeZ?: number; negativeShareZ?: number; negativeShareAtLeast?: number };
  sustain?: number;
  cooldown?: string;
  crisis?: { team?: string; topicTerms?: number };
}

/** The settings without the pack version (the loader adds it once the pack is versioned). */
export type PulseConfig = Omit<PulseSettings, 'version'>;

export const PULSE_DEFAULTS = {
  window: '10m',
  minVolume: 20,
  halfLife: '14d',
  minSamples: 6,
  volumeZ: 4,
  negativeShareZ: 2.5,
  negativeShareAtLeast: 0.4,
  sustain: 2,
  cooldown: '2h',
  topicTerms: 5,
} as const;

/** A pack without pulse.yaml: the pulse counts, the detector never alarms. */
export const PULSE_OFF: PulseConfig = { ...resolvePulse({}, () => undefined, null), detect: false, team: null };

/**
 * Resolves `spec`; each problem goes to `error(pointer, message)`. `teams`:
 * the team ids teams.yaml defines, or null when teams.yaml is itself broken
 * (its own errors say so).
 */
export function resolvePulse(spec: PulseSpec, error: (pointer: string, message: string) => void, teams: Set<string> | null): PulseConfig {
  const duration = (pointer: string, text: string): number => {
    try {
      const d = parseDuration(text);
      if (d.business) error(pointer, `${label(pointer)}: the pulse counts wall-clock time; leave out "business"`);
      return d.ms;
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      error(pointer, `${label(pointer)}: ${err.message}`);
      return 0;
    }
  };
  const windowMs = duration('/window', spec.window ?? PULSE_DEFAULTS.window);
  if (windowMs > 0 && (windowMs % 60_000 !== 0 || windowMs > 3_600_000)) {
    error('/window', `window: "${spec.window}" must be whole minutes, at most 60m`);
  }
  const team = spec.crisis?.team ?? null;
  if (team !== null && teams !== null && !teams.has(team)) {
    const known = [...teams];
    error('/crisis/team', `crisis.team: unknown team "${team}"; teams.yaml defines ${known.length ? known.join(', ') : 'none'}`);
  }
  return {
    detect: true,
    windowMinutes: Math.max(1, Math.round(windowMs / 60_000)),
    minVolume: spec.minVolume ?? PULSE_DEFAULTS.minVolume,
    halfLifeMs: duration('/baseline/halfLife', spec.baseline?.halfLife ?? PULSE_DEFAULTS.halfLife),
    minSamples: spec.baseline?.minSamples ?? PULSE_DEFAULTS.minSamples,
    volumeZ: spec.thresholds?.volumeZ ?? PULSE_DEFAULTS.volumeZ,
    negativeShareZ: spec.thresholds?.negativeShareZ ?? PULSE_DEFAULTS.negativeShareZ,
    negativeShareAtLeast: spec.thresholds?.negativeShareAtLeast ?? PULSE_DEFAULTS.negativeShareAtLeast,
    sustain: spec.sustain ?? PULSE_DEFAULTS.sustain,
    cooldownMs: duration('/cooldown', spec.cooldown ?? PULSE_DEFAULTS.cooldown),
    team,
    topicTerms: spec.crisis?.topicTerms ?? PULSE_DEFAULTS.topicTerms,
  };
}

function label(pointer: string): string {
  return pointer.slice(1).replaceAll('/', '.');
}
