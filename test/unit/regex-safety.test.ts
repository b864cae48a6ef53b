import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Recheck from 'recheck';
import { checkRegex, checkRegexes, MATCH_FLAGS } from '../../src/policy/pack/regex-safety';

// The same module object regex-safety loads lazily, so a spy sees its calls.
const recheck = createRequire(import.meta.url)('recheck') as typeof Recheck;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('checkRegexes (the pack loader asks for all patterns at once)', () => {
  it('gives a verdict per distinct pattern, and the compiler then finds them without asking recheck again', async () => {
    const verdicts = await checkRegexes(['\\bbill(ed|ing)?\\b', '(a+)+$', '(', '\\bbill(ed|ing)?\\b']);
    expect([...verdicts.keys()]).toEqual(['\\bbill(ed|ing)?\\b', '(a+)+$', '(']);
    expect(verdicts.get('\\bbill(ed|ing)?\\b')).toBeNull();
    expect(verdicts.get('(a+)+$')).toMatch(/^pattern may backtrack catastrophically/);
    expect(verdicts.get('(')).toMatch(/^Invalid regular expression/);

    const checkSync = vi.spyOn(recheck, 'checkSync');
    expect(checkRegex('\\bbill(ed|ing)?\\b', MATCH_FLAGS)).toBeNull();
    expect(checkRegex('(a+)+$', MATCH_FLAGS)).toBe(verdicts.get('(a+)+$'));
    expect(checkSync).not.toHaveBeenCalled();
  });

  it('rejects a pattern recheck cannot decide in time, and asks again next time instead of remembering', async () => {
    // A lookahead sends recheck to its fuzzer, which takes far longer than 1 ms.
    const slow = '(?=.*q)z';
    const timedOut = await checkRegexes([slow], MATCH_FLAGS, { timeoutMs: 1 });
    expect(timedOut.get(slow)).toMatch(
      /^pattern could not be shown safe from catastrophic backtracking within 0\.001 s \(recheck timed out\)/,
    );

    const check = vi.spyOn(recheck, 'check');
    const decided = await checkRegexes([slow]);
    expect(check).toHaveBeenCalledTimes(1);
    expect(decided.get(slow)).toMatch(/^pattern may backtrack catastrophically \(recheck finds quadratic time/);
  });
});
