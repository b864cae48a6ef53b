// Durations and percentages as written in policy packs.
//
//   90s, 15m, 2h, 1d, 1h30m, 1d 2h      compact form (d = 24 h, no weeks)
//   PT15M, P2D, PT1H30M, P1DT2H, P1W     ISO 8601 (via luxon), no months/years
//   30m business, PT1H business          count only the calendar's open hours
//
// `1d business` is 24 hours of open time (two 12-hour business days), not
// "one business day": a day has one fixed length, whichever clock counts it.
// Pure functions, no I/O: safe to import from workflow code.

import { Duration as LuxonDuration } from 'luxon';
import type { Duration } from '../../shared/plan';

export class DurationError extends Error {
  override name = 'DurationError';
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const USAGE = 'use 90s, 15m, 2h, 1d or ISO 8601 like PT15M, optionally followed by " business"';

/** Largest unit first: the order in which compact components must appear and are formatted. */
const UNITS = [
  { suffix: 'd', ms: DAY_MS },
  { suffix: 'h', ms: HOUR_MS },
  { suffix: 'm', ms: MINUTE_MS },
  { suffix: 's', ms: SECOND_MS },
] as const;

/** `1d2h30m15s`, each component optional but in this order, optionally space-separated. */
const COMPACT = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;
const BUSINESS_SUFFIX = /^(.*\S)\s+business$/;

/** Parses a pack duration; throws DurationError with a message fit for the pack's author. */
export function parseDuration(text: string): Duration {
  const source = String(text).trim();
  const suffixed = BUSINESS_SUFFIX.exec(source);
  const business = suffixed !== null;
  const body = suffixed?.[1] ?? source;

  const ms = /^[-+]?P/.test(body) ? isoMillis(source, body) : compactMillis(source, body);
  if (ms <= 0) throw new DurationError(`"${source}" is not a duration: it must be longer than zero`);
  if (!Number.isSafeInteger(ms)) throw new DurationError(`"${source}" is not a duration: it is far too long`);
  return { ms, business, source };
}

function compactMillis(source: string, body: string): number {
  const match = COMPACT.exec(body);
  // The regex also matches the empty string: require at least one component.
  if (!match || body === '') throw notADuration(source);
  let ms = 0;
  UNITS.forEach((unit, i) => {
    const digits = match[i + 1];
    if (digits !== undefined) ms += Number(digits) * unit.ms;
  });
  return ms;
}

function isoMillis(source: string, body: string): number {
  const parsed = LuxonDuration.fromISO(body);
  // luxon tolerates a dangling time designator (P1DT), which ISO 8601 does not.
  if (!parsed.isValid || body.endsWith('T')) throw notADuration(source);
  const parts = parsed.toObject();
  // Months and years have no fixed length (28–31 days, 365/366 days); luxon
  // would silently count a month as 30 days.
  if ((parts.years ?? 0) !== 0 || (parts.months ?? 0) !== 0 || (parts.quarters ?? 0) !== 0) {
    throw new DurationError(`"${source}" is not a duration: months and years have no fixed length; use days (P30D) or weeks (P4W)`);
  }
  // luxon accepts signed components (PT-5M, PT1H-30M); a deadline never runs backwards.
  if (Object.values(parts).some((value) => typeof value === 'number' && value < 0)) {
    throw new DurationError(`"${source}" is not a duration: it must be longer than zero`);
  }
  // Fractions (PT0.5S) may leave sub-millisecond noise; deadlines are whole milliseconds.
  return Math.round(parsed.toMillis());
}

function notADuration(source: string): DurationError {
  return new DurationError(`"${source}" is not a duration: ${USAGE}`);
}

/**
 * Compact human form, largest unit first, zero units left out: `1h 30m`,
 * `45s`, `2d 3h`. Below one second it shows milliseconds (`250ms`); above, the
 * sub-second remainder is dropped. The result parses back with parseDuration
 * (whole seconds and up).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format a duration of ${ms} ms`);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < SECOND_MS) return ms === 0 ? '0s' : `${Math.round(ms)}ms`;

  let rest = Math.floor(ms / SECOND_MS) * SECOND_MS;
  const parts: string[] = [];
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (count > 0) parts.push(`${count}${unit.suffix}`);
  }
  return parts.join(' ');
}

/** `75%` → 0.75. Strictly between 0% and 100%: a reminder at 0% or 100% is pointless. */
export function parsePercent(text: string): number {
  const source = String(text).trim();
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(source);
  const percent = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!(percent > 0 && percent < 100)) {
    throw new DurationError(`"${source}" is not a percentage: use a number between 0 and 100 followed by %, like 75%`);
  }
  return percent / 100;
}
