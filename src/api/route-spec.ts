// What an entry of the route table (route-table.ts) says about a route: all
// that the express mount (http/mount.ts) and the OpenAPI document
// (openapi.ts) need, so that neither restates the other. Schemas are named,
// never written here: request bodies by their file in schemas/, responses by
// their component (a $defs entry of schemas/api.schema.json).
import type { SchemaName } from '../policy/pack/schemas';
import type { Access } from './auth/access';
import type { ApiComponents } from './types.generated';

/** Schema files that are request bodies, and their component names in the document. */
export const REQUEST_SCHEMAS = {
  post: 'Post',
  decision: 'Decision',
  pause: 'PauseRequest',
  resume: 'ResumeRequest',
  'held-decision': 'HeldDecision',
  session: 'SessionRequest',
  presence: 'PresenceRequest',
  'agent-reply': 'AgentReplyRequest',
  note: 'NoteRequest',
  'crisis-action': 'CrisisAction',
} as const satisfies Partial<Record<SchemaName, keyof ApiComponents>>;
export type RequestSchema = keyof typeof REQUEST_SCHEMAS;
export type ComponentName = keyof ApiComponents;

/** A JSON Schema fragment, as the document shows it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ParamSpec {
  description: string;
  schema: JsonSchema;
}

export type ResponseSpec =
  | { description: string; json: ComponentName; ndjson?: ComponentName }
  | { description: string; text: 'text/plain' | 'text/event-stream' }
  | { description: string; empty: true };

/** The problem+json answers a route may give, each documented once. */
export const PROBLEMS = {
  BadRequest: { status: 400, description: 'Malformed request: bad JSON, a wrong field (each named in errors), a malformed id.' },
  Unauthorized: {
    status: 401,
    description:
      'No bearer token (nor session cookie), or one that is unknown, malformed or expired; a session whose token was revoked or that expired.',
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="hearken".', schema: { type: 'string' } } },
  },
  BadSignature: {
    status: 401,
    description:
      'The webhook signature did not verify: a header missing, no signature made with a secret of the source, or a timestamp more than 5 minutes off.',
  },
  Forbidden: {
    status: 403,
    description:
      "CSRF protection (reason: csrf): a POST or DELETE authenticated by the session cookie without its X-CSRF-Token, or from another site. A token of the wrong kind (an ingest token on a read or decision route, a person's token on capture), a viewer deciding, another team's escalation, or reassigning, pausing, resuming, releasing or discarding without the lead role.",
  },
  NotFound: { status: 404, description: 'No such interaction.' },
  Conflict: {
    status: 409,
    description:
      'Nothing is pending (or paused, or held), or it was decided (or moved) meanwhile: then decidedBy, decision and decidedAt say who decided what, when. Replying to a closed interaction.',
  },
  PayloadTooLarge: { status: 413, description: 'The body is over 64 KB.' },
  UnsupportedMediaType: { status: 415, description: 'A charset or content encoding the API does not read.' },
  UnprocessableContent: { status: 422, description: 'A well-formed request the API cannot act on; each field named in errors.' },
  TooManyRequests: {
    status: 429,
    description: 'Rate limited: too many requests, or too many failed authentications from this client.',
    headers: {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
      RateLimit: { description: 'Remaining quota (IETF RateLimit header fields, draft 8).', schema: { type: 'string' } },
      'RateLimit-Policy': { description: 'The quota policy.', schema: { type: 'string' } },
    },
  },
  Unavailable: {
    status: 503,
    description:
      "Temporal did not answer within the request's deadline: unreachable, frozen or overloaded, or no worker took the work " +
      "(GET /healthz: the body's checks say which part is missing). Retry after Retry-After seconds. A capture answered " +
      'so was not acknowledged: it may still have been taken, and its retry then answers 200 with duplicate: true.',
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
  },
} as const satisfies Record<string, { status: number; description: string; headers?: Record<string, ParamSpec> }>;
export type ProblemName = keyof typeof PROBLEMS;

/** The answers of the gate in front of a route, by its `auth`. */
export const AUTH_PROBLEMS: Record<Access, readonly ProblemName[]> = {
  none: [],
  read: ['Unauthorized', 'Forbidden', 'TooManyRequests'],
  decide: ['Unauthorized', 'Forbidden', 'TooManyRequests'],
  ingest: ['Unauthorized', 'Forbidden', 'TooManyRequests'],
};

/** The security scheme of the document each `auth` requires (none: open). */
export const AUTH_SCHEMES: Record<Access, 'person' | 'ingest' | null> = { none: null, read: 'person', decide: 'person', ingest: 'ingest' };

export interface RouteSpec {
  method: 'get' | 'post' | 'delete';
  /** An OpenAPI path template, like /v1/interactions/{id}; each {name} is declared in PATH_PARAMS. */
  path: string;
  summary: string;
  /**
   * Who may call it (auth/access.ts): none (open), read (a person's token),
   * decide (a person's token that decides), ingest (a connector's token).
   * The mount puts the gate in front of the handler; the document shows the
   * security scheme and the 401/403/429 answers it implies.
   */
  auth: Access;
  /** A per-user limit, after authentication (the capture limit sits in front of body parsing, in app.ts). */
  rateLimit?: 'decision';
  query?: Readonly<Record<string, ParamSpec>>;
  headers?: Readonly<Record<string, ParamSpec & { schema: { type: 'string' } }>>;
  /** The body is validated with this schema; a body it refuses is answered with invalidStatus. */
  body?: { schema: RequestSchema; invalidStatus: 400 | 422 };
  responses: Readonly<Partial<Record<200 | 201 | 202 | 204, ResponseSpec>>>;
  problems: readonly ProblemName[];
}
