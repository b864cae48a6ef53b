// JSON pointers (RFC 6901) are how ajv names a place in a document, and how
// yaml-positions finds its line and column: the pack loader and the tokens
// file build them from keys, the error sentences read them back. Escaping
// and unescaping live together so the two directions cannot drift apart.

/** A key as one pointer segment: `~` → `~0`, `/` → `~1` (in that order). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A pointer → its unescaped segments (`~1` → `/` first, then `~0` → `~`). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
