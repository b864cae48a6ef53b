import { HttpProblem } from '../http/problem';

// <channel>:<threadId>; no whitespace or slashes, bounded length.
const ID_PATTERN = /^[^\s/]{1,400}$/u;

export function checkInteractionId(id: string | undefined): string {
  // Control characters and lone surrogates never occur in ids we create.
  // eslint-disable-next-line no-control-regex
  if (!id || !ID_PATTERN.test(id) || /[\u0000-\u001f\u007f]/u.test(id) || /[\ud800-\udfff]/u.test(id)) {
    throw new HttpProblem(400, 'Invalid interaction id', 'an interaction id is <channel>:<threadId>', [
      { field: 'id', message: 'malformed interaction id' },
    ]);
  }
  return id;
}
