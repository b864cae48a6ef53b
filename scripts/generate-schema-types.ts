// Generates TypeScript types from the JSON Schemas, so that a type cannot
// drift from the schema it describes:
//  - src/api/types.generated.ts: every component of the OpenAPI document
//    (request bodies and responses). Route handlers receive and send these
//    types, so the compiler holds the API to its document.
//  - test/types/policy-schemas.generated.ts: the pack files' schemas. The
//    hand-written src/policy/types.ts stays the source (the generator cannot
//    say everything it says, see below); test/unit/schema-types.test.ts
//    holds it against these both ways.
// test/unit/schema-types.test.ts also fails when a committed file is not what
// this generates. Regenerate: node --import tsx scripts/generate-schema-types.ts
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import prettier from 'prettier';
import { COMPONENT_REF, componentSchemas, mapRefs } from '../src/api/components';
import { schemaSource, type SchemaName } from '../src/policy/pack/schemas';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const GENERATED = {
  api: path.join(ROOT, 'src/api/types.generated.ts'),
  policy: path.join(ROOT, 'test/types/policy-schemas.generated.ts'),
} as const;
const PACK_SCHEMAS: SchemaName[] = ['policy', 'accounts', 'teams', 'calendars', 'templates'];

type Json = Record<string, unknown>;

/** The text of each generated file, by path. */
export async function generateSchemaTypes(): Promise<Map<string, string>> {
  return new Map([
    [GENERATED.api, await format(GENERATED.api, 'schemas/api.schema.json, post and decision', await apiTypes())],
    [GENERATED.policy, await format(GENERATED.policy, 'the pack schemas', await packTypes())],
  ]);
}

/** One `ApiComponents` interface naming every component, plus a type per component. */
async function apiTypes(): Promise<string> {
  const components = componentSchemas();
  const names = Object.keys(components);
  const $defs = Object.fromEntries(
    names.map((name) => [name, { ...(mapRefs(components[name], (ref) => ref.replace(COMPONENT_REF, '#/$defs/')) as Json), title: name }]),
  );
  const root = {
    title: 'ApiComponents',
    description: 'Every schema of the OpenAPI document, by its component name.',
    type: 'object',
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, { $ref: `#/$defs/${name}` }])),
    $defs,
  };
  return compileTypes(root, 'ApiComponents');
}

async function packTypes(): Promise<string> {
  const parts: string[] = [];
  for (const name of PACK_SCHEMAS) parts.push(await compileTypes(schemaSource(name), name));
  const text = parts.join('\n');
  const exported = [...text.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]);
  const twice = exported.filter((n, i) => exported.indexOf(n) !== i);
  if (twice.length) throw new Error(`the pack schemas generate ${twice.join(', ')} twice: give one of them a distinct title`);
  return text;
}

function compileTypes(schema: Json, name: string): Promise<string> {
  return compile(forTypes(schema) as JSONSchema, name, {
    bannerComment: '',
    format: false,
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    // noUncheckedIndexedAccess (tsconfig) already adds undefined on access; here it would say JSON holds undefined.
    strictIndexSignatures: false,
    unknownAny: true,
  });
}

/**
 * The schema as json-schema-to-typescript should see it: the same
 * constraints, in forms it turns into the TypeScript one would write.
 */
function forTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forTypes);
  if (node === null || typeof node !== 'object') return node;
  const schema: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, forTypes(v)]));
  // Annotations beside a $ref would make it mint a copy of the type per use (Duration1 … Duration6).
  if (typeof schema.$ref === 'string') return { $ref: schema.$ref };
  // "Exactly one of these keys" (a step) is a union of one-key objects.
  const props = schema.properties as Json | undefined;
  if (schema.minProperties === 1 && schema.maxProperties === 1 && props && schema.additionalProperties === false) {
    const { properties: _p, minProperties: _min, maxProperties: _max, additionalProperties: _a, type: _t, ...rest } = schema;
    const oneOf = Object.entries(props).map(([k, v]) => ({
      type: 'object',
      additionalProperties: false,
      required: [k],
      properties: { [k]: v },
    }));
    return { ...rest, oneOf };
  }
  // anyOf of bare `required` lists ("an id or a handle") says which optional key is present, which an
  // interface cannot; the generator would make it an index signature that no interface fits.
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf) && anyOf.every((b) => isBareRequired(b))) {
    const { anyOf: _anyOf, ...rest } = schema;
    return rest;
  }
  return schema;
}

function isBareRequired(branch: unknown): boolean {
  return typeof branch === 'object' && branch !== null && Object.keys(branch).length === 1 && Array.isArray((branch as Json).required);
}

async function format(file: string, from: string, body: string): Promise<string> {
  const banner = [
    `// Generated from ${from} by scripts/generate-schema-types.ts: do not edit.`,
    '// Regenerate: node --import tsx scripts/generate-schema-types.ts',
    '',
  ].join('\n');
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(banner + body, { ...config, filepath: file });
}

async function main(): Promise<void> {
  for (const [file, text] of await generateSchemaTypes()) {
    await writeFile(file, text);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
