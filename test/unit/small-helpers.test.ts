import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapePointer, pointerSegments } from '../../src/policy/pack/json-pointer';
import { escapeRegex } from '../../src/util/escape-regex';
import { isObject } from '../../src/util/is-object';

describe('escapeRegex', () => {
  it('makes any text match itself literally, with and without the u flag', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const flags of ['', 'u', 'iu']) expect(new RegExp(`^${escapeRegex(text)}$`, flags).test(text)).toBe(true);
      }),
    );
    expect(new RegExp(escapeRegex('km/h (a.b)'), 'u').test('km/h (aXb)')).toBe(false);
  });
});

describe('JSON pointers', () => {
  it('read back the keys they were built from, ~ and / included', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1 }), (keys) => {
        expect(pointerSegments(`/${keys.map(escapePointer).join('/')}`)).toEqual(keys);
      }),
    );
    expect(escapePointer('a/~b')).toBe('a~1~0b');
    expect(pointerSegments('')).toEqual([]);
  });
});

describe('isObject', () => {
  it('is true for mappings only', () => {
    expect([{}, { a: 1 }].map(isObject)).toEqual([true, true]);
    expect([null, [], 'x', 1, undefined].map(isObject)).toEqual([false, false, false, false, false]);
  });
});
