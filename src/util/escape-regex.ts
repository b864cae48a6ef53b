// Literal text inside a generated regular expression: the policy engine's
// `contains` words, triage's brand names and listening terms, the bench's
// brand handles. One definition, so every caller escapes the same set.
// (Not in src/shared: no workflow code builds regexes. RegExp.escape arrives
// with Node 24; this is its effect for the syntax characters.)

/**
 * Escapes the regex syntax characters and `/`, and nothing else: with the
 * `u` flag, escaping any other character (`\-`, `\_`) is a syntax error.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
