import { describe, it, expect } from 'vitest';
import { DurationError, formatDuration, parseDuration, parsePercent } from '../../src/policy/engine/duration';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['90s', 90 * S],
    ['15m', 15 * M],
    ['2h', 2 * H],
    ['1d', D],
    ['1h30m', H + 30 * M],
    ['1d2h30m15s', D + 2 * H + 30 * M + 15 * S],
    ['1h 30m', H + 30 * M],
    ['2d 3h', 2 * D + 3 * H],
    ['0h15m', 15 * M],
    ['120m', 2 * H],
  ])('reads the compact form %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ms, business: false, source: text });
  });

  it.each([
    ['PT15M', 15 * M],
    ['P2D', 2 * D],
    ['PT1H30M', H + 30 * M],
    ['P1DT2H', D + 2 * H],
    ['PT90S', 90 * S],
    ['P1W', 7 * D],
    ['PT0.5H', 30 * M],
    ['P0DT15M', 15 * M],
  ])('reads the ISO 8601 form %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ms, business: false, source: text });
  });

  it.each([
    ['30m business', 30 * M],
    ['PT1H business', H],
    ['1d business', D],
    ['1h30m   business', H + 30 * M],
  ])('reads the business suffix in %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ms, business: true, source: text });
  });

  it('keeps the trimmed text as source', () => {
    expect(parseDuration('  15m business \n')).toEqual({ ms: 15 * M, business: true, source: '15m business' });
  });

  it('explains the accepted forms when the text is not a duration', () => {
    expect(() => parseDuration('15 minutes')).toThrow(
      new DurationError('"15 minutes" is not a duration: use 90s, 15m, 2h, 1d or ISO 8601 like PT15M, optionally followed by " business"'),
    );
  });

  it('throws a DurationError (named so) for bad input', () => {
    let caught: unknown;
    try {
      parseDuration('soon');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DurationError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('DurationError');
  });

  it.each([
    '',
    '   ',
    '15',
    '1w',
    '2 weeks',
    '1.5h',
    '15m2h', // units out of order
    '1h1h',
    'h',
    '-15m',
    '+15m',
    '15M',
    '15ms',
    'business',
    '30mbusiness',
    '30m Business',
    '30m business business',
    'business 30m',
    'pt15m',
    'PT15M extra',
    'P1DT',
    'PT',
    'T15M',
  ])('rejects %j with the usage message', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration: use 90s, 15m, 2h, 1d or ISO 8601/);
  });

  it.each(['0m', '0s', '0d0h0m0s', 'PT0S', 'P0D', 'P', '0m business', 'PT0.0001S'])('rejects the zero duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`"${text}" is not a duration: it must be longer than zero`);
  });

  it.each(['-PT15M', 'PT-15M', 'PT1H-30M', '-P1D business'])('rejects the negative ISO duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`"${text}" is not a duration: it must be longer than zero`);
  });

  it.each(['P1M', 'P1Y', 'P1Y2D', 'P0Y1M', 'P1MT2H business'])('rejects %j: months and years vary in length', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `"${text}" is not a duration: months and years have no fixed length; use days (P30D) or weeks (P4W)`,
    );
  });

  it('accepts an ISO duration with explicit zero months', () => {
    expect(parseDuration('P0M2D').ms).toBe(2 * D);
  });

  it('rejects a duration too long to count in milliseconds', () => {
    expect(() => parseDuration('99999999999999999d')).toThrow('"99999999999999999d" is not a duration: it is far too long');
  });
});

describe('formatDuration', () => {
  it.each([
    [H + 30 * M, '1h 30m'],
    [45 * S, '45s'],
    [2 * D + 3 * H, '2d 3h'],
    [D + H + M + S, '1d 1h 1m 1s'],
    [D + 15 * S, '1d 15s'],
    [15 * M, '15m'],
    [7 * D, '7d'],
    [0, '0s'],
    [250, '250ms'],
    [1_500, '1s'],
    [59_999, '59s'],
    [-90 * M, '-1h 30m'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('refuses non-finite input', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow('cannot format a duration of Infinity ms');
  });

  it('round-trips through parseDuration for whole seconds', () => {
    for (const ms of [S, 59 * S, M + S, H, 25 * H + 59 * S, 3 * D + 4 * H + 5 * M + 6 * S, 400 * D]) {
      expect(parseDuration(formatDuration(ms)).ms).toBe(ms);
    }
  });
});

describe('parsePercent', () => {
  it.each([
    ['75%', 0.75],
    ['50%', 0.5],
    ['12.5%', 0.125],
    ['1%', 0.01],
    ['99.9%', 0.999],
    [' 80 % ', 0.8],
  ])('reads %j', (text, fraction) => {
    expect(parsePercent(text)).toBeCloseTo(fraction, 12);
  });

  it.each(['0%', '0.0%', '100%', '150%', '-5%', '75', '%', 'abc', '75 percent', '.5%', '1e1%', ''])('rejects %j', (text) => {
    expect(() => parsePercent(text)).toThrow(DurationError);
  });

  it('says what a percentage looks like', () => {
    expect(() => parsePercent('150%')).toThrow('"150%" is not a percentage: use a number between 0 and 100 followed by %, like 75%');
  });
});
