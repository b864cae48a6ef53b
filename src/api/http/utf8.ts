// Request bodies are UTF-8, strictly. The body parser would decode invalid
// bytes to U+FFFD, so two different raw post ids could become one post (and
// one of them silently not taken): refuse them instead. JSON between systems
// is UTF-8 (RFC 8259 §8.1), so other Unicode charsets are refused too.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from './problem';

/** The body parser's `verify` hook: runs on the raw bytes before they are decoded. */
export function strictUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8')
    throw new HttpProblem(415, 'Unsupported charset', `request bodies are JSON in UTF-8; got charset ${encoding}`);
  if (!isUtf8(body)) throw new HttpProblem(400, 'Invalid UTF-8', 'the request body is not valid UTF-8');
}
