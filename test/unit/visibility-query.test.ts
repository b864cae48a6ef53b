// The visibility query builder, property-based: whatever a value holds, it
// never ends its literal early (no value can add a clause), and Temporal's
// parser reads back exactly the value. The parser is modelled on the
// tokenizer Temporal uses (temporalio/sqlparser, scanString): bytes of UTF-8,
// a backslash takes the next byte (\0 \b \n \r \t \Z decoded, any other
// byte as itself), a doubled quote is a quote. The integration test
// test/integration/visibility-query.test.ts checks the same values against
// a real server.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, canMatch, literal, or, prefixFor, UnmatchableValueError, vq, VisibilityQuery } from '../../src/client/visibility-query';

const DECODED: Record<number, number> = { 0x30: 0, 0x62: 8, 0x6e: 10, 0x72: 13, 0x74: 9, 0x5a: 26 };

/** Reads the '…' literal at the start of `text` as Temporal's tokenizer does; null on a lexing error. */
function readLiteral(text: string): { value: string; rest: string } | null {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes[0] !== 0x27) return null;
  const out: number[] = [];
  let i = 1;
  for (;;) {
    const ch = bytes[i];
    if (ch === undefined) return null; // unterminated
    if (ch === 0x5c) {
      const next = bytes[i + 1];
      if (next === undefined) return null;
      out.push(DECODED[next] ?? next);
      i += 2;
    } else if (ch === 0x27) {
      if (bytes[i + 1] !== 0x27) break;
      out.push(0x27);
      i += 2;
    } else {
      out.push(ch);
      i += 1;
    }
  }
  return { value: Buffer.from(out).toString('utf8'), rest: bytes.subarray(i + 1).toString('utf8') };
}

/** Every literal of a query, in order, and the words between them. */
function tokens(query: string): { words: string[]; literals: string[] } {
  const words: string[] = [];
  const literals: string[] = [];
  let rest = query;
  for (;;) {
    const at = rest.indexOf("'");
    if (at < 0) {
      words.push(rest);
      return { words, literals };
    }
    words.push(rest.slice(0, at));
    const lit = readLiteral(rest.slice(at));
    if (!lit) throw new Error(`lexing error in ${JSON.stringify(query)}`);
    literals.push(lit.value);
    rest = lit.rest;
  }
}

// Strings of every kind: full Unicode, lone surrogates, and the characters that matter here, densely.
const NASTY = [
  "'",
  "''",
  '\\',
  "\\'",
  '"',
  '`',
  '\0',
  '\n',
  '\r',
  '\t',
  '\b',
  '\x1a',
  '%',
  '_',
  ' OR 1=1 --',
  ')',
  '(',
  ';',
  '😀',
  '\uD800',
];
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })), { maxLength: 20 }).map((a) => a.join('')),
);

describe('visibility query literals', () => {
  it('any value that can be matched reads back as itself, and the query goes on after it', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        fc.pre(canMatch(s));
        const read = readLiteral(`${literal(s)} AND WorkflowType = 'x'`);
        expect(read).toEqual({ value: s, rest: " AND WorkflowType = 'x'" });
      }),
      { numRuns: 2000 },
    );
  });

  it('a value visibility cannot match is refused, never written', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        if (canMatch(s)) expect(() => literal(s)).not.toThrow();
        else expect(() => literal(s)).toThrow(UnmatchableValueError);
      }),
      { numRuns: 2000 },
    );
    for (const s of [
      'a\\b',
      'a"b',
      'a\nb',
      'a\rb',
      'a\tb',
      'a\bb',
      'a\0b',
      'a\x1ab',
      'a\x7fb',
      'a\uD800b',
      'a\uDFFF',
      "'a",
      "a'",
      "'",
      "''",
    ])
      expect(canMatch(s), JSON.stringify(s)).toBe(false);
    for (const s of ["q'2", "it's", "a' ", " 'a", '%_', '😀', 'ü', ' spaces ', '\u2028', 'twitter:1', ''])
      expect(canMatch(s), JSON.stringify(s)).toBe(true);
  });

  it('values in a template fill exactly their own slots: no value adds or removes a clause', () => {
    fc.assert(
      fc.property(anyString, anyString, fc.array(anyString, { minLength: 1, maxLength: 4 }), (a, b, list) => {
        fc.pre(canMatch(a) && canMatch(b) && list.every(canMatch));
        const q = and(vq`WorkflowId = ${a} AND HearkenCustomer = ${b}`, vq`HearkenTeam IN ${list}`);
        const { words, literals } = tokens(q.text);
        expect(literals).toEqual([a, b, ...list]);
        expect(words).toEqual([
          '(WorkflowId = ',
          ' AND HearkenCustomer = ',
          ') AND (HearkenTeam IN (',
          ...list.slice(1).map(() => ', '),
          '))',
        ]);
      }),
      { numRuns: 1000 },
    );
  });

  it('the longest matchable prefix is a prefix that can be matched', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const p = prefixFor(s);
        expect(s.startsWith(p)).toBe(true);
        expect(canMatch(p)).toBe(true);
        if (canMatch(s)) expect(p).toBe(s);
        expect(prefixFor("twitter:it's\\x")).toBe("twitter:it's");
        expect(prefixFor("twitter:it'\\x")).toBe('twitter:it');
        expect(prefixFor("'x")).toBe('');
      }),
      { numRuns: 1000 },
    );
  });

  it('instants become RFC 3339 within the years visibility parses; other values their plain form', () => {
    expect(literal(new Date('2026-11-01T00:00:00Z'))).toBe("'2026-11-01T00:00:00.000Z'");
    // Date.parse takes these; Temporal's RFC 3339 parser does not (it answered 500 before).
    expect(literal(new Date('-271821-04-20T00:00:00Z'))).toBe("'0001-01-01T00:00:00.000Z'");
    expect(literal(new Date(8.64e15))).toBe("'9999-12-31T23:59:59.999Z'");
    expect(() => literal(new Date(NaN))).toThrow(RangeError);
    expect(literal(true)).toBe('true');
    expect(literal(false)).toBe('false');
    expect(literal(42)).toBe('42');
    expect(() => literal(1.5)).toThrow(RangeError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => vq`HearkenTeam IN ${[]}`).toThrow(RangeError);
  });

  it('and / or join the given clauses, each in parentheses, and skip the absent ones', () => {
    const a = vq`A = ${'x'}`;
    const b = vq`B = 1 OR C = 2`;
    expect(and(a, undefined, false, null).text).toBe("A = 'x'");
    expect(and(a, b).text).toBe("(A = 'x') AND (B = 1 OR C = 2)");
    expect(or(a, b).text).toBe("(A = 'x') OR (B = 1 OR C = 2)");
    expect(vq`X AND ${b}`.text).toBe('X AND (B = 1 OR C = 2)');
    expect(() => and()).toThrow(RangeError);
    expect(a).toBeInstanceOf(VisibilityQuery);
    // A string is always a value, never query text.
    expect(vq`WorkflowId = ${"x' OR '1'='1"}`.text).toBe("WorkflowId = 'x\\' OR \\'1\\'=\\'1'");
  });
});
