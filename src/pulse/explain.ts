// Why an alarm fired, in sentences a lead can check against pulse.yaml:
// `hearken policy explain --crisis` prints them beside the numbers.
import type { Evaluation, PulseSettings } from '../shared/pulse';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function alarmReasons(
  ev: Evaluation,
  settings: Pick<PulseSettings, 'minVolume' | 'volumeZ' | 'negativeShareZ' | 'negativeShareAtLeast' | 'sustain'>,
): string[] {
  const mark = (held: boolean) => (held ? 'held' : 'did not hold');
  const baseline =
    ev.baseline === 'slot'
      ? `the baseline of hour ${ev.slot} of the week (UTC), ${ev.samples} samples`
      : ev.baseline === 'all'
        ? `all ${ev.samples} samples (hour ${ev.slot} of the week was still warming up)`
        : 'no baseline yet';
  return [
    `${ev.volume} posts in the ${ev.windowMinutes} minutes to ${ev.at}, against ${baseline}`,
    `volume ≥ minVolume ${settings.minVolume}: ${mark(ev.checks.minVolume)}`,
    `volume z ${ev.zVolume ?? '–'} ≥ volumeZ ${settings.volumeZ} (usual ${ev.volumeStats?.median ?? '–'}, spread ${ev.volumeStats?.scale ?? '–'}): ${mark(ev.checks.volumeZ)}`,
    `negative share ${pct(ev.negativeShare)}, z ${ev.zNegativeShare ?? '–'} ≥ negativeShareZ ${settings.negativeShareZ} (usual ${ev.shareStats ? pct(ev.shareStats.median) : '–'}, spread ${ev.shareStats ? pct(ev.shareStats.scale) : '–'}): ${mark(ev.checks.negativeShareZ)}`,
    `negative share ≥ negativeShareAtLeast ${pct(settings.negativeShareAtLeast)}: ${mark(ev.checks.negativeShareAtLeast)}`,
    ...(ev.alarming ? [`all held for ${settings.sustain} minute(s) in a row (sustain): the crisis opened`] : []),
  ];
}
