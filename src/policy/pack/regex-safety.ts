// Pack authors write `matches:` patterns and the worker runs them on every
// post, so a pattern that backtracks catastrophically on a crafted post would
// stall triage (ReDoS). recheck (makenowjust-labs/recheck) decides that for
// JavaScript's own regex semantics, by automata theory or, where that does
// not apply, by fuzzing. It replaced a hand-written heuristic that missed
// quadratic patterns and rejected harmless ones (an unanchored `(a+)+`).
//
// What is rejected, each with a message a pack author can act on:
// - what recheck finds vulnerable: exponential, and polynomial too, since a
//   quadratic pattern cost 0.1-0.4 s on one 10,000-character post (the
//   longest a post may be) when measured;
// - what recheck cannot decide within REGEX_CHECK_TIMEOUT_MS, or cannot
//   analyse at all. This fails closed: a pack loads with every pattern shown
//   safe or not at all (a running service keeps its last good pack). The
//   timeout bounds each pattern, so a load never waits forever: at most the
//   timeout for each pattern not yet checked.
// Verdicts are kept per pattern for the life of the process, so a reload
// checks only new patterns; a timeout is not kept (a busy moment may have
// caused it), so the next load tries again.
//
// recheck is loaded on first use (its 2.9 MB bundle takes ~0.3 s to parse),
// so a pack without `matches` never loads it. Its default backend is a
// native binary run as a child process (unref'd; ~170 MB resident) that
// stays for the life of the process once started; RECHECK_BACKEND (read by
// recheck) can pick another.
import { createRequire } from 'node:module';
import type * as Recheck from 'recheck';
import type { Diagnostics } from 'recheck';

/** Flags the policy matcher compiles `matches` patterns with. */
export const MATCH_FLAGS = 'iu';

/** How long recheck may take over one pattern before the pattern counts as unsafe. */
export const REGEX_CHECK_TIMEOUT_MS = 10_000;

/** A problem to report, or null when the pattern compiles and is safe. */
export type RegexVerdict = string | null;

const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, RegexVerdict>();
let recheck: typeof Recheck | null = null;

/**
 * Checks the patterns of a pack at once, without blocking the event loop
 * (recheck works in its own process): the pack loader's entry point. Every
 * verdict it can keep is then at hand for checkRegex.
 */
export async function checkRegexes(
  sources: Iterable<string>,
  flags: string = MATCH_FLAGS,
  options: { timeoutMs?: number } = {},
): Promise<Map<string, RegexVerdict>> {
  const timeoutMs = options.timeoutMs ?? REGEX_CHECK_TIMEOUT_MS;
  const unique = [...new Set(sources)];
  const verdicts = await Promise.all(
    unique.map(async (source): Promise<RegexVerdict> => {
      const known = knownVerdict(source, flags);
      if (known !== undefined) return known;
      let diagnostics: Diagnostics;
      try {
        diagnostics = await lib().check(source, flags, { timeout: timeoutMs });
      } catch (err) {
        return notChecked(err);
      }
      return settle(source, flags, diagnostics, timeoutMs);
    }),
  );
  return new Map(unique.map((source, i) => [source, verdicts[i]!]));
}

/**
 * The verdict on one pattern, synchronously: the condition compiler's entry
 * point. After checkRegexes it is a lookup; otherwise (a condition compiled
 * without loading a pack: tests, tools) it blocks on recheck's checkSync.
 */
export function checkRegex(source: string, flags: string = MATCH_FLAGS): RegexVerdict {
  const known = knownVerdict(source, flags);
  if (known !== undefined) return known;
  let diagnostics: Diagnostics;
  try {
    diagnostics = lib().checkSync(source, flags, { timeout: REGEX_CHECK_TIMEOUT_MS });
  } catch (err) {
    return notChecked(err);
  }
  return settle(source, flags, diagnostics, REGEX_CHECK_TIMEOUT_MS);
}

/** A compile error, a remembered verdict, or undefined when recheck has to be asked. */
function knownVerdict(source: string, flags: string): RegexVerdict | undefined {
  try {
    new RegExp(source, flags);
  } catch (err) {
    return (err as Error).message; // "Invalid regular expression: /(/iu: Unterminated group"
  }
  return remembered.get(key(source, flags));
}

function settle(source: string, flags: string, d: Diagnostics, timeoutMs: number): RegexVerdict {
  const { verdict, lasting } = describe(source, d, timeoutMs);
  if (lasting) {
    // Patterns come from pack files, so this is only reached by a process
    // that loads very many packs; forgetting costs a re-check, nothing more.
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key(source, flags), verdict);
  }
  return verdict;
}

/** recheck's diagnostics as a sentence; `lasting` when checking again would say the same. */
function describe(source: string, d: Diagnostics, timeoutMs: number): { verdict: RegexVerdict; lasting: boolean } {
  switch (d.status) {
    case 'safe':
      return { verdict: null, lasting: true };
    case 'vulnerable': {
      const { complexity } = d;
      const growth =
        complexity.type === 'exponential'
          ? 'exponential time'
          : complexity.degree === 2
            ? 'quadratic time'
            : complexity.degree === 3
              ? 'cubic time'
              : `polynomial time of degree ${complexity.degree}`;
      const hot = [...new Set(d.hotspot.filter((h) => h.temperature === 'heat').map((h) => `"${source.slice(h.start, h.end)}"`))];
      const where = hot.length > 0 ? `the repetition at ${hot.slice(0, 3).join(', ')} can` : 'a repetition can';
      return {
        verdict:
          `pattern may backtrack catastrophically (recheck finds ${growth}, e.g. on ${d.attack.pattern}): ` +
          `${where} match the same text in more than one way; rewrite it so that it cannot, or use contains`,
        lasting: true,
      };
    }
    case 'unknown': {
      const { error } = d;
      if (error.kind === 'timeout' || error.kind === 'cancel') {
        return {
          verdict:
            `pattern could not be shown safe from catastrophic backtracking within ${timeoutMs / 1000} s (recheck timed out); ` +
            'simplify it, split it into several conditions, or use contains',
          lasting: false,
        };
      }
      return {
        verdict: `pattern cannot be checked for catastrophic backtracking (recheck: ${error.message}); rewrite it, or use contains`,
        lasting: error.kind !== 'unexpected',
      };
    }
  }
}

function notChecked(err: unknown): RegexVerdict {
  return `pattern could not be checked for catastrophic backtracking (${(err as Error).message}); try again, or use contains`;
}

function lib(): typeof Recheck {
  recheck ??= createRequire(import.meta.url)('recheck') as typeof Recheck;
  return recheck;
}

function key(source: string, flags: string): string {
  return `${flags}:${source}`; // flags never hold ':'
}
