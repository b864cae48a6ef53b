// The one CSV reader of the repository's tooling: the benchmark's post mix
// (bench/lib/posts.ts) and the triage evaluation (scripts/eval-triage.ts)
// both read the shared data sets through it, so a quirk of the files is
// handled, and decided, once, by a maintained parser instead of a hand loop.
//
// It replaces two hand-written RFC 4180 loops that disagreed on:
// - a quote inside an unquoted field: the bench's opened a quoted section
//   (`b"c,d"e` → one field `bc,de`), the evaluation's kept it as a literal
//   character; `relax_quotes` keeps it, as the evaluation did;
// - line ends: the bench's ended rows only at \n and dropped every \r outside
//   quotes (a lone \r joined two rows), the evaluation's ended rows at \r\n,
//   \n or a lone \r; the `record_delimiter` list below does the latter, also
//   in a file that mixes them (csv-parse alone would settle on the first);
// - blank lines: the bench's returned them as rows of one empty field, the
//   evaluation's skipped them, as `skip_empty_lines` does.
// Neither did anything about a quote left open at the end of the file; the
// parser throws there, which is better than a silently swallowed tail.
// None of these differences occurs in ../shared/data today: both old loops
// and this module give identical rows for every CSV file there.
import { parse } from 'csv-parse/sync';

/**
 * Every row as its fields, the header line included. Rows may differ in
 * length: a short row reads as missing fields, as it did before.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, {
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n', '\r'],
  }) as string[][];
}

/** Rows after the header line, each keyed by the header's column names; a missing field reads as ''. */
export function parseCsvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
