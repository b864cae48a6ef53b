// The schemas of the OpenAPI document's components: the request bodies (the
// very schema files the API validates with) and the responses (the $defs of
// schemas/api.schema.json), their $refs pointed at the components. The
// document serves these, and src/api/types.generated.ts is generated from
// them, so the handlers' types, the validation and the document agree.
import { schemaSource } from '../policy/pack/schemas';
import { REQUEST_SCHEMAS, type JsonSchema, type RequestSchema } from './route-spec';

export const COMPONENT_REF = '#/components/schemas/';

export function componentSchemas(): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const byFile = new Map<string, string>();
  for (const [file, component] of Object.entries(REQUEST_SCHEMAS) as Array<[RequestSchema, string]>) {
    schemas[component] = embedded(file);
    byFile.set(`${file}.schema.json`, component);
  }
  const pointTo = (ref: string): string => {
    if (ref.startsWith('#/$defs/')) return COMPONENT_REF + ref.slice('#/$defs/'.length);
    const [file = '', pointer = ''] = ref.split('#');
    const component = byFile.get(file);
    if (!component) throw new Error(`schemas/api.schema.json refers to ${ref}, which is not a component of the document`);
    return COMPONENT_REF + component + pointer;
  };
  const defs = (schemaSource('api').$defs ?? {}) as Record<string, JsonSchema>;
  for (const [name, schema] of Object.entries(defs)) {
    if (schemas[name]) throw new Error(`component ${name} is both a request body and a $defs entry of schemas/api.schema.json`);
    schemas[name] = mapRefs(schema, pointTo) as JsonSchema;
  }
  return schemas;
}

/** A request schema as a component: `$id` and `$schema` belong to the file, not to the embedded copy. */
function embedded(file: RequestSchema): JsonSchema {
  const { $id: _id, $schema: _schema, ...rest } = schemaSource(file);
  // Its own #/$defs refs would point into the document root once embedded.
  if (rest.$defs) throw new Error(`schemas/${file}.schema.json has $defs: move them to schemas/api.schema.json to embed it`);
  return rest;
}

/** A deep copy of `node` with every `$ref` passed through `to`. */
export function mapRefs(node: unknown, to: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, to));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? to(v) : mapRefs(v, to)]));
}
