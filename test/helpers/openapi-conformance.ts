// Does a response match the OpenAPI document? For tests that drive the API
// over HTTP: the compiler holds the handlers to the generated types, and this
// holds what actually went over the wire (dates, nulls, formats, problem
// answers from middleware) to the document.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../src/api/openapi';

type Json = Record<string, unknown>;

const OPENAPI_ID = 'https://hearken.dev/openapi.json';

// ajv-formats is CommonJS; under ESM interop its function may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;
let docAjv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    if (!docAjv) {
      // Separate from the process's instance: the document is not a JSON
      // Schema, so strict mode (unknown keywords) cannot apply to it.
      docAjv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(docAjv);
      docAjv.addSchema(structuredClone(openApiDocument()), OPENAPI_ID);
    }
    validate = docAjv.getSchema(`${OPENAPI_ID}#${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    validators.set(pointer, validate);
  }
  return validate;
}

const escapeSegment = (s: string): string => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * Checks `body` against the schema the document gives for `method path`
 * answering `status` (path: a template like /v1/interactions/{id} or a
 * concrete one). Returns the problems; empty means it conforms.
 */
export function conformsToOpenApi(method: string, requestPath: string, status: number, body: unknown, contentType?: string): string[] {
  const doc = openApiDocument() as unknown as {
    paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
    components: { responses: Record<string, Json> };
  };
  const template = matchPath(Object.keys(doc.paths), requestPath.split('?')[0] ?? requestPath);
  const op = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
  if (!template || !op?.responses) return [`the document has no operation ${method.toUpperCase()} ${requestPath}`];
  const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responses![k] !== undefined);
  if (!statusKey) return [`${method.toUpperCase()} ${template} has no response ${status} in the document`];
  let pointer = `/paths/${escapeSegment(template)}/${method.toLowerCase()}/responses/${statusKey}`;
  let response = op.responses[statusKey]!;
  const responseRef = response.$ref;
  if (typeof responseRef === 'string') {
    const name = responseRef.replace('#/components/responses/', '');
    response = doc.components.responses[name] ?? {};
    pointer = `/components/responses/${escapeSegment(name)}`;
  }
  const content = (response.content ?? {}) as Record<string, { schema?: Json }>;
  const types = Object.keys(content);
  if (types.length === 0) return body === undefined || body === null || body === '' ? [] : [`${status} has no body in the document`];
  const wanted = contentType?.split(';')[0]?.trim().toLowerCase();
  const type = wanted ?? (types.includes('application/json') ? 'application/json' : types[0]!);
  if (!content[type]) return [`${status} is not ${type} in the document (it is ${types.join(', ')})`];
  if (type.startsWith('text/')) return typeof body === 'string' ? [] : [`${status} ${type} must be text`];
  const validate = validatorAt(`${pointer}/content/${escapeSegment(type)}/schema`);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : ''}`,
  );
}

function matchPath(templates: string[], concrete: string): string | undefined {
  if (templates.includes(concrete)) return concrete;
  return templates.find((t) => {
    if (!t.includes('{')) return false;
    const pattern = t
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${pattern}$`).test(concrete);
  });
}
