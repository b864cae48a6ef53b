import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import {
  CalendarError,
  addBusinessTime,
  addDuration,
  businessTimeBetween,
  formatInstant,
  isOpen,
  nextOpening,
  normalizeCalendar,
} from '../../src/policy/engine/calendar';
import { parseDuration } from '../../src/policy/engine/duration';
import type { CalendarSpec } from '../../src/policy/types';
import type { Calendar } from '../../src/shared/plan';

const M = 60_000;
const H = 60 * M;

const at = (iso: string): Date => new Date(iso);
/** The result as an ISO string in UTC: what every assertion compares. */
const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const weekdays = (intervals: string[]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
});

/** Mon–Fri 08:00–20:00 and Sat 10:00–16:00 in Berlin, closed over Christmas. */
const support = normalizeCalendar('support', {
  timezone: 'Europe/Berlin',
  hours: { ...weekdays(['08:00-20:00']), sat: ['10:00-16:00'] },
  holidays: ['2026-12-26', '2026-12-24', '2026-12-25'],
});

/** Mon–Fri with a lunch break. */
const lunch = normalizeCalendar('lunch', {
  timezone: 'Europe/Berlin',
  hours: weekdays(['08:00-12:00', '13:00-17:00']),
});

/** Sundays 01:00–04:00 in Berlin: the interval spans both 2026 DST changes (03-29 and 10-25). */
const sundayNight = normalizeCalendar('sunday-night', {
  timezone: 'Europe/Berlin',
  hours: { sun: ['01:00-04:00'] },
});

/** Whole Sundays in New York (DST 2026-03-08 and 2026-11-01), exercising 24:00. */
const newYorkSundays = normalizeCalendar('ny', { timezone: 'America/New_York', hours: { sun: ['00:00-24:00'] } });

const always = normalizeCalendar('always', { timezone: 'UTC', hours: 'always' });
const closed = normalizeCalendar('closed', { timezone: 'Europe/Berlin', hours: {} });

function calendar(id: string, spec: CalendarSpec): Calendar {
  return normalizeCalendar(id, spec);
}

describe('normalizeCalendar', () => {
  it('turns intervals into minutes per weekday, Monday first', () => {
    expect(support).toEqual({
      id: 'support',
      timezone: 'Europe/Berlin',
      always: false,
      weekly: [[[480, 1200]], [[480, 1200]], [[480, 1200]], [[480, 1200]], [[480, 1200]], [[600, 960]], []],
      holidays: ['2026-12-24', '2026-12-25', '2026-12-26'],
    });
  });

  it('sorts intervals, keeps gaps and merges touching intervals', () => {
    const cal = calendar('c', {
      timezone: 'Europe/Berlin',
      hours: { mon: ['13:00-17:00', '08:00-12:00', '17:00-18:30'], sun: ['8:00-9:30', ' 20:00 - 24:00 '] },
    });
    expect(cal.weekly[0]).toEqual([
      [480, 720],
      [780, 1110],
    ]);
    expect(cal.weekly[6]).toEqual([
      [480, 570],
      [1200, 1440],
    ]);
    expect(cal.weekly.slice(1, 6)).toEqual([[], [], [], [], []]);
  });

  it('reads hours: always', () => {
    expect(always).toEqual({ id: 'always', timezone: 'UTC', always: true, weekly: [[], [], [], [], [], [], []], holidays: [] });
  });

  it('removes duplicate holidays', () => {
    const cal = calendar('c', { timezone: 'UTC', hours: { mon: ['00:00-24:00'] }, holidays: ['2027-01-01', '2026-12-31', '2027-01-01'] });
    expect(cal.holidays).toEqual(['2026-12-31', '2027-01-01']);
  });

  it.each([
    ['20:00-08:00', 'must end after it starts (an interval cannot cross midnight: split it)'],
    ['08:00-08:00', 'must end after it starts (an interval cannot cross midnight: split it)'],
    ['8-20', 'is not HH:MM-HH:MM'],
    ['08:00', 'is not HH:MM-HH:MM'],
    ['08.00-20.00', 'is not HH:MM-HH:MM'],
    ['25:00-26:00', 'is not a valid time of day'],
    ['08:60-20:00', 'is not a valid time of day'],
    ['24:00-24:00', 'is not a valid time of day'],
    ['20:00-24:01', 'is not a valid time of day'],
  ])('rejects the interval %j', (interval, why) => {
    expect(() => calendar('support', { timezone: 'Europe/Berlin', hours: { wed: [interval] } })).toThrow(
      new CalendarError(`calendar "support": wed interval "${interval}" ${why}; write it like "08:00-20:00"`),
    );
  });

  it('rejects an interval that is not a string', () => {
    const hours = { fri: [800] } as unknown as CalendarSpec['hours'];
    expect(() => calendar('c', { timezone: 'UTC', hours })).toThrow('calendar "c": fri interval "800" is not HH:MM-HH:MM');
  });

  it('rejects overlapping intervals, naming the weekday and both intervals', () => {
    expect(() => calendar('support', { timezone: 'Europe/Berlin', hours: { tue: ['12:00-20:00', '08:00-13:00'] } })).toThrow(
      new CalendarError('calendar "support": tue intervals "08:00-13:00" and "12:00-20:00" overlap'),
    );
    expect(() => calendar('c', { timezone: 'UTC', hours: { sat: ['08:00-20:00', '09:00-10:00'] } })).toThrow(
      'calendar "c": sat intervals "08:00-20:00" and "09:00-10:00" overlap',
    );
    expect(() => calendar('c', { timezone: 'UTC', hours: { sat: ['08:00-12:00', '12:00-14:00', '13:00-15:00'] } })).toThrow(
      'calendar "c": sat intervals "12:00-14:00" and "13:00-15:00" overlap',
    );
  });

  it('rejects an unknown weekday', () => {
    const hours = { monday: ['08:00-20:00'] } as unknown as CalendarSpec['hours'];
    expect(() => calendar('c', { timezone: 'UTC', hours })).toThrow(
      'calendar "c": "monday" is not a weekday; use mon, tue, wed, thu, fri, sat, sun',
    );
  });

  it('rejects a weekday that is not a list', () => {
    const hours = { mon: '08:00-20:00' } as unknown as CalendarSpec['hours'];
    expect(() => calendar('c', { timezone: 'UTC', hours })).toThrow('calendar "c": mon must be a list of intervals like "08:00-20:00"');
  });

  it.each(['Europe/Berlinn', 'Mars/Olympus_Mons', '+01:00', ''])('rejects the time zone %j', (timezone) => {
    expect(() => calendar('c', { timezone, hours: 'always' })).toThrow(
      new CalendarError(`calendar "c": "${timezone}" is not an IANA time zone such as Europe/Berlin`),
    );
  });

  it.each(['2026-02-30', '2026-13-01', '24.12.2026', '2026-2-3', '2026-12-24T00:00'])('rejects the holiday %j', (holiday) => {
    expect(() => calendar('c', { timezone: 'UTC', hours: { mon: ['08:00-20:00'] }, holidays: [holiday] })).toThrow(
      `calendar "c": holiday "${holiday}" is not a date like 2026-12-24`,
    );
  });

  it('rejects holidays on a calendar that is always open', () => {
    expect(() => calendar('c', { timezone: 'UTC', hours: 'always', holidays: ['2026-12-24'] })).toThrow(
      'calendar "c": is open \'always\', so its holidays would be ignored; list weekly hours instead',
    );
  });

  it('throws CalendarError, named so', () => {
    let caught: unknown;
    try {
      calendar('c', { timezone: 'Nowhere/Land', hours: 'always' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalendarError);
    expect((caught as Error).name).toBe('CalendarError');
  });
});

describe('addBusinessTime', () => {
  it('carries a Friday-evening post over to Saturday morning', () => {
    expect(iso(addBusinessTime(support, at('2026-11-27T19:30:00+01:00'), H))).toBe('2026-11-28T09:30:00.000Z');
  });

  it('starts the clock at the next opening for a post during the night', () => {
    expect(iso(addBusinessTime(support, at('2026-12-01T02:00:00+01:00'), 30 * M))).toBe('2026-12-01T07:30:00.000Z');
  });

  it('skips Sunday when the calendar is closed on Sundays', () => {
    expect(iso(addBusinessTime(support, at('2026-11-29T12:00:00+01:00'), 15 * M))).toBe('2026-11-30T07:15:00.000Z');
  });

  it('ends at the closing instant when the time fits exactly', () => {
    expect(iso(addBusinessTime(support, at('2026-11-27T19:00:00+01:00'), H))).toBe('2026-11-27T19:00:00.000Z');
  });

  it('counts an opening instant as open and a closing instant as closed', () => {
    expect(iso(addBusinessTime(support, at('2026-11-30T08:00:00+01:00'), H))).toBe('2026-11-30T08:00:00.000Z');
    expect(iso(addBusinessTime(support, at('2026-11-27T20:00:00+01:00'), M))).toBe('2026-11-28T09:01:00.000Z');
  });

  it('splits milliseconds across a closed stretch', () => {
    expect(iso(addBusinessTime(support, at('2026-11-27T19:59:59.500+01:00'), 1_000))).toBe('2026-11-28T09:00:00.500Z');
  });

  it('returns the next opening for zero time', () => {
    expect(iso(addBusinessTime(support, at('2026-11-28T22:00:00+01:00'), 0))).toBe('2026-11-30T07:00:00.000Z');
    expect(iso(addBusinessTime(support, at('2026-11-30T10:00:00+01:00'), 0))).toBe('2026-11-30T09:00:00.000Z');
  });

  it('skips holidays to the next open day', () => {
    // Wed 23 Dec 19:00: one hour left that day, 24–26 are holidays, 27 is a Sunday.
    expect(iso(addBusinessTime(support, at('2026-12-23T19:00:00+01:00'), 2 * H))).toBe('2026-12-28T08:00:00.000Z');
    // A post on Christmas Eve waits for Monday.
    expect(iso(addBusinessTime(support, at('2026-12-24T10:00:00+01:00'), H))).toBe('2026-12-28T08:00:00.000Z');
  });

  it('spans several open days and a weekend for durations longer than a day', () => {
    // Fri 18–20 (2h) + Sat 10–16 (6h) + Mon 08–20 (12h) + Tue 08–12 (4h) = 24h.
    expect(iso(addBusinessTime(support, at('2026-11-27T18:00:00+01:00'), 24 * H))).toBe('2026-12-01T11:00:00.000Z');
    // Mon–Wed (36h), Christmas and the weekend, Mon–Tue (24h), Wed 08–20 (12h).
    expect(iso(addBusinessTime(support, at('2026-12-21T08:00:00+01:00'), 72 * H))).toBe('2026-12-30T19:00:00.000Z');
  });

  it('skips a lunch break', () => {
    expect(iso(addBusinessTime(lunch, at('2026-11-30T11:30:00+01:00'), H))).toBe('2026-11-30T12:30:00.000Z');
    expect(iso(addBusinessTime(lunch, at('2026-11-30T12:15:00+01:00'), 15 * M))).toBe('2026-11-30T12:15:00.000Z');
    expect(iso(addBusinessTime(lunch, at('2026-11-30T08:00:00+01:00'), 8 * H))).toBe('2026-11-30T16:00:00.000Z');
    expect(iso(addBusinessTime(lunch, at('2026-11-30T08:00:00+01:00'), 8 * H + 1))).toBe('2026-12-01T07:00:00.001Z');
  });

  describe('across DST changes (01:00–04:00 local on Sundays, Europe/Berlin)', () => {
    it('has 2 real hours on the spring-forward Sunday', () => {
      // 01:00 CET = 00:00Z; the clock jumps 02:00 → 03:00; 04:00 CEST = 02:00Z.
      const saturday = at('2026-03-28T12:00:00Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 0))).toBe('2026-03-29T00:00:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, H))).toBe('2026-03-29T01:00:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 2 * H))).toBe('2026-03-29T02:00:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 2 * H + M))).toBe('2026-04-04T23:01:00.000Z');
    });

    it('has 4 real hours on the fall-back Sunday', () => {
      // 01:00 CEST = 23:00Z the day before; 02:00–03:00 happens twice; 04:00 CET = 03:00Z.
      const saturday = at('2026-10-24T12:00:00Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 0))).toBe('2026-10-24T23:00:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 3.5 * H))).toBe('2026-10-25T02:30:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 4 * H))).toBe('2026-10-25T03:00:00.000Z');
      expect(iso(addBusinessTime(sundayNight, saturday, 4 * H + M))).toBe('2026-11-01T00:01:00.000Z');
    });

    it('starts mid-interval during the repeated hour', () => {
      // 02:30 CET (second pass) = 01:30Z: 1.5h of the interval remain.
      expect(iso(addBusinessTime(sundayNight, at('2026-10-25T01:30:00Z'), 90 * M))).toBe('2026-10-25T03:00:00.000Z');
    });
  });

  it('follows 23- and 25-hour days for an interval ending at 24:00 (America/New_York)', () => {
    expect(iso(addBusinessTime(newYorkSundays, at('2026-03-07T12:00:00Z'), 23 * H))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(addBusinessTime(newYorkSundays, at('2026-03-07T12:00:00Z'), 23 * H + M))).toBe('2026-03-15T04:01:00.000Z');
    expect(iso(addBusinessTime(newYorkSundays, at('2026-10-31T12:00:00Z'), 25 * H))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('is wall-clock time for an always-open calendar', () => {
    expect(iso(addBusinessTime(always, at('2026-12-24T23:30:00Z'), 90 * M))).toBe('2026-12-25T01:00:00.000Z');
  });

  it('throws for a calendar that is never open', () => {
    expect(() => addBusinessTime(closed, at('2026-11-27T12:00:00Z'), H)).toThrow(
      new CalendarError('calendar "closed" is never open: it has no opening hours'),
    );
  });

  it('gives up when holidays close the calendar for more than 3 years', () => {
    const mondays = calendar('mondays', { timezone: 'Europe/Berlin', hours: { mon: ['08:00-20:00'] }, holidays: everyMonday(2026, 2030) });
    expect(() => addBusinessTime(mondays, at('2026-01-01T12:00:00Z'), H)).toThrow(
      new CalendarError('calendar "mondays" has no open time in the 3 years after 2026-01-01'),
    );
  });

  it('gives up on a duration needing more than 3 years of calendar time', () => {
    // 66 open hours a week: 20 000 hours take almost 6 years.
    expect(() => addBusinessTime(support, at('2026-11-27T12:00:00Z'), 20_000 * H)).toThrow(
      new CalendarError('calendar "support": gave up after scanning 3 years from 2026-11-27'),
    );
  });

  it('rejects negative or non-finite amounts and invalid dates', () => {
    expect(() => addBusinessTime(support, at('2026-11-27T12:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(support, at('2026-11-27T12:00:00Z'), Number.NaN)).toThrow('cannot add NaN ms of business time');
    expect(() => addBusinessTime(support, new Date(Number.NaN), H)).toThrow('from is not a valid date');
  });

  it('rejects a calendar whose time zone is not valid (calendars travel as plain data)', () => {
    const broken: Calendar = { ...support, timezone: 'Europe/Nowhere' };
    expect(() => addBusinessTime(broken, at('2026-11-27T12:00:00Z'), H)).toThrow(
      'calendar "support": "Europe/Nowhere" is not an IANA time zone',
    );
  });
});

describe('DST boundaries inside a skipped or repeated hour', () => {
  // A boundary maps to the first instant the wall clock reads that time or later.
  const earlyNight = calendar('early-night', { timezone: 'Europe/Berlin', hours: { sun: ['01:00-02:30'] } });

  it('ends an interval at the jump when its end is skipped (spring forward)', () => {
    expect(businessTimeBetween(earlyNight, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(H);
    expect(isOpen(earlyNight, at('2026-03-29T00:59:59.999Z'))).toBe(true);
    expect(isOpen(earlyNight, at('2026-03-29T01:15:00Z'))).toBe(false); // 03:15 CEST
  });

  it('ends an interval at the first pass when its end is repeated (fall back)', () => {
    expect(businessTimeBetween(earlyNight, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(1.5 * H);
    expect(isOpen(earlyNight, at('2026-10-25T00:15:00Z'))).toBe(true); // 02:15 CEST
    expect(isOpen(earlyNight, at('2026-10-25T01:15:00Z'))).toBe(false); // 02:15 CET, second pass
  });

  it('treats an interval lying inside the skipped hour as empty', () => {
    const skipped = calendar('skipped', { timezone: 'Europe/Berlin', hours: { sun: ['02:00-02:30', '10:00-11:00'] } });
    expect(iso(nextOpening(skipped, at('2026-03-28T23:30:00Z')))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(addBusinessTime(skipped, at('2026-03-28T23:30:00Z'), 30 * M))).toBe('2026-03-29T08:30:00.000Z');
    // On an ordinary Sunday the same interval is open.
    expect(iso(nextOpening(skipped, at('2026-04-04T23:30:00Z')))).toBe('2026-04-05T00:00:00.000Z');
  });

  it('opens at the jump when the clock skips midnight (America/Santiago, 2026-09-06)', () => {
    const santiago = calendar('santiago', { timezone: 'America/Santiago', hours: { sun: ['00:00-02:00'] } });
    // Sat 23:59 -04 → Sun 01:00 -03 at 04:00Z; 02:00 -03 = 05:00Z.
    expect(iso(nextOpening(santiago, at('2026-09-05T12:00:00Z')))).toBe('2026-09-06T04:00:00.000Z');
    expect(businessTimeBetween(santiago, at('2026-09-05T12:00:00Z'), at('2026-09-07T12:00:00Z'))).toBe(H);
  });

  it('opens when the clock first reads midnight after falling back from it (America/Santiago, 2026-04-05)', () => {
    const santiago = calendar('santiago', { timezone: 'America/Santiago', hours: { sun: ['00:00-02:00'] } });
    // At 03:00Z the clock goes from Sat 23:59:59.999 -03 back to Sat 23:00 -04,
    // so it first reads Sun 00:00 at 04:00Z; 02:00 -04 = 06:00Z.
    expect(isOpen(santiago, at('2026-04-05T03:30:00Z'))).toBe(false); // reads Sat 23:30, second pass
    expect(isOpen(santiago, at('2026-04-05T04:00:00Z'))).toBe(true);
    expect(iso(nextOpening(santiago, at('2026-04-05T02:30:00Z')))).toBe('2026-04-05T04:00:00.000Z');
    expect(businessTimeBetween(santiago, at('2026-04-04T12:00:00Z'), at('2026-04-06T12:00:00Z'))).toBe(2 * H);
  });
});

describe('addDuration', () => {
  it('adds wall-clock time for a plain duration, whatever the calendar', () => {
    expect(iso(addDuration(parseDuration('30m'), at('2026-11-27T19:50:00+01:00'), support))).toBe('2026-11-27T19:20:00.000Z');
    expect(iso(addDuration(parseDuration('30m'), at('2026-11-27T19:50:00+01:00'), null))).toBe('2026-11-27T19:20:00.000Z');
    // 1d is 24 real hours, also across a DST change.
    expect(iso(addDuration(parseDuration('1d'), at('2026-03-28T12:00:00Z'), null))).toBe('2026-03-29T12:00:00.000Z');
  });

  it('adds open time for a business duration', () => {
    expect(iso(addDuration(parseDuration('30m business'), at('2026-11-27T19:50:00+01:00'), support))).toBe('2026-11-28T09:20:00.000Z');
    expect(iso(addDuration(parseDuration('1d business'), at('2026-11-27T18:00:00+01:00'), support))).toBe('2026-12-01T11:00:00.000Z');
  });

  it('needs a calendar for a business duration', () => {
    expect(() => addDuration(parseDuration('PT1H business'), at('2026-11-27T12:00:00Z'), null)).toThrow(
      new CalendarError('a business duration needs a calendar ("PT1H business")'),
    );
  });
});

describe('businessTimeBetween', () => {
  it('counts only open time', () => {
    // Fri 19:00–20:00 and Sat 10:00–11:00.
    expect(businessTimeBetween(support, at('2026-11-27T19:00:00+01:00'), at('2026-11-28T11:00:00+01:00'))).toBe(2 * H);
    // A whole week: 5 × 12h + 6h.
    expect(businessTimeBetween(support, at('2026-11-30T00:00:00+01:00'), at('2026-12-07T00:00:00+01:00'))).toBe(66 * H);
    // Christmas week: Mon–Wed only.
    expect(businessTimeBetween(support, at('2026-12-21T00:00:00+01:00'), at('2026-12-28T00:00:00+01:00'))).toBe(36 * H);
    expect(businessTimeBetween(lunch, at('2026-11-30T00:00:00+01:00'), at('2026-12-01T00:00:00+01:00'))).toBe(8 * H);
  });

  it('is zero for an empty or closed range', () => {
    expect(businessTimeBetween(support, at('2026-11-27T12:00:00Z'), at('2026-11-27T12:00:00Z'))).toBe(0);
    expect(businessTimeBetween(support, at('2026-11-29T00:00:00+01:00'), at('2026-11-30T08:00:00+01:00'))).toBe(0);
    expect(businessTimeBetween(closed, at('2026-11-27T12:00:00Z'), at('2026-12-27T12:00:00Z'))).toBe(0);
  });

  it('is negative when the range runs backwards (a margin to a passed deadline)', () => {
    expect(businessTimeBetween(support, at('2026-11-28T11:00:00+01:00'), at('2026-11-27T19:00:00+01:00'))).toBe(-2 * H);
    expect(businessTimeBetween(always, at('2026-11-28T00:00:00Z'), at('2026-11-27T00:00:00Z'))).toBe(-24 * H);
  });

  it('measures the DST Sundays in real time', () => {
    expect(businessTimeBetween(sundayNight, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(2 * H);
    expect(businessTimeBetween(sundayNight, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(4 * H);
    expect(businessTimeBetween(sundayNight, at('2026-10-31T12:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(3 * H);
    expect(businessTimeBetween(newYorkSundays, at('2026-03-07T12:00:00Z'), at('2026-03-10T12:00:00Z'))).toBe(23 * H);
    expect(businessTimeBetween(newYorkSundays, at('2026-10-31T12:00:00Z'), at('2026-11-03T12:00:00Z'))).toBe(25 * H);
  });

  it('is wall-clock time for an always-open calendar', () => {
    expect(businessTimeBetween(always, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(24 * H);
  });

  it('refuses to scan more than 3 years', () => {
    expect(() => businessTimeBetween(support, at('2026-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toThrow(
      'calendar "support": gave up after scanning 3 years from 2026-01-01',
    );
  });
});

describe('isOpen and nextOpening', () => {
  it('includes the opening instant and excludes the closing instant', () => {
    expect(isOpen(support, at('2026-11-30T08:00:00+01:00'))).toBe(true);
    expect(isOpen(support, at('2026-11-30T19:59:59.999+01:00'))).toBe(true);
    expect(isOpen(support, at('2026-11-30T20:00:00+01:00'))).toBe(false);
    expect(isOpen(support, at('2026-11-30T07:59:59.999+01:00'))).toBe(false);
  });

  it('is closed on holidays, Sundays and over lunch', () => {
    expect(isOpen(support, at('2026-12-24T12:00:00+01:00'))).toBe(false);
    expect(isOpen(support, at('2026-11-29T12:00:00+01:00'))).toBe(false);
    expect(isOpen(lunch, at('2026-11-30T12:30:00+01:00'))).toBe(false);
    expect(isOpen(lunch, at('2026-11-30T13:00:00+01:00'))).toBe(true);
  });

  it('is always open for an always-open calendar and never for a closed one', () => {
    expect(isOpen(always, at('2026-12-25T03:00:00Z'))).toBe(true);
    expect(isOpen(closed, at('2026-11-30T12:00:00Z'))).toBe(false);
  });

  it('returns the instant itself when open', () => {
    expect(iso(nextOpening(support, at('2026-11-30T10:15:00+01:00')))).toBe('2026-11-30T09:15:00.000Z');
    expect(iso(nextOpening(always, at('2026-11-29T03:00:00Z')))).toBe('2026-11-29T03:00:00.000Z');
  });

  it('returns the next opening when closed', () => {
    expect(iso(nextOpening(support, at('2026-11-28T16:00:00+01:00')))).toBe('2026-11-30T07:00:00.000Z');
    expect(iso(nextOpening(support, at('2026-12-23T21:00:00+01:00')))).toBe('2026-12-28T07:00:00.000Z');
    expect(iso(nextOpening(lunch, at('2026-11-30T12:00:00+01:00')))).toBe('2026-11-30T12:00:00.000Z');
  });

  it('returns null when the calendar never opens', () => {
    expect(nextOpening(closed, at('2026-11-30T12:00:00Z'))).toBeNull();
    const mondays = calendar('mondays', { timezone: 'Europe/Berlin', hours: { mon: ['08:00-20:00'] }, holidays: everyMonday(2026, 2030) });
    expect(nextOpening(mondays, at('2026-01-01T12:00:00Z'))).toBeNull();
    expect(isOpen(mondays, at('2026-01-05T12:00:00Z'))).toBe(false);
  });
});

describe('formatInstant', () => {
  // These strings come from Node's ICU data and pin its current spelling.
  const monday = at('2026-11-30T08:15:00Z');

  it('formats in English with a 24-hour clock and the zone abbreviation', () => {
    expect(formatInstant(monday, 'Europe/Berlin', 'en')).toBe('Mon 30 Nov, 09:15 CET');
    expect(formatInstant(monday, 'UTC', 'en')).toBe('Mon 30 Nov, 08:15 UTC');
  });

  it('formats in German', () => {
    expect(formatInstant(monday, 'Europe/Berlin', 'de')).toBe('Mo., 30. Nov., 09:15 MEZ');
    expect(formatInstant(at('2026-07-30T08:15:00Z'), 'Europe/Berlin', 'de')).toBe('Do., 30. Juli, 10:15 MESZ');
  });

  it('respects a region given with the language', () => {
    expect(formatInstant(monday, 'America/New_York', 'en-US')).toBe('Mon, Nov 30, 03:15 EST');
  });

  it('falls back to English for unknown or malformed languages', () => {
    expect(formatInstant(monday, 'Europe/Berlin', 'xx')).toBe('Mon 30 Nov, 09:15 CET');
    expect(formatInstant(monday, 'Europe/Berlin', 'not a language!')).toBe('Mon 30 Nov, 09:15 CET');
    expect(formatInstant(monday, 'Europe/Berlin', '')).toBe('Mon 30 Nov, 09:15 CET');
  });

  it('rejects an invalid time zone', () => {
    expect(() => formatInstant(monday, 'Europe/Nowhere', 'en')).toThrow(new CalendarError('"Europe/Nowhere" is not an IANA time zone'));
  });
});

// ---------------------------------------------------------------------------
// Properties over deterministic pseudo-random inputs

/** mulberry32: a tiny seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function everyMonday(fromYear: number, toYear: number): string[] {
  const dates: string[] = [];
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let day = Date.UTC(fromYear, 0, 1); day < end; day += 24 * H) {
    if (new Date(day).getUTCDay() === 1) dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * An independent model: open when the local wall clock reads a time inside
 * an interval of that weekday. It agrees with the span model whenever no
 * interval boundary lies in a repeated hour, true for the calendars below.
 */
function openByWallClock(cal: Calendar, instant: number): boolean {
  const local = DateTime.fromMillis(instant, { zone: cal.timezone });
  if (cal.holidays.includes(local.toISODate() ?? '')) return false;
  const minute = local.hour * 60 + local.minute;
  return (cal.weekly[local.weekday - 1] ?? []).some(([start, end]) => minute >= start && minute < end);
}

const YEAR_2026 = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * H;
const propertyCalendars = [support, lunch, sundayNight, newYorkSundays];

describe('properties', () => {
  it('businessTimeBetween(from, addBusinessTime(from, ms)) is ms, and the result is the earliest such instant', () => {
    const random = prng(20261127);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const cal = propertyCalendars[Math.floor(random() * propertyCalendars.length)] ?? support;
      const from = new Date(YEAR_2026 + Math.floor(random() * YEAR_MS));
      // Mostly whole minutes, sometimes arbitrary milliseconds; up to ~5 days of open time.
      const ms = random() < 0.5 ? Math.floor(random() * 7_200) * M : Math.floor(random() * 5 * 24 * H);
      const until = addBusinessTime(cal, from, ms);
      const measured = businessTimeBetween(cal, from, until);
      const justBefore = businessTimeBetween(cal, from, new Date(until.getTime() - 1));
      if (measured !== ms || (ms > 0 && justBefore !== ms - 1)) {
        failures.push(`${cal.id} ${from.toISOString()} + ${ms} → ${until.toISOString()}: ${measured}, ${justBefore}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('businessTimeBetween is additive and antisymmetric', () => {
    const random = prng(42);
    const failures: string[] = [];
    for (let i = 0; i < 200; i++) {
      const cal = propertyCalendars[i % propertyCalendars.length] ?? support;
      // A start anywhere in 2026, then two instants within the next three weeks.
      const start = YEAR_2026 + Math.floor(random() * YEAR_MS);
      const [a, b, c] = [0, random(), random()]
        .map((fraction) => start + Math.floor(fraction * 21 * 24 * H))
        .sort((x, y) => x - y)
        .map((ms) => new Date(ms)) as [Date, Date, Date];
      const whole = businessTimeBetween(cal, a, c);
      const parts = businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c);
      if (whole !== parts || businessTimeBetween(cal, c, a) !== -whole) {
        failures.push(`${cal.id} ${a.toISOString()} ${b.toISOString()} ${c.toISOString()}: ${whole} vs ${parts}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('agrees with a wall-clock model sampled every 5 minutes, including both DST weekends', () => {
    const STEP = 5 * M;
    const random = prng(7);
    const windows: Array<[number, number]> = [
      [Date.parse('2026-03-28T00:00:00Z'), Date.parse('2026-03-30T00:00:00Z')],
      [Date.parse('2026-10-24T00:00:00Z'), Date.parse('2026-10-26T00:00:00Z')],
      [Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-09T12:00:00Z')],
      [Date.parse('2026-10-31T00:00:00Z'), Date.parse('2026-11-02T12:00:00Z')],
      [Date.parse('2026-12-22T00:00:00Z'), Date.parse('2026-12-29T00:00:00Z')],
    ];
    for (let i = 0; i < 25; i++) {
      const start = YEAR_2026 + Math.floor((random() * YEAR_MS) / STEP) * STEP;
      windows.push([start, start + Math.floor(random() * 576) * STEP]); // up to 2 days
    }
    const failures: string[] = [];
    for (const cal of propertyCalendars) {
      for (const [start, end] of windows) {
        let sampled = 0;
        for (let t = start; t < end; t += STEP) if (openByWallClock(cal, t)) sampled += STEP;
        const measured = businessTimeBetween(cal, new Date(start), new Date(end));
        if (measured !== sampled) {
          failures.push(`${cal.id} ${new Date(start).toISOString()}…${new Date(end).toISOString()}: ${measured} vs ${sampled}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('isOpen agrees with the wall-clock model at random instants', () => {
    const random = prng(99);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const cal = propertyCalendars[i % propertyCalendars.length] ?? support;
      const instant = YEAR_2026 + Math.floor(random() * YEAR_MS);
      if (isOpen(cal, new Date(instant)) !== openByWallClock(cal, instant)) {
        failures.push(`${cal.id} ${new Date(instant).toISOString()}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
