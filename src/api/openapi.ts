// The OpenAPI 3.1 document of the HTTP API, served at GET /openapi.json.
// Request bodies are the JSON Schemas in schemas/ (the same files the API
// validates with), embedded rather than copied, so there is one source of
// truth. Response schemas describe what clients may rely on; they allow
// extra properties, because the contract may grow.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_DIR } from '../policy/pack/schemas';

type Json = Record<string, unknown>;

export const OPENAPI_ID = 'https://hearken.dev/openapi.json';
const STATUSES = ['triaging', 'ignored', 'responding', 'awaiting-decision', 'following-up', 'resolved', 'closed'];

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const obj = (description: string, properties: Record<string, Json>, required: string[] = []): Json => ({
  description,
  type: 'object',
  ...(required.length ? { required } : {}),
  properties,
});
const str = (description: string, extra: Json = {}): Json => ({ description, type: 'string', ...extra });
const json = (schema: Json) => ({ 'application/json': { schema } });
const ok = (description: string, schema: Json) => ({ description, content: json(schema) });
const PROBLEM_STATUS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  UnprocessableContent: 422,
  TooManyRequests: 429,
  Unavailable: 503,
} as const;
type ProblemName = keyof typeof PROBLEM_STATUS;
const problems = (...names: ProblemName[]): Json =>
  Object.fromEntries(names.map((n) => [String(PROBLEM_STATUS[n]), { $ref: `#/components/responses/${n}` }]));

/** A schema from schemas/, as a component: `$id` and `$schema` belong to the file, not the embedded copy. */
function fileSchema(name: string): Json {
  const { $id: _id, $schema: _schema, ...rest } = JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as Json;
  return rest;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(SCHEMA_DIR, '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

function components(): Json {
  const triage = obj(
    'How the post was triaged.',
    {
      language: str('Language code.'),
      addressedToUs: { description: 'Whether the post is addressed to one of our accounts.', type: 'boolean' },
      addressedReason: { description: 'Why it counts as addressed to us.', enum: ['direct', 'reply-to-us', 'mention', null] },
      relevant: { description: 'Whether the post is about us at all.', type: 'boolean' },
      intent: { description: 'What the customer wants.', enum: ['question', 'complaint', 'praise', 'idea', 'security', 'spam', 'other'] },
      sentiment: obj('Sentiment of the text.', {
        score: { description: 'From -1 (negative) to 1 (positive).', type: 'number' },
        label: { description: 'Sentiment label.', enum: ['negative', 'neutral', 'positive'] },
      }),
      reach: { description: 'How far the post may travel.', enum: ['low', 'medium', 'high'] },
      risk: { description: 'Risk flags, like legal or safety.', type: 'array', items: { type: 'string' } },
      signals: { description: 'Why: the rules that decided, as field:detail.', type: 'array', items: { type: 'string' } },
    },
    ['addressedToUs', 'intent'],
  );
  const links = (description: string, names: string[]): Json =>
    obj(description, Object.fromEntries(names.map((n) => [n, nullable(str(`Link: ${n}.`))])));
  return {
    schemas: {
      Post: fileSchema('post'),
      Decision: fileSchema('decision'),
      Problem: {
        description: 'RFC 9457 problem details; `errors` names each field at fault.',
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: str('URI of the problem type; about:blank means the status says it all.', { format: 'uri-reference' }),
          title: str('Short summary of the problem type.'),
          status: { description: 'The HTTP status code.', type: 'integer', minimum: 400, maximum: 599 },
          detail: str('What went wrong this time.'),
          instance: str('The request path.'),
          errors: {
            description: 'The fields at fault.',
            type: 'array',
            items: obj(
              'One field at fault.',
              { field: str('Path of the field, like author.id; (body) for the whole body.'), message: str('What is wrong with it.') },
              ['field', 'message'],
            ),
          },
        },
      },
      AddPostResult: {
        ...obj(
          'Where the post went.',
          {
            interactionId: str('The interaction (one per channel thread): <channel>:<threadId>.'),
            postId: str('The post id.'),
            duplicate: { description: 'True when this post had been captured before (nothing new happens).', type: 'boolean' },
          },
          ['interactionId', 'postId', 'duplicate'],
        ),
      },
      Triage: triage,
      Health: obj(
        'The API reaches Temporal.',
        {
          status: { const: 'ok', description: 'Always ok on 200.' },
          temporal: str('reachable.'),
          namespace: str('Temporal namespace.'),
          pack: str('Policy pack version id.'),
        },
        ['status'],
      ),
      InteractionState: {
        ...obj(
          'The state of an interaction, from its workflow.',
          {
            interactionId: str('<channel>:<threadId>.'),
            status: { description: 'Interaction status.', enum: STATUSES },
            triage: nullable(ref('Triage')),
            policy: nullable(
              obj(
                'The policy in force and its pack version.',
                { id: str('Policy id.'), version: str('Pack version id.'), priority: { description: 'Policy priority.', type: 'integer' } },
                ['id', 'version'],
              ),
            ),
            candidates: { description: 'Policies that matched, by priority.', type: 'array' },
            steps: {
              description: 'The plan steps run so far.',
              type: 'array',
              items: obj('A step.', { path: str('Step path.'), kind: str('Step kind.'), status: str('Step status.') }, [
                'path',
                'kind',
                'status',
              ]),
            },
            deadlines: { description: 'Named deadline → ISO 8601 time.', type: 'object', additionalProperties: { type: 'string' } },
            commitments: {
              description: 'Response-time commitments and whether they were met.',
              type: 'array',
              items: obj(
                'A commitment.',
                { name: str('Commitment name.'), status: str('running, met, breached or superseded.'), deadline: str('ISO 8601.') },
                ['name', 'status'],
              ),
            },
            replies: {
              description: 'Replies published.',
              type: 'array',
              items: obj('A reply.', { text: str('Reply text.'), publishedAt: str('ISO 8601.') }, ['text']),
            },
            escalations: {
              description: 'Escalations, open and decided.',
              type: 'array',
              items: obj(
                'An escalation.',
                {
                  team: str('Team.'),
                  level: { description: 'Level.', type: 'integer' },
                  status: str('Escalation status.'),
                  deadline: str('ISO 8601.'),
                },
                ['team', 'status'],
              ),
            },
            posts: { description: 'The customer posts of the thread.', type: 'array', items: ref('Post') },
            ignoredReason: str('Why the interaction was ignored.'),
            workflow: obj('The Temporal workflow.', { id: str('Workflow id.'), runId: str('Run id.'), status: str('Workflow status.') }),
            links: links('Related links.', ['temporalUi', 'history']),
          },
          ['interactionId', 'status', 'steps', 'commitments', 'replies', 'escalations', 'posts'],
        ),
      },
      TimelineEvent: obj(
        'One audit event.',
        {
          at: str('When (ISO 8601).', { format: 'date-time' }),
          type: str('What, like post.captured or escalation.decided.'),
          actor: str('Who, when a person acted.'),
        },
        ['at', 'type'],
      ),
      History: obj(
        'The audit timeline, oldest first.',
        {
          interactionId: str('The interaction.'),
          events: { description: 'Events.', type: 'array', items: ref('TimelineEvent') },
          links: links('Related links.', ['temporalUi']),
        },
        ['events'],
      ),
      InteractionList: obj(
        'Interactions from Temporal visibility, newest first.',
        {
          interactions: {
            description: 'One page.',
            type: 'array',
            items: obj(
              'An interaction summary.',
              {
                interactionId: str('<channel>:<threadId>.'),
                status: { description: 'Interaction status.', enum: STATUSES },
                policy: nullable(str('Policy id.')),
                customer: nullable(str('<channel>:<author>.')),
                breached: { description: 'A commitment was breached.', type: 'boolean' },
              },
              ['interactionId'],
            ),
          },
          nextPageToken: nullable(str('Pass as pageToken for the next page.')),
        },
        ['interactions'],
      ),
      CustomerProfile: obj(
        'A customer across all their interactions (from Temporal visibility).',
        {
          customer: obj('Who.', { channel: str('Channel.'), authorId: str('Author id.') }, ['channel', 'authorId']),
          interactions: { description: 'How many interactions.', type: 'integer', minimum: 1 },
          perPolicy: { description: 'Interactions per policy id.', type: 'object', additionalProperties: { type: 'integer' } },
          perStatus: { description: 'Interactions per status (outcome).', type: 'object', additionalProperties: { type: 'integer' } },
          lastSentiment: nullable({ description: 'Sentiment of the latest triaged post.', type: 'object' }),
          commitments: obj(
            'Commitments across interactions.',
            { met: { description: 'Met in time.', type: 'integer' }, breached: { description: 'Breached.', type: 'integer' } },
            ['met', 'breached'],
          ),
          recent: { description: 'Up to 50 interactions, newest first.', type: 'array', items: { type: 'object' } },
        },
        ['customer', 'interactions', 'perPolicy', 'perStatus', 'commitments', 'recent'],
      ),
      Escalation: obj(
        'An escalation waiting for a decision.',
        {
          interactionId: str('The interaction.'),
          team: str('The team that decides.'),
          level: { description: 'Escalation level (1, then each onTimeout step).', type: 'integer', minimum: 1 },
          openedAt: str('When it was opened.', { format: 'date-time' }),
          deadline: str('When it times out.', { format: 'date-time' }),
          timeLeftMs: { description: 'Milliseconds until the deadline (negative: overdue).', type: 'number' },
          post: obj(
            'The customer post.',
            {
              id: str('Post id.'),
              channel: str('Channel.'),
              text: str('Text.'),
              author: { description: 'Author.', type: 'object' },
              createdAt: str('ISO 8601.'),
            },
            ['id', 'text'],
          ),
          triage: nullable(ref('Triage')),
          policy: nullable(obj('The policy in force.', { id: str('Policy id.'), version: str('Pack version id.') }, ['id'])),
          draftReply: nullable(str('The reply the policy drafted; approve without a reply publishes it.')),
          links: links('Related links.', ['interaction', 'decision', 'temporalUi']),
        },
        ['interactionId', 'team', 'level', 'deadline', 'timeLeftMs', 'post', 'triage', 'policy', 'draftReply', 'links'],
      ),
      EscalationList: obj(
        'What waits for a decision, earliest deadline first.',
        { escalations: { description: 'Escalations.', type: 'array', items: ref('Escalation') } },
        ['escalations'],
      ),
      DecisionResult: obj(
        'The decision, as the interaction applied it.',
        {
          interactionId: str('The interaction.'),
          decision: { description: 'The decision.', enum: ['approve', 'reject', 'reassign'] },
          team: str('The team the escalation is with now.'),
          reply: obj(
            'The published reply, when approving published one.',
            { messageId: str('Channel message id.'), text: str('Reply text.'), publishedAt: str('When.', { format: 'date-time' }) },
            ['text'],
          ),
        },
        ['interactionId', 'decision', 'team'],
      ),
      Policies: obj(
        'The loaded pack.',
        {
          version: obj('Pack version.', { commit: nullable(str('Git commit.')), sha256: str('Content hash.'), id: str('Short id.') }, [
            'id',
          ]),
          dir: str('Pack folder.'),
          policies: {
            description: 'Policies, by priority.',
            type: 'array',
            items: obj('A policy.', { id: str('Id.'), priority: { description: 'Priority.', type: 'integer' } }, ['id', 'priority']),
          },
          teams: { description: 'Team ids.', type: 'array', items: { type: 'string' } },
          calendars: { description: 'Calendar ids.', type: 'array', items: { type: 'string' } },
          templates: { description: 'Template ids.', type: 'array', items: { type: 'string' } },
          lastError: nullable(
            obj(
              'The last failed reload, if the pack on disk is bad.',
              { at: str('When.'), errors: { description: 'file:line:col errors.', type: 'array' } },
              ['at', 'errors'],
            ),
          ),
        },
        ['version', 'policies'],
      ),
    },
    responses: {
      BadRequest: problemResponse('Malformed request: bad JSON, a wrong field (each named in errors), a malformed id.'),
      Unauthorized: {
        ...problemResponse('No or an unknown bearer token.'),
        headers: { 'WWW-Authenticate': { description: 'Bearer realm="hearken".', schema: { type: 'string' } } },
      },
      Forbidden: problemResponse("Another team's escalation, or reassigning without the lead role."),
      NotFound: problemResponse('No such interaction.'),
      Conflict: problemResponse('Nothing is pending, or it was decided (or moved) meanwhile.'),
      PayloadTooLarge: problemResponse('The body is over 64 KB.'),
      UnsupportedMediaType: problemResponse('A charset or content encoding the API does not read.'),
      UnprocessableContent: problemResponse('A well-formed request the API cannot act on; each field named in errors.'),
      TooManyRequests: {
        ...problemResponse('Rate limited.'),
        headers: {
          'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
          RateLimit: { description: 'Remaining quota (IETF RateLimit header fields, draft 8).', schema: { type: 'string' } },
          'RateLimit-Policy': { description: 'The quota policy.', schema: { type: 'string' } },
        },
      },
      Unavailable: problemResponse('Temporal is unreachable.'),
    },
    parameters: {
      InteractionId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'The interaction: <channel>:<threadId>.',
        schema: { type: 'string', minLength: 1, maxLength: 400 },
      },
    },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'A token from the tokens file (HEARKEN_TOKENS_FILE); the file stores only its sha256.',
      },
    },
  };
}

function paths(): Json {
  const query = (name: string, description: string, schema: Json) => ({ name, in: 'query', required: false, description, schema });
  const bearer = [{ bearer: [] }];
  return {
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'Whether the API reaches Temporal.',
        responses: { 200: ok('Reachable.', ref('Health')), ...problems('Unavailable') },
      },
    },
    '/v1/posts': {
      post: {
        operationId: 'capturePost',
        summary: 'Capture a normalized post; it opens or joins the interaction of its thread.',
        requestBody: { required: true, content: json(ref('Post')) },
        responses: {
          202: ok('Captured; the interaction runs.', ref('AddPostResult')),
          200: ok('Captured before: nothing new happens.', ref('AddPostResult')),
          ...problems('BadRequest', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests'),
        },
      },
    },
    '/v1/interactions': {
      get: {
        operationId: 'listInteractions',
        summary: 'List interactions (from Temporal visibility).',
        parameters: [
          query('customer', 'Customer: <channel>:<author id or handle>.', { type: 'string', maxLength: 400 }),
          query('status', 'Interaction status.', { enum: STATUSES }),
          query('policy', 'Policy id.', { type: 'string', maxLength: 100 }),
          query('breached', 'Only interactions with (true) or without (false) a breached commitment.', { enum: ['true', 'false'] }),
          query('since', 'Started at or after (ISO 8601).', { type: 'string', format: 'date-time' }),
          query('pageToken', 'nextPageToken of the previous page.', { type: 'string', maxLength: 4000 }),
          query('limit', 'Page size (default 50).', { type: 'integer', minimum: 1, maximum: 500 }),
        ],
        responses: { 200: ok('One page.', ref('InteractionList')), ...problems('BadRequest', 'UnprocessableContent') },
      },
    },
    '/v1/customers/{channel}/{authorId}': {
      parameters: [
        { name: 'channel', in: 'path', required: true, description: 'Channel, like twitter.', schema: { type: 'string', maxLength: 300 } },
        {
          name: 'authorId',
          in: 'path',
          required: true,
          description: "The author's id (or handle when the channel has no ids).",
          schema: { type: 'string', maxLength: 300 },
        },
      ],
      get: {
        operationId: 'getCustomer',
        summary:
          'The profile of a communication partner: their interactions, counts per policy and outcome, last sentiment, commitments met vs breached.',
        responses: { 200: ok('The profile.', ref('CustomerProfile')), ...problems('BadRequest', 'NotFound') },
      },
    },
    '/v1/interactions/{id}': {
      parameters: [{ $ref: '#/components/parameters/InteractionId' }],
      get: {
        operationId: 'getInteraction',
        summary: 'The state of an interaction.',
        responses: { 200: ok('State.', ref('InteractionState')), ...problems('BadRequest', 'NotFound') },
      },
    },
    '/v1/interactions/{id}/history': {
      parameters: [{ $ref: '#/components/parameters/InteractionId' }],
      get: {
        operationId: 'getInteractionHistory',
        summary: 'The audit timeline, oldest first.',
        parameters: [query('format', 'ndjson streams one event per line.', { enum: ['json', 'ndjson'] })],
        responses: {
          200: {
            description: 'The timeline.',
            content: { ...json(ref('History')), 'application/x-ndjson': { schema: ref('TimelineEvent') } },
          },
          ...problems('BadRequest', 'NotFound'),
        },
      },
    },
    '/v1/escalations': {
      get: {
        operationId: 'listEscalations',
        summary: "What waits for a decision in the caller's teams, earliest deadline first.",
        security: bearer,
        parameters: [
          query('team', 'Only this team.', { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100 }),
          query('status', 'Only pending is supported.', { enum: ['pending'] }),
        ],
        responses: { 200: ok('Pending escalations.', ref('EscalationList')), ...problems('Unauthorized', 'UnprocessableContent') },
      },
    },
    '/v1/escalations/{interactionId}/decision': {
      post: {
        operationId: 'decideEscalation',
        summary: 'Approve, reject or reassign the pending escalation of an interaction.',
        security: bearer,
        parameters: [
          {
            name: 'interactionId',
            in: 'path',
            required: true,
            description: 'The interaction: <channel>:<threadId>.',
            schema: { type: 'string', minLength: 1, maxLength: 400 },
          },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'A retry with the same key returns the first answer instead of deciding twice.',
            schema: { type: 'string', minLength: 1, maxLength: 200 },
          },
        ],
        requestBody: { required: true, content: json(ref('Decision')) },
        responses: {
          200: ok('Decided.', ref('DecisionResult')),
          ...problems(
            'BadRequest',
            'Unauthorized',
            'Forbidden',
            'NotFound',
            'Conflict',
            'PayloadTooLarge',
            'UnsupportedMediaType',
            'UnprocessableContent',
            'TooManyRequests',
          ),
        },
      },
    },
    '/v1/policies': {
      get: {
        operationId: 'getPolicies',
        summary: 'The loaded pack, its version and the last load error.',
        responses: { 200: ok('The pack.', ref('Policies')) },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics.',
        responses: { 200: { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/openapi.json': {
      get: { operationId: 'openApi', summary: 'This document.', responses: { 200: ok('OpenAPI 3.1 document.', { type: 'object' }) } },
    },
  };
}

let cached: Json | undefined;

/** The OpenAPI 3.1 document (built once; do not mutate). */
export function openApiDocument(): Record<string, unknown> {
  cached ??= deepFreeze({
    openapi: '3.1.0',
    info: {
      title: 'Hearken API',
      version: packageVersion(),
      description: 'Capture posts, follow interactions and decide escalations. Errors are RFC 9457 application/problem+json.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths: paths(),
    components: components(),
  });
  return cached;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Conformance, for tests: does a response match the document?

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
  const doc = openApiDocument() as {
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
