// A small, conservative guard against regular expressions that can take
// exponential time (ReDoS). Pack authors write `matches:` patterns, and the
// worker runs them on every post: one `(a+)+` would stall triage for minutes
// on a crafted post. This is a heuristic, not a proof (a maintained library
// such as safe-regex2 or recheck would be more thorough); it errs on the side
// of rejecting, and its messages say how to rewrite the pattern.
//
// Two shapes are rejected when they sit under a repeating quantifier
// (`*`, `+`, `{n,}`, or `{n,m}` with m > 10):
//   - a nested unbounded quantifier: (a+)+  (.*)*  (\w+\s?)*
//   - alternatives that can start with the same character: (a|aa)*  (\d|\w)+

/** Flags the policy matcher compiles `matches` patterns with. */
export const MATCH_FLAGS = 'iu';

/** A bounded repeat above this count is treated like an unbounded one. */
const MAX_SAFE_REPEAT = 10;

// Characters used to approximate "which characters can an atom start with":
// printable ASCII plus whitespace and a few non-ASCII letters, digits and
// symbols. Two atoms overlap when some probe matches both.
const PROBES: string[] = [
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  'ä',
  'Ä',
  'ß',
  'é',
  'ж',
  'Ж',
  '中',
  'ع',
  '٣',
  '€',
  '😀',
];

type FirstSet = boolean[];
const ANY: FirstSet = PROBES.map(() => true);

interface Alternative {
  /** Characters the alternative can start with; null while only zero-width atoms were seen. */
  first: FirstSet | null;
  /** It contains an unbounded (or more than MAX_SAFE_REPEAT) quantifier somewhere. */
  unbounded: boolean;
}

interface Parsed {
  alternatives: Alternative[];
  end: number;
}

/**
 * Returns null when `source` compiles (with `flags`) and looks safe, else a
 * message saying what is wrong.
 */
export function checkRegex(source: string, flags: string = MATCH_FLAGS): string | null {
  try {
    new RegExp(source, flags);
  } catch (err) {
    return (err as Error).message; // "Invalid regular expression: /(/iu: Unterminated group"
  }
  try {
    new Checker(source, flags).alternation(0, 0);
    return null;
  } catch (err) {
    if (err instanceof UnsafePattern) return err.message;
    throw err;
  }
}

class UnsafePattern extends Error {}

/** A recursive-descent walk over a pattern that is already known to compile. */
class Checker {
  private readonly firstSets = new Map<string, FirstSet>();

  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  /** Parses alternatives from `pos` up to the closing `)` (or the end at depth 0). */
  alternation(pos: number, depth: number): Parsed {
    const alternatives: Alternative[] = [];
    let current: Alternative = { first: null, unbounded: false };
    let i = pos;
    while (i < this.src.length) {
      const ch = this.src[i];
      if (ch === ')' && depth > 0) break;
      if (ch === '|') {
        alternatives.push(current);
        current = { first: null, unbounded: false };
        i++;
        continue;
      }
      const start = i;
      const atom = this.atom(i, depth);
      i = atom.end;
      const q = this.quantifier(i);
      if (q) {
        i = q.end;
        if (q.max > MAX_SAFE_REPEAT) this.checkRepeated(atom, this.src.slice(start, i));
      }
      current.unbounded ||= atom.unbounded || (q !== null && q.max > MAX_SAFE_REPEAT);
      if (current.first === null && !atom.zeroWidth) {
        // An optional first atom lets the next one start the match too;
        // rather than chase that, assume it can start with anything.
        current.first = q && q.min === 0 ? ANY : atom.first;
      }
    }
    alternatives.push(current);
    return { alternatives, end: i };
  }

  private checkRepeated(atom: Atom, text: string): void {
    if (atom.unbounded) {
      throw new UnsafePattern(
        `pattern may backtrack catastrophically: nested quantifier in "${text}"; ` +
          'repeat a plain character class instead (e.g. "[\\w\\s]+")',
      );
    }
    // An empty alternative (`(a|)*`) only matches the empty string, which the
    // engine refuses to repeat, so it cannot blow up; leave it out.
    const firsts = (atom.alternatives ?? []).flatMap((a) => (a.first ? [a.first] : []));
    for (let a = 0; a < firsts.length; a++) {
      for (let b = a + 1; b < firsts.length; b++) {
        if (overlaps(firsts[a]!, firsts[b]!)) {
          throw new UnsafePattern(
            `pattern may backtrack catastrophically: alternatives in "${text}" can match ` +
              'the same text; make them mutually exclusive or drop the repetition',
          );
        }
      }
    }
  }

  private atom(i: number, depth: number): Atom {
    const ch = this.src[i];
    if (ch === '(') return this.group(i, depth);
    if (ch === '^' || ch === '$') return { end: i + 1, first: ANY, unbounded: false, zeroWidth: true };
    let end: number;
    if (ch === '[') end = this.classEnd(i);
    else if (ch === '\\') {
      end = this.escapeEnd(i);
      const kind = this.src[i + 1];
      if (kind === 'b' || kind === 'B') return { end, first: ANY, unbounded: false, zeroWidth: true };
    } else end = i + 1 + (this.src.codePointAt(i)! > 0xffff ? 1 : 0);
    return { end, first: this.firstSet(this.src.slice(i, end)), unbounded: false, zeroWidth: false };
  }

  private group(i: number, depth: number): Atom {
    let inner = i + 1;
    let zeroWidth = false;
    if (this.src[inner] === '?') {
      const rest = this.src.slice(inner, inner + 3);
      if (rest.startsWith('?=') || rest.startsWith('?!')) {
        zeroWidth = true;
        inner += 2;
      } else if (rest === '?<=' || rest === '?<!') {
        zeroWidth = true;
        inner += 3;
      } else if (rest.startsWith('?:')) inner += 2;
      else if (rest.startsWith('?<')) inner = this.src.indexOf('>', inner) + 1; // named group
    }
    const parsed = this.alternation(inner, depth + 1);
    const firsts = parsed.alternatives.map((a) => a.first ?? ANY);
    return {
      end: parsed.end + 1, // past ')'
      first: firsts.reduce(union),
      unbounded: parsed.alternatives.some((a) => a.unbounded),
      zeroWidth,
      alternatives: parsed.alternatives,
    };
  }

  private classEnd(i: number): number {
    let j = i + 1;
    if (this.src[j] === '^') j++;
    if (this.src[j] === ']') j++; // never in u-mode, but harmless
    while (j < this.src.length && this.src[j] !== ']') j += this.src[j] === '\\' ? 2 : 1;
    return j + 1;
  }

  private escapeEnd(i: number): number {
    const kind = this.src[i + 1] ?? '';
    const after = i + 2;
    if ('pPu'.includes(kind) && this.src[after] === '{') return this.src.indexOf('}', after) + 1;
    if (kind === 'u') return after + 4;
    if (kind === 'x') return after + 2;
    if (kind === 'c') return after + 1;
    if (kind === 'k') return this.src.indexOf('>', after) + 1;
    if (/[1-9]/.test(kind)) {
      let j = after;
      while (/[0-9]/.test(this.src[j] ?? '')) j++;
      return j;
    }
    return after;
  }

  private quantifier(i: number): { min: number; max: number; end: number } | null {
    const ch = this.src[i];
    let q: { min: number; max: number; end: number } | null = null;
    if (ch === '*') q = { min: 0, max: Infinity, end: i + 1 };
    else if (ch === '+') q = { min: 1, max: Infinity, end: i + 1 };
    else if (ch === '?') q = { min: 0, max: 1, end: i + 1 };
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
        q = { min, max, end: i + m[0].length };
      }
    }
    if (q && this.src[q.end] === '?') q.end++; // lazy: backtracks just as much
    return q;
  }

  /** Which probes the atom can match as its first character (cached per atom text). */
  private firstSet(atomSource: string): FirstSet {
    let set = this.firstSets.get(atomSource);
    if (!set) {
      try {
        const re = new RegExp(`^(?:${atomSource})`, this.flags);
        set = PROBES.map((p) => re.test(p));
      } catch {
        set = ANY; // e.g. a back-reference, meaningless on its own
      }
      this.firstSets.set(atomSource, set);
    }
    return set;
  }
}

interface Atom {
  end: number;
  first: FirstSet;
  unbounded: boolean;
  zeroWidth: boolean;
  alternatives?: Alternative[];
}

function union(a: FirstSet, b: FirstSet): FirstSet {
  return a.map((x, i) => x || b[i] === true);
}

function overlaps(a: FirstSet, b: FirstSet): boolean {
  return a.some((x, i) => x && b[i] === true);
}
