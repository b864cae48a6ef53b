// Visibility queries (Temporal's SQL-like list filter) are built here and
// nowhere else: the query's words come from code, every value goes through
// literal(), which writes it as a quoted string that Temporal's parser reads
// back as exactly that value, or refuses it. No caller pastes a value into a
// query's text.
//
// Escaping. Temporal parses the query with a MySQL-dialect tokenizer
// (temporalio/sqlparser): inside '…' a backslash takes the next character
// literally (\' is a quote, \\ a backslash) and '' is a quote too; nothing
// else is special. Escaping \ and ' is therefore enough for no value to end
// its literal early; test/unit/visibility-query.test.ts checks that for any
// string against a model of that tokenizer.
//
// Matching. Parsing right is not finding right: the SQL visibility stores
// re-quote the parsed value for their own SQL and lose some values on the
// way. Measured on the dev server's SQLite (Temporal 1.32): a value holding
// a backslash, a double quote, a backspace, tab, line feed or carriage
// return matches nothing, NUL fails the whole query, and quotes at either
// end of a value are stripped, so `'a` finds the rows of `a` (a wrong
// answer, not just none). A lone surrogate cannot even be sent (gRPC strings
// are UTF-8). literal() refuses such values with UnmatchableValueError
// rather than answer wrongly; a lookup that must find them anyway (an
// interaction id is whatever a connector sent) narrows by the longest prefix
// that can be matched (prefixFor) and compares the rows itself.
// test/integration/visibility-query.test.ts fuzzes this on a real server.

/** A visibility query: only vq, and, or build one, so its text holds no unescaped value. */
export class VisibilityQuery {
  /** @internal use vq / and / or */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type QueryValue = string | number | boolean | Date;

/** A value that visibility cannot compare exactly (see the header). */
export class UnmatchableValueError extends Error {
  override readonly name = 'UnmatchableValueError';
  constructor(readonly value: string) {
    super('the value holds a character Temporal visibility cannot match (backslash, double quote, control character or lone surrogate)');
  }
}

/**
 * Characters a visibility store loses anywhere in a value: the ones the SQL
 * stores re-escape (\0 \b \t \n \r " \\), the other control characters
 * for good measure, and lone surrogates (not UTF-8). With the u flag a
 * surrogate pair is one code point, so only a lone surrogate falls in that
 * range. A quote is lost only at either end of the value.
 */
// eslint-disable-next-line no-control-regex
const UNMATCHABLE = /[\u0000-\u001f\u007f"\\\uD800-\uDFFF]/u;

/** Whether `value` can be compared exactly in a visibility query. */
export function canMatch(value: string): boolean {
  return !UNMATCHABLE.test(value) && !value.startsWith("'") && !value.endsWith("'");
}

/** The longest prefix of `value` that can be compared exactly (for STARTS_WITH); '' when none can. */
export function prefixFor(value: string): string {
  const m = UNMATCHABLE.exec(value);
  const head = m ? value.slice(0, m.index) : value;
  return head.startsWith("'") ? '' : head.replace(/'+$/u, '');
}

// Visibility's datetime values are RFC 3339 with a four-digit year.
const MIN_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** One value as the query's text: a quoted string, a number, true / false, or a quoted RFC 3339 instant. */
export function literal(value: QueryValue): string {
  if (typeof value === 'string') {
    if (!canMatch(value)) throw new UnmatchableValueError(value);
    return `'${value.replace(/[\\']/gu, (c) => `\\${c}`)}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // Whole numbers only: String() of others may take an exponent form the parser does not read.
    if (!Number.isSafeInteger(value)) throw new RangeError(`a visibility query holds whole numbers only; got ${value}`);
    return String(value);
  }
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new RangeError('a visibility query cannot hold an invalid date');
  // An instant outside the years visibility can parse means "before / after everything".
  return `'${new Date(Math.min(MAX_TIME, Math.max(MIN_TIME, ms))).toISOString()}'`;
}

type Part = QueryValue | readonly QueryValue[] | VisibilityQuery;

/**
 * A query from a template: the template's text is the query's own words,
 * each `${value}` a literal (a list becomes `(a, b)` for IN, a
 * VisibilityQuery is embedded in parentheses).
 *
 *     vq`WorkflowId = ${id} AND ExecutionStatus != 'ContinuedAsNew'`
 */
export function vq(strings: TemplateStringsArray, ...values: Part[]): VisibilityQuery {
  let text = strings[0] ?? '';
  values.forEach((v, i) => {
    text += render(v) + (strings[i + 1] ?? '');
  });
  return new VisibilityQuery(text);
}

function render(v: Part): string {
  if (v instanceof VisibilityQuery) return `(${v.text})`;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new RangeError('an IN list needs at least one value');
    return `(${v.map((x) => literal(x)).join(', ')})`;
  }
  return literal(v as QueryValue);
}

/** The clauses that are given, joined with AND (each in parentheses). */
export function and(...clauses: Array<VisibilityQuery | null | undefined | false>): VisibilityQuery {
  return join('AND', clauses);
}

/** The clauses that are given, joined with OR (each in parentheses). */
export function or(...clauses: Array<VisibilityQuery | null | undefined | false>): VisibilityQuery {
  return join('OR', clauses);
}

function join(op: 'AND' | 'OR', clauses: Array<VisibilityQuery | null | undefined | false>): VisibilityQuery {
  const given = clauses.filter((c): c is VisibilityQuery => c instanceof VisibilityQuery);
  if (given.length === 0) throw new RangeError(`${op} of no clauses`);
  return new VisibilityQuery(given.length === 1 ? given[0]!.text : given.map((c) => `(${c.text})`).join(` ${op} `));
}
