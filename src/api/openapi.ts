// The OpenAPI 3.1 document of the HTTP API, served at GET /openapi.json. It
// is derived, not written: operations from the route table, schemas from
// schemas/ (request bodies are the files the API validates with, responses
// the $defs of schemas/api.schema.json). Nothing here names a route or a
// field, so the document cannot drift from what is served.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../policy/pack/schemas';
import { COMPONENT_REF, componentSchemas } from './components';
import {
  AUTH_PROBLEMS,
  AUTH_SCHEMES,
  PROBLEMS,
  REQUEST_SCHEMAS,
  type JsonSchema,
  type ProblemName,
  type ResponseSpec,
  type RouteSpec,
} from './route-spec';
import { PATH_PARAMS, ROUTES } from './route-table';
import type { OpenApiDocument } from './types.generated';

type Json = Record<string, unknown>;

const ref = (component: string): Json => ({ $ref: COMPONENT_REF + component });
const problemRef = (name: ProblemName): Json => ({ $ref: `#/components/responses/${name}` });

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document (built once; frozen). */
export function openApiDocument(): OpenApiDocument {
  cached ??= deepFreeze({
    openapi: '3.1.0',
    info: {
      title: 'Hearken API',
      version: packageVersion(),
      description: 'Capture posts, follow interactions and decide escalations. Errors are RFC 9457 application/problem+json.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths: paths(),
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.entries(PROBLEMS).map(([name, p]) => [name, problemResponse(p)])),
      securitySchemes: {
        person: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A person's token (hearken token add <name> --role viewer|agent|lead|admin): reads customer data; agent, lead and admin also decide their teams' escalations. The tokens file (HEARKEN_TOKENS_FILE) stores only its sha256; an expired token gets 401.",
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'hearken_session',
          description:
            "The care desk's session (POST /v1/session with a person's token): the same roles as that token. POST and DELETE requests with it also send X-CSRF-Token (the csrfToken of the session).",
        },
        ingest: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A connector's ingest token (hearken token add <name> --role ingest): captures posts and nothing else. While the API listens only on loopback and no ingest token exists, capture takes no token (the local quick start).",
        },
      },
    },
  });
  return cached;
}

function paths(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [operationId, route] of Object.entries(ROUTES) as Array<[string, RouteSpec]>) {
    const item = (out[route.path] ??= {});
    if (item[route.method]) throw new Error(`the route table has ${route.method.toUpperCase()} ${route.path} twice`);
    item[route.method] = operation(operationId, route);
  }
  return out;
}

function operation(operationId: string, route: RouteSpec): Json {
  const parameters = [
    ...pathParamNames(route.path).map((name) => ({ name, in: 'path', required: true, ...pathParam(name) })),
    ...Object.entries(route.query ?? {}).map(([name, p]) => ({ name, in: 'query', required: false, ...p })),
    ...Object.entries(route.headers ?? {}).map(([name, p]) => ({ name, in: 'header', required: false, ...p })),
  ];
  const responses: Json = {};
  for (const [status, response] of Object.entries(route.responses)) responses[status] = successResponse(response);
  for (const name of new Set([...route.problems, ...AUTH_PROBLEMS[route.auth]]))
    responses[String(PROBLEMS[name].status)] = problemRef(name);
  const scheme = AUTH_SCHEMES[route.auth];
  return {
    operationId,
    summary: route.summary,
    // An empty list: open, whatever a document-wide default might say.
    // A person's routes take their bearer token or the care desk's session cookie.
    security: scheme === 'person' ? [{ person: [] }, { session: [] }] : scheme ? [{ [scheme]: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(REQUEST_SCHEMAS[route.body.schema]) } } } }
      : {}),
    responses,
  };
}

export function pathParamNames(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function pathParam(name: string): { description: string; schema: JsonSchema } {
  const param = (PATH_PARAMS as Record<string, { description: string; schema: JsonSchema }>)[name];
  if (!param) throw new Error(`path parameter {${name}} is not described in PATH_PARAMS (src/api/route-table.ts)`);
  return param;
}

function successResponse(response: ResponseSpec): Json {
  if ('empty' in response) return { description: response.description };
  if ('text' in response) return { description: response.description, content: { [response.text]: { schema: { type: 'string' } } } };
  return {
    description: response.description,
    content: {
      'application/json': { schema: ref(response.json) },
      ...(response.ndjson ? { 'application/x-ndjson': { schema: ref(response.ndjson) } } : {}),
    },
  };
}

function problemResponse(p: { description: string; headers?: Json }): Json {
  return {
    description: p.description,
    content: { 'application/problem+json': { schema: ref('Problem') } },
    ...(p.headers ? { headers: p.headers } : {}),
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(SCHEMA_DIR, '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
