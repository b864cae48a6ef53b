// Business-time arithmetic over a pack's calendars.
//
// Pure and deterministic (no clock, no I/O): the same Calendar and instants
// always give the same answer, so deadlines computed in a local activity or in
// the CLI agree. Time zones come from luxon (the runtime's IANA data).
//
// Model: on each local date, each weekly interval [start, end) in local
// wall-clock minutes becomes a span of real instants. A boundary maps to the
// FIRST instant at which the zone's wall clock reads that time or later:
//   - a time that exists once maps to that instant;
//   - a time repeated by a fall-back maps to its first occurrence;
//   - a time skipped by a spring-forward maps to the transition instant
//     (the clock jumps past it there).
// So 01:00-04:00 in Europe/Berlin lasts 2 h on 2026-03-29 and 4 h on
// 2026-10-25, and an interval lying wholly inside a skipped hour is empty.
// (luxon's DateTime.fromObject instead shifts skipped times forward and picks
// the later of repeated times, which would make 01:00-02:30 on a
// spring-forward day end at 03:30 local; hence the helper below.)

import { DateTime, IANAZone } from 'luxon';
import type { CalendarSpec } from '../types';
import type { Calendar, Duration, Weekday } from '../../shared/plan';

export class CalendarError extends Error {
  override name = 'CalendarError';
}

/** Raised when a scan finds no open time at all; nextOpening turns it into null. */
class NeverOpenError extends CalendarError {}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1_440;

/**
 * Every scan gives up after this many local days. No Hearken deadline lies
 * years ahead: a longer scan means a calendar that is (almost) never open or
 * an absurd duration, and each day costs a few time-zone lookups.
 */
const MAX_SCAN_DAYS = 3 * 366;

// ---------------------------------------------------------------------------
// Normalizing calendars.yaml entries

/** Validates a calendars.yaml entry and turns it into the plain data the arithmetic uses. */
export function normalizeCalendar(id: string, spec: CalendarSpec): Calendar {
  const where = `calendar "${id}"`;
  if (typeof spec.timezone !== 'string' || !isIanaZoneName(spec.timezone)) {
    throw new CalendarError(`${where}: "${String(spec.timezone)}" is not an IANA time zone such as Europe/Berlin`);
  }
  const holidays = normalizeHolidays(where, spec.holidays ?? []);

  if (spec.hours === 'always') {
    // Business time is then wall-clock time; a holiday could not change that.
    if (holidays.length > 0) {
      throw new CalendarError(`${where}: is open 'always', so its holidays would be ignored; list weekly hours instead`);
    }
    return { id, timezone: spec.timezone, always: true, weekly: WEEKDAYS.map(() => []), holidays: [] };
  }
  if (typeof spec.hours !== 'object' || spec.hours === null || Array.isArray(spec.hours)) {
    throw new CalendarError(`${where}: hours must be 'always' or a map from weekday (mon … sun) to intervals`);
  }
  for (const key of Object.keys(spec.hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      throw new CalendarError(`${where}: "${key}" is not a weekday; use ${WEEKDAYS.join(', ')}`);
    }
  }
  const hours = spec.hours;
  const weekly = WEEKDAYS.map((day) => normalizeDay(where, day, hours[day] ?? []));
  return { id, timezone: spec.timezone, always: false, weekly, holidays };
}

/** Parses, sorts and checks one weekday's intervals; adjacent intervals are merged. */
function normalizeDay(where: string, day: Weekday, texts: unknown): Array<[number, number]> {
  if (!Array.isArray(texts)) {
    throw new CalendarError(`${where}: ${day} must be a list of intervals like "08:00-20:00"`);
  }
  const parsed = texts
    .map((text: unknown) => ({ text: String(text), interval: parseInterval(where, day, text) }))
    .sort((a, b) => a.interval[0] - b.interval[0]);

  const merged: Array<[number, number]> = [];
  parsed.forEach((current, i) => {
    const previous = parsed[i - 1];
    const last = merged[merged.length - 1];
    if (previous && last && current.interval[0] < last[1]) {
      throw new CalendarError(`${where}: ${day} intervals "${previous.text}" and "${current.text}" overlap`);
    }
    // 08:00-12:00 + 12:00-20:00 is one stretch of open time.
    if (last && current.interval[0] === last[1]) last[1] = current.interval[1];
    else merged.push([current.interval[0], current.interval[1]]);
  });
  return merged;
}

const INTERVAL = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** `"08:00-20:00"` → [480, 1200]; `24:00` is allowed as an end (midnight after). */
function parseInterval(where: string, day: Weekday, text: unknown): [number, number] {
  const bad = (why: string) => new CalendarError(`${where}: ${day} interval "${String(text)}" ${why}; write it like "08:00-20:00"`);
  const match = typeof text === 'string' ? INTERVAL.exec(text.trim()) : null;
  if (!match) throw bad('is not HH:MM-HH:MM');
  const [, startHour, startMinute, endHour, endMinute] = match.map(Number) as [number, number, number, number, number];
  const start = minuteOfDay(startHour, startMinute, false);
  const end = minuteOfDay(endHour, endMinute, true);
  if (start === null || end === null) throw bad('is not a valid time of day');
  if (end <= start) throw bad('must end after it starts (an interval cannot cross midnight: split it)');
  return [start, end];
}

function minuteOfDay(hour: number, minute: number, isEnd: boolean): number | null {
  if (isEnd && hour === 24 && minute === 0) return MINUTES_PER_DAY;
  if (hour > 23 || minute > 59) return null;
  return hour * 60 + minute;
}

function normalizeHolidays(where: string, holidays: unknown): string[] {
  if (!Array.isArray(holidays)) throw new CalendarError(`${where}: holidays must be a list of dates (YYYY-MM-DD)`);
  for (const date of holidays) {
    const valid = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'utc' }).isValid; // rejects 2026-02-30
    if (!valid) throw new CalendarError(`${where}: holiday "${String(date)}" is not a date like 2026-12-24`);
  }
  return [...new Set(holidays as string[])].sort();
}

// ---------------------------------------------------------------------------
// Local dates and wall-clock instants
//
// A local date is an "epoch day": whole days since 1970-01-01 counted on the
// wall clock. Wall-clock times are expressed as milliseconds as if the zone
// were UTC ("wall ms"); the zone's offset turns them into real instants.

interface Span {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

/**
 * An IANA zone name (Europe/Berlin, UTC). Node 22's ICU also accepts offsets
 * such as "+01:00" as zones, but an offset has no daylight-saving rules, so a
 * calendar written with one would drift by an hour twice a year.
 */
function isIanaZoneName(name: string): boolean {
  return /^[A-Za-z]/.test(name) && IANAZone.isValidZone(name);
}

function zoneOf(cal: Calendar): IANAZone {
  // Calendars travel inside plans: re-check rather than compute with NaN offsets.
  if (!isIanaZoneName(cal.timezone)) {
    throw new CalendarError(`calendar "${cal.id}": "${cal.timezone}" is not an IANA time zone`);
  }
  return IANAZone.create(cal.timezone);
}

/** Offset of the zone at an instant, in ms (luxon reports minutes). */
function offsetMs(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE_MS;
}

function localDay(zone: IANAZone, instant: number): number {
  return Math.floor((instant + offsetMs(zone, instant)) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The offsets in force around local date `day`. Sampling a day either side
 * catches any single transition near the date's boundaries, 24:00 included
 * (the approach of the Temporal polyfill); one lookup costs ~10 µs, so a scan
 * samples once per date rather than once per boundary.
 */
function offsetsAround(zone: IANAZone, day: number): number[] {
  return [...new Set([offsetMs(zone, (day - 1) * DAY_MS), offsetMs(zone, (day + 2) * DAY_MS)])];
}

/** The first instant at which the zone's wall clock reads `minute` of local date `day`, or later. */
function wallClockInstant(zone: IANAZone, day: number, minute: number, offsets = offsetsAround(zone, day)): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  // Each candidate is checked against the offset really in force at that instant.
  const valid = offsets.map((offset) => wall - offset).filter((instant) => instant + offsetMs(zone, instant) === wall);
  if (valid.length > 0) return Math.min(...valid);

  // `wall` falls in a gap (spring forward). Binary-search the transition:
  // before it the clock reads less than `wall`, from it on more.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (middle + offsetMs(zone, middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

/** The non-empty open spans of one local date, in order (none on holidays). */
function daySpans(cal: Calendar, zone: IANAZone, holidays: ReadonlySet<string>, day: number): Span[] {
  const intervals = cal.weekly[weekdayIndex(day)] ?? [];
  if (intervals.length === 0 || holidays.has(isoDate(day))) return [];
  const offsets = offsetsAround(zone, day);
  return intervals
    .map(([start, end]) => ({
      start: wallClockInstant(zone, day, start, offsets),
      end: wallClockInstant(zone, day, end, offsets),
    }))
    .filter((span) => span.end > span.start);
}

function hasWeeklyHours(cal: Calendar): boolean {
  return cal.weekly.some((intervals) => intervals.length > 0);
}

/**
 * Open spans that end after `from` and start before `until`, in time order
 * (the first may start before `from`; callers clip). Boundary instants grow
 * with wall-clock time, so spans of successive local dates never overlap.
 *
 * An unbounded scan must find open time: without any it throws
 * NeverOpenError. Any scan throws after MAX_SCAN_DAYS local dates.
 */
function* openSpans(cal: Calendar, from: number, until = Infinity): Generator<Span> {
  const bounded = until !== Infinity;
  if (!hasWeeklyHours(cal)) {
    if (bounded) return;
    throw new NeverOpenError(`calendar "${cal.id}" is never open: it has no opening hours`);
  }
  const zone = zoneOf(cal);
  const holidays = new Set(cal.holidays);
  // Earlier dates cannot matter: their spans end by the first instant the
  // clock reads this date's 00:00, which is no later than `from`.
  const firstDay = localDay(zone, from);
  let sawOpenTime = false;
  for (let day = firstDay; ; day++) {
    // Offsets stay within ±14 h, so every instant of local date `day` comes
    // after (day - 1) 00:00 UTC: once that is past `until`, nothing later counts.
    if (bounded && (day - 1) * DAY_MS >= until) return;
    if (day - firstDay > MAX_SCAN_DAYS) throw scanLimitError(cal, firstDay, sawOpenTime);
    for (const span of daySpans(cal, zone, holidays, day)) {
      if (span.end > from && span.start < until) {
        sawOpenTime = true;
        yield span;
      }
    }
  }
}

function scanLimitError(cal: Calendar, firstDay: number, sawOpenTime: boolean): CalendarError {
  return sawOpenTime
    ? new CalendarError(`calendar "${cal.id}": gave up after scanning 3 years from ${isoDate(firstDay)}`)
    : new NeverOpenError(`calendar "${cal.id}" has no open time in the 3 years after ${isoDate(firstDay)}`);
}

function millis(at: Date, what: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

// ---------------------------------------------------------------------------
// Public arithmetic

/** Whether the calendar is open at the instant (interval starts are inclusive, ends exclusive). */
export function isOpen(cal: Calendar, at: Date): boolean {
  return nextOpening(cal, at)?.getTime() === millis(at, 'at');
}

/** `at` itself when open, else the next instant the calendar opens; null if it never opens again. */
export function nextOpening(cal: Calendar, at: Date): Date | null {
  const atMs = millis(at, 'at');
  if (cal.always) return new Date(atMs);
  try {
    for (const span of openSpans(cal, atMs)) return new Date(Math.max(span.start, atMs));
  } catch (error) {
    if (error instanceof NeverOpenError) return null;
    throw error;
  }
  return null; // unreachable: an unbounded scan yields or throws
}

/**
 * The earliest instant by which `ms` of open time has elapsed since `from`.
 * From closed time the clock starts at the next opening (so `ms = 0` gives
 * nextOpening); a duration that exactly uses up a span ends at its closing.
 */
export function addBusinessTime(cal: Calendar, from: Date, ms: number): Date {
  const fromMs = millis(from, 'from');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot add ${ms} ms of business time`);
  if (cal.always) return new Date(fromMs + ms);

  let remaining = ms;
  for (const span of openSpans(cal, fromMs)) {
    const start = Math.max(span.start, fromMs);
    const available = span.end - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  throw new CalendarError(`calendar "${cal.id}" ran out of open time`); // unreachable, see openSpans
}

/** `from + d` on the wall clock, or in the calendar's open time for a business duration. */
export function addDuration(d: Duration, from: Date, cal: Calendar | null): Date {
  if (!d.business) return new Date(millis(from, 'from') + d.ms);
  if (cal === null) throw new CalendarError(`a business duration needs a calendar ("${d.source}")`);
  return addBusinessTime(cal, from, d.ms);
}

/**
 * Milliseconds of open time in [from, to). Negative when `to` is before
 * `from`, so a margin to a deadline already passed comes out negative.
 */
export function businessTimeBetween(cal: Calendar, from: Date, to: Date): number {
  const fromMs = millis(from, 'from');
  const toMs = millis(to, 'to');
  if (toMs < fromMs) return -businessTimeBetween(cal, to, from);
  if (cal.always) return toMs - fromMs;

  let total = 0;
  for (const span of openSpans(cal, fromMs, toMs)) {
    total += Math.min(span.end, toMs) - Math.max(span.start, fromMs);
  }
  return total;
}

// ---------------------------------------------------------------------------
// Display

/**
 * Local time for reply templates, in the language's own conventions with a
 * 24-hour clock: weekday, day, month, HH:mm and the zone's short name, e.g.
 *   en  "Mon 30 Nov, 09:15 CET"       (bare `en` is shown as en-GB)
 *   de  "Mo., 30. Nov., 09:15 MEZ"
 *   fr  "lun. 30 nov., 09:15 UTC+1"
 * Names come from the runtime's ICU data, so exact spelling may vary with the
 * Node version. An unknown or malformed language falls back to English.
 */
export function formatInstant(at: Date, timezone: string, language: string): string {
  if (!IANAZone.isValidZone(timezone)) throw new CalendarError(`"${timezone}" is not an IANA time zone`);
  return DateTime.fromMillis(millis(at, 'at'), { zone: timezone }).setLocale(displayLocale(language)).toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
}

/** Bare `en` defaults to US conventions (Nov 30, GMT+1); international English reads better. */
function displayLocale(language: string): string {
  const FALLBACK = 'en-GB';
  try {
    const [tag] = Intl.getCanonicalLocales(language);
    if (tag === undefined || tag === 'en') return FALLBACK;
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : FALLBACK;
  } catch {
    return FALLBACK; // malformed tag
  }
}
