// The JSON Schemas under schemas/ are the single source of truth for every
// pack file and for the normalized post: editors use them for completion, and
// this module validates with them. One ajv instance for the process, since
// compiling schemas is the expensive part. It also turns ajv's errors into
// sentences a care lead can act on.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isObject } from '../../util/is-object';
import { pointerSegments } from './json-pointer';

export const SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));
export const SCHEMA_BASE = 'https://hearken.dev/schemas/';

export type SchemaName =
  | 'policy'
  | 'accounts'
  | 'teams'
  | 'calendars'
  | 'templates'
  | 'cases'
  | 'post'
  | 'tokens'
  | 'decision'
  | 'pause'
  | 'resume'
  | 'held-decision'
  | 'session'
  | 'presence'
  | 'agent-reply'
  | 'note'
  | 'pulse'
  | 'crisis-action'
  | 'api';

// ajv-formats is CommonJS; under ESM interop its function may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

let instance: Ajv2020 | undefined;

function ajv(): Ajv2020 {
  if (instance) return instance;
  // verbose: errors carry their schema and data, which the messages need
  // (property names for "did you mean", patternErrorMessage, the bad value).
  // strictRequired off: `anyOf: [{required: [template]}, …]` names properties
  // declared by the enclosing schema, which is the idiomatic way to say "one of".
  const created = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(created);
  // Editors (yaml-language-server) show this instead of the raw regex; so do we.
  created.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  for (const file of readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    created.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object);
  }
  instance = created;
  return created;
}

const validators = new Map<SchemaName, ValidateFunction>();

/** The compiled validator of `schemas/<name>.schema.json`. */
export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    validate = ajv().getSchema(`${SCHEMA_BASE}${name}.schema.json`);
    if (!validate) throw new Error(`no schema ${name}.schema.json in ${SCHEMA_DIR}`);
    validators.set(name, validate);
  }
  return validate;
}

/**
 * A copy of the schema object the validator of `name` was compiled from, for
 * documents that embed it (the OpenAPI document): what they show is what
 * validates.
 */
export function schemaSource(name: SchemaName): Record<string, unknown> {
  return structuredClone(validatorFor(name).schema) as Record<string, unknown>;
}

/** Validates `data`; the errors come back collapsed (one per problem), ready for describeAjvError. */
export function validateSchema(name: SchemaName, data: unknown): ErrorObject[] {
  const validate = validatorFor(name);
  return validate(data) ? [] : collapseAjvErrors(validate.errors ?? []);
}

/** For the API and CLI: one sentence per problem, each naming its field. */
export function schemaMessages(name: SchemaName, data: unknown): string[] {
  return validateSchema(name, data).map(describeAjvError);
}

// ---------------------------------------------------------------------------
// Collapsing anyOf noise. ajv reports every failed branch of an anyOf, then
// the anyOf itself; the branch errors come as one contiguous run just before
// it (schemaPath cannot group them: across a $ref it restarts at `#`). We keep
// what the author most likely meant: errors inside the value (it had the
// right shape but wrong content), else the complaint of the branch whose type
// fit (an enum), else one "must be A, B or C" sentence.

const SHAPE_KEYWORDS = new Set(['type', 'enum', 'const', 'pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum']);

/** One error per problem: anyOf/oneOf branches collapsed, propertyNames wrappers dropped, duplicates removed. */
export function collapseAjvErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const err of errors) {
    if (err.keyword === 'propertyNames') continue; // the inner error names the key already
    if (err.keyword !== 'anyOf' && err.keyword !== 'oneOf') {
      out.push(err);
      continue;
    }
    let start = out.length;
    while (start > 0 && within(out[start - 1]!.instancePath, err.instancePath)) start--;
    const block = out.splice(start);
    out.push(...chooseFromBlock(err, block));
  }
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}\u0000${describeAjvError(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function within(p: string, ancestor: string): boolean {
  return p === ancestor || p.startsWith(`${ancestor}/`);
}

/** Inside the value: deeper than the anyOf, or about the object's own keys. */
function isInner(e: ErrorObject, at: string): boolean {
  return e.instancePath !== at || !SHAPE_KEYWORDS.has(e.keyword);
}

function chooseFromBlock(combinator: ErrorObject, block: ErrorObject[]): ErrorObject[] {
  const at = combinator.instancePath;
  if (combinator.keyword === 'oneOf' && combinator.params.passingSchemas) return [combinator];
  const inner = block.filter((e) => isInner(e, at));
  if (inner.length > 0) {
    // "needs an id or a handle": every branch asked for a different property.
    if (inner.every((e) => e.keyword === 'required' && e.instancePath === at) && inner.length > 1) {
      const names = inner.map((e) => String(e.params.missingProperty));
      return [{ ...inner[0]!, params: { missingProperty: names[0], anyOfProperties: names } }];
    }
    return inner;
  }
  const typeFit = block.filter((e) => e.keyword !== 'type');
  if (typeFit.length > 0) return typeFit;
  const types = block.flatMap((e) => [e.params.type as string | string[]].flat());
  return [{ ...combinator, params: { types } }];
}

// ---------------------------------------------------------------------------
// Sentences.

/** `/steps/1/escalate/decideWithin` (or an error at it) → `steps[1].escalate.decideWithin` */
export function instancePathLabel(at: string | Pick<ErrorObject, 'instancePath'>): string {
  return pointerSegments(typeof at === 'string' ? at : at.instancePath)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true/false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'empty',
};

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'a date and time in ISO 8601 with offset, like 2026-11-28T23:10:00+01:00',
  date: 'a date like 2026-12-24',
  uri: 'an absolute URL',
};

/** One ajv error (ideally from collapseAjvErrors) as a sentence naming its field. */
export function describeAjvError(err: ErrorObject): string {
  const label = instancePathLabel(err.instancePath);
  const subject = label || 'the file';
  const at = (text: string): string => (label ? `${label}: ${text}` : text);
  // writeOnly marks credentials (accounts.yaml): a wrong value is never echoed.
  const got = (err.parentSchema as { writeOnly?: boolean } | undefined)?.writeOnly ? '' : `, got ${showValue(err.data)}`;
  const p = err.params as Record<string, unknown>;
  // propertyNames failures: ajv names the offending key on the error itself.
  const keyNote = err.propertyName !== undefined ? `key "${err.propertyName}" ` : '';
  const keySubject = keyNote ? at(keyNote.trimEnd()) : subject;

  switch (err.keyword) {
    case 'type':
      return `${subject} must be ${joinOr([p.type as string | string[]].flat().map(typeName))}${got}`;
    case 'anyOf':
    case 'oneOf': {
      const types = [...new Set((p.types as string[] | undefined) ?? [])];
      return types.length > 0
        ? `${subject} must be ${joinOr(types.map(typeName))}${got}`
        : `${subject} does not match any of the allowed forms${got}`;
    }
    case 'required': {
      const names = (p.anyOfProperties as string[] | undefined) ?? [String(p.missingProperty)];
      return at(`missing required property ${joinOr(names.map((n) => `"${n}"`))}`);
    }
    case 'additionalProperties':
      return at(unknownProperty(String(p.additionalProperty), knownProperties(err)));
    case 'enum':
    case 'const': {
      const allowed = (err.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue]) ?? [];
      const list = allowed.length === 1 ? showValue(allowed[0]) : `one of ${allowed.map(String).join(', ')}`;
      return `${subject} must be ${list}${got}${suggestion(err.data, allowed)}`;
    }
    case 'pattern': {
      const hint = (err.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
      return `${keySubject} ${hint ?? `must match the pattern /${String(p.pattern)}/`}${keyNote ? '' : got}`;
    }
    case 'format':
      return `${subject} must be ${FORMAT_NAMES[String(p.format)] ?? `a valid ${String(p.format)}`}${got}`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', exclusiveMinimum: 'more than', maximum: 'at most', exclusiveMaximum: 'less than' };
      return `${subject} must be ${words[err.keyword]} ${String(p.limit)}${got}`;
    }
    case 'minLength':
      return p.limit === 1 ? `${keySubject} must not be empty` : `${keySubject} must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `${keySubject} must be at most ${String(p.limit)} characters long (it has ${lengthOf(err.data)})`;
    case 'minItems':
      return p.limit === 1 ? `${subject} must list at least one item` : `${subject} must list at least ${String(p.limit)} items`;
    case 'maxItems':
      return `${subject} must list at most ${String(p.limit)} items`;
    case 'minProperties':
    case 'maxProperties':
      return (
        exactlyOne(err) ?? `${subject} must have ${err.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} entries`
      );
    case 'uniqueItems':
      return `${subject} lists the same item twice (items ${String(p.j)} and ${String(p.i)})`;
    default:
      return at(err.message ?? 'is invalid');
  }
}

/** A step-like mapping (min = max = 1 property) missing or doubling its one key. */
function exactlyOne(err: ErrorObject): string | null {
  const schema = err.parentSchema as { minProperties?: number; maxProperties?: number } | undefined;
  const names = knownProperties(err);
  if (schema?.minProperties !== 1 || schema.maxProperties !== 1 || names.length === 0) return null;
  const label = instancePathLabel(err.instancePath);
  const found = isObject(err.data) ? Object.keys(err.data) : [];
  const tail = found.length > 1 ? `, found ${found.map((k) => `"${k}"`).join(' and ')}` : '';
  return `${label ? `${label}: ` : ''}expected exactly one of ${names.join(', ')}${tail}`;
}

function unknownProperty(name: string, known: string[]): string {
  const close = closest(name, known);
  if (close) return `unknown property "${name}" (did you mean "${close}"?)`;
  if (known.length > 0 && known.length <= 12) return `unknown property "${name}"; expected one of ${known.join(', ')}`;
  return `unknown property "${name}"`;
}

function knownProperties(err: ErrorObject): string[] {
  const props = (err.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function suggestion(value: unknown, allowed: unknown[]): string {
  if (typeof value !== 'string') return '';
  const close = closest(
    value,
    allowed.filter((a): a is string => typeof a === 'string'),
  );
  return close ? ` (did you mean "${close}"?)` : '';
}

/** The candidate within a small edit distance (typos, case), if any. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= bestDistance && c !== word) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours: "prority", "intnet"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function typeName(t: string): string {
  return TYPE_NAMES[t] ?? t;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

/** The offending value, short: care leads need to recognise it, not read a dump. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}
