// What the CLI commands share: the pack folder, reading posts (one JSON
// file, or JSONL streamed line by line) and writing to stdout with
// backpressure. User mistakes become CliError (errors.ts), printed as a
// message without a stack trace.
import { once } from 'node:events';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DateTime } from 'luxon';
import type { Post } from '../shared/post';
import { formatPackError, loadPack, type PackError } from '../policy/pack/load-pack';
import { describeAjvError, validateSchema } from '../policy/pack/schemas';
import { compilePolicies, type CompiledPolicy } from '../policy/engine/select';
import type { TriageSettings } from '../policy/engine/assess';
import type { PolicyPack } from '../policy/types';
import { CliError, EXIT } from './errors';
import { cliSettings } from './settings';

export { CliError, EXIT } from './errors';

/** `--policies` / `[dir]`, else HEARKEN_POLICIES_DIR, else ./policies. */
export function policiesDir(explicit: string | undefined): string {
  return explicit !== undefined ? path.resolve(explicit) : cliSettings(['policiesDir']).policiesDir;
}

/** Relative to the working directory when below it, like the pack loader's file names. */
export function displayPath(full: string): string {
  const rel = path.relative(process.cwd(), full);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
}

export interface OpenedPack {
  pack: PolicyPack;
  compiled: CompiledPolicy[];
  warnings: PackError[];
  /** What assess() takes from the environment ($HEARKEN_REACH_THRESHOLDS), as the worker gets it. */
  triage: TriageSettings;
}

/** Loads and compiles the pack; a pack with errors becomes a CliError listing them. */
export async function openPack(dir: string): Promise<OpenedPack> {
  // A bad setting is named before any pack error: it is the first thing to fix.
  const triage = cliSettings(['reachThresholds']);
  const result = await loadPack(dir);
  if (!result.ok) {
    throw new CliError(
      `policy pack ${displayPath(dir)} does not load (${plural(result.errors.length, 'error')}; run hearken policy check)`,
      EXIT.failed,
      result.errors.map(formatPackError),
    );
  }
  return { pack: result.pack, compiled: compilePolicies(result.pack.policies), warnings: result.warnings, triage };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------
// Posts

/** The post's problems, one sentence each naming its field; empty when it is a valid normalized post. */
export function postProblems(data: unknown): string[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['expected a JSON object (a normalized post)'];
  return validateSchema('post', data).map(describeAjvError);
}

/** Where a JSON text is broken; `line`/`col` when the parser says (Node gives a character offset for most errors). */
export interface JsonProblem {
  ok: false;
  line: number | null;
  col: number | null;
  message: string;
}

/** `JSON.parse` that reports instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | JsonProblem {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const raw = (err as Error).message;
    const at = /\s+(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(raw);
    const message = `not valid JSON: ${(at ? raw.slice(0, at.index) : raw).replace(/ in JSON$/, '')}`;
    if (!at) return { ok: false, line: null, col: null, message };
    const before = text.slice(0, Number(at[1])).split('\n');
    return { ok: false, line: before.length, col: (before.at(-1)?.length ?? 0) + 1, message };
  }
}

/** `file:3:14: message`, or `file: message` when the position is unknown. */
export function formatJsonProblem(file: string, p: JsonProblem): string {
  return p.line === null ? `${file}: ${p.message}` : `${file}:${p.line}:${p.col}: ${p.message}`;
}

/** Reads a whole file, or stdin for `-`; a missing file is a CliError. */
export async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: ${fileProblem(err)}`);
  }
}

function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}

/** An instant with an explicit offset (`Z` or `+01:00`): a bare local time would depend on this machine's zone. */
export function parseInstant(text: string, what: string): string {
  const dt = DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid || !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text.trim())) {
    throw new CliError(`${what} must be an ISO 8601 instant with an offset, like 2026-11-27T19:30:00+01:00; got "${text}"`, EXIT.usage);
  }
  return text.trim();
}

/** One JSONL line: a valid post, or why not. Blank lines are not posts and yield nothing. */
export type JsonlItem = { line: number; post: Post } | { line: number; error: string };

/** Streams `file` (or stdin when absent or `-`) line by line, so files of any size fit in memory. */
export async function* readJsonlPosts(file: string | undefined): AsyncGenerator<JsonlItem> {
  const input = file === undefined || file === '-' ? process.stdin : await openStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    const parsed = parseJson(text);
    if (!parsed.ok) {
      yield { line: n, error: parsed.col === null ? parsed.message : `${parsed.message} (column ${parsed.col})` };
      continue;
    }
    const problems = postProblems(parsed.value);
    if (problems.length > 0) yield { line: n, error: problems.join('; ') };
    else yield { line: n, post: parsed.value as Post };
  }
}

async function openStream(file: string): Promise<NodeJS.ReadableStream> {
  try {
    if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    const handle = await open(file, 'r');
    return handle.createReadStream({ encoding: 'utf8' });
  } catch (err) {
    throw new CliError(`${file}: ${fileProblem(err)}`);
  }
}

// ---------------------------------------------------------------------------
// Output

/** Writes one line to stdout, waiting when the pipe is full (a large JSONL into a slow reader). */
export async function writeLine(text: string): Promise<void> {
  if (!process.stdout.write(`${text}\n`)) await once(process.stdout, 'drain');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** An ISO instant shown in `zone` (an IANA name or a fixed offset like UTC+1), seconds precision. */
export function inZone(iso: string, zone: string): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return (dt.isValid ? dt : DateTime.fromISO(iso, { zone: 'utc' })).toISO({ suppressMilliseconds: true }) ?? iso;
}

/** The zone an ISO string was written in (`+01:00` → UTC+1), to show other instants the same way. */
export function zoneOfIso(iso: string): string {
  const dt = DateTime.fromISO(iso, { setZone: true });
  return dt.isValid ? dt.zone.name : 'UTC';
}
