// Every route of the HTTP API, once. The express app mounts these entries
// (http/mount.ts: a handler per entry, checked by the compiler both ways) and
// GET /openapi.json is built from them (openapi.ts), so a route cannot exist
// without its documentation, and the schema a body is validated with is the
// schema the document shows. Order here is the document's order.
import type { ParamSpec, RouteSpec } from './route-spec';

/** The path parameters the templates below use, each described once. */
export const PATH_PARAMS = {
  id: { description: 'The interaction: <channel>:<threadId>.', schema: { type: 'string', minLength: 1, maxLength: 400 } },
  interactionId: { description: 'The interaction: <channel>:<threadId>.', schema: { type: 'string', minLength: 1, maxLength: 400 } },
  channel: { description: 'Channel, like twitter.', schema: { type: 'string', maxLength: 300 } },
  authorId: { description: "The author's id (or handle when the channel has no ids).", schema: { type: 'string', maxLength: 300 } },
  crisisId: {
    description: 'The crisis: <brand>-c<n>.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]+-c[0-9]+$', maxLength: 200 },
  },
  source: {
    description: 'A webhook-connected account: its id in accounts.yaml (default: its channel).',
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 50 },
  },
} as const satisfies Record<string, ParamSpec>;

const STATUS_REF = { $ref: '#/components/schemas/InteractionStatus' };

export const ROUTES = {
  health: {
    method: 'get',
    path: '/healthz',
    summary:
      'Whether Hearken can serve: Temporal answers, a worker polls the task queue, the policy pack loaded. 503 when Temporal or the worker is missing; 200 with status degraded when only the last pack reload failed.',
    auth: 'none',
    responses: {
      200: { description: 'Temporal answers and a worker polls; status degraded when the last pack reload failed.', json: 'Health' },
    },
    problems: ['Unavailable'],
  },
  capturePost: {
    method: 'post',
    path: '/v1/posts',
    summary: 'Capture a normalized post; it opens or joins the interaction of its thread.',
    auth: 'ingest',
    body: { schema: 'post', invalidStatus: 400 },
    responses: {
      202: { description: 'Captured; the interaction runs.', json: 'AddPostResult' },
      200: { description: 'Captured before: nothing new happens.', json: 'AddPostResult' },
    },
    problems: ['BadRequest', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'Unavailable'],
  },
  createSession: {
    method: 'post',
    path: '/v1/session',
    summary:
      "Log in to the care desk with a person's bearer token: sets the session cookie (hearken_session: HttpOnly, SameSite=Strict, 12 hours; Secure over HTTPS) and answers the CSRF token its POST and DELETE requests send as X-CSRF-Token. A wrong token counts toward the failed-authentication limit.",
    auth: 'none',
    body: { schema: 'session', invalidStatus: 400 },
    responses: { 200: { description: 'Logged in; Set-Cookie carries the session.', json: 'Session' } },
    problems: ['BadRequest', 'Unauthorized', 'Forbidden', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests'],
  },
  getSession: {
    method: 'get',
    path: '/v1/session',
    summary: 'Who is logged in (session cookie or bearer token), their teams and roles, and the CSRF token of the session.',
    auth: 'read',
    responses: { 200: { description: 'The session.', json: 'Session' } },
    problems: [],
  },
  deleteSession: {
    method: 'delete',
    path: '/v1/session',
    summary: 'Log out: clears the session cookie (with a valid session cookie, send its X-CSRF-Token).',
    auth: 'none',
    responses: { 204: { description: 'Logged out.', empty: true } },
    problems: ['Forbidden'],
  },
  listChannels: {
    method: 'get',
    path: '/v1/channels',
    summary:
      'The connected accounts and their listeners: status, cursor, last post seen, lag, last error, counts, and warnings (a Mastodon notification policy that filters mentions).',
    auth: 'read',
    responses: { 200: { description: 'The connected accounts.', json: 'ChannelList' } },
    problems: [],
  },
  channelWebhook: {
    method: 'post',
    path: '/v1/channels/webhook/{source}',
    summary:
      'Capture a post delivered by a signed webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature over the raw body, 5 minutes tolerance). The body is a normalized post, bare or as the data of {type, timestamp, data}; a redelivery is one post.',
    auth: 'none',
    headers: {
      'webhook-id': { description: 'The message id; a redelivery keeps it.', schema: { type: 'string' } },
      'webhook-timestamp': { description: 'Seconds since the epoch, within 5 minutes of now.', schema: { type: 'string' } },
      'webhook-signature': {
        description: 'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">; several separated by spaces during a key rotation.',
        schema: { type: 'string' },
      },
    },
    responses: {
      202: { description: 'Captured; the interaction runs.', json: 'AddPostResult' },
      200: { description: 'Delivered before: nothing new happens.', json: 'AddPostResult' },
    },
    problems: ['BadRequest', 'BadSignature', 'NotFound', 'PayloadTooLarge', 'UnprocessableContent', 'TooManyRequests', 'Unavailable'],
  },
  listInteractions: {
    method: 'get',
    path: '/v1/interactions',
    summary: 'List interactions (from Temporal visibility), one row per interaction: not the runs it continued as new from.',
    auth: 'read',
    query: {
      customer: { description: 'Customer: <channel>:<author id or handle>.', schema: { type: 'string', maxLength: 400 } },
      status: { description: 'Interaction status.', schema: STATUS_REF },
      policy: { description: 'Policy id.', schema: { type: 'string', maxLength: 100 } },
      breached: {
        description: 'Only interactions with (true) or without (false) a breached commitment.',
        schema: { enum: ['true', 'false'] },
      },
      since: { description: 'Started at or after (RFC 3339, like 2026-11-01T00:00:00Z).', schema: { type: 'string', format: 'date-time' } },
      pageToken: {
        description: 'nextPageToken of the previous page, with the same filters (another token is refused with 422).',
        schema: { type: 'string', maxLength: 4000 },
      },
      limit: { description: 'Page size (default 50).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
    },
    responses: { 200: { description: 'One page.', json: 'InteractionList' } },
    problems: ['BadRequest', 'UnprocessableContent', 'Unavailable'],
  },
  getCustomer: {
    method: 'get',
    path: '/v1/customers/{channel}/{authorId}',
    summary:
      'The profile of a communication partner: their interactions, counts per policy and outcome, last sentiment, commitments met vs breached.',
    auth: 'read',
    responses: { 200: { description: 'The profile.', json: 'CustomerProfile' } },
    problems: ['BadRequest', 'NotFound', 'Unavailable'],
  },
  getInteraction: {
    method: 'get',
    path: '/v1/interactions/{id}',
    summary: 'The state of an interaction.',
    auth: 'read',
    responses: { 200: { description: 'State.', json: 'InteractionState' } },
    problems: ['BadRequest', 'NotFound', 'Unavailable'],
  },
  getInteractionHistory: {
    method: 'get',
    path: '/v1/interactions/{id}/history',
    summary: 'The audit timeline, oldest first.',
    auth: 'read',
    query: { format: { description: 'ndjson streams one event per line.', schema: { enum: ['json', 'ndjson'] } } },
    responses: { 200: { description: 'The timeline.', json: 'History', ndjson: 'TimelineEvent' } },
    problems: ['BadRequest', 'NotFound', 'Unavailable'],
  },
  events: {
    method: 'get',
    path: '/v1/events',
    summary:
      "Live events for the care desk (Server-Sent Events): escalation.opened and escalation.decided in the caller's teams, presence, controls (the pause switch changed), status (Temporal unavailable, then ok); a `: ping` comment every 15 s. Escalations and the switch are polled from Temporal every second, so what another API process did appears too, about a second later.",
    auth: 'read',
    responses: { 200: { description: 'An event stream; it ends when the client goes.', text: 'text/event-stream' } },
    problems: [],
  },
  setPresence: {
    method: 'post',
    path: '/v1/interactions/{id}/presence',
    summary:
      'Say that the caller views or types on an interaction (refresh every 10 s; it lapses after 30 s), or has left it. Listeners of /v1/events hear a presence event. Kept in the memory of the API process.',
    auth: 'read',
    body: { schema: 'presence', invalidStatus: 422 },
    responses: { 204: { description: 'Noted.', empty: true } },
    problems: ['BadRequest', 'PayloadTooLarge', 'UnsupportedMediaType', 'UnprocessableContent'],
  },
  replyToInteraction: {
    method: 'post',
    path: '/v1/interactions/{id}/replies',
    summary:
      "An agent's own reply, published verbatim through the interaction's channel (the workflow's agentReply Update): it counts for the commitments (first and next response) and the timeline records who sent it. Agent, lead or admin in a team of the interaction's escalations (any team when it never escalated).",
    auth: 'decide',
    rateLimit: 'decision',
    headers: {
      'Idempotency-Key': {
        description:
          'A retry with the same key returns the first answer (duplicate: true) instead of publishing twice. Without it, the same text from the same person is one reply.',
        schema: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    body: { schema: 'agent-reply', invalidStatus: 422 },
    responses: { 200: { description: 'Published (or published before, duplicate: true).', json: 'AgentReplyResult' } },
    problems: [
      'BadRequest',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
      'Unavailable',
    ],
  },
  addNote: {
    method: 'post',
    path: '/v1/interactions/{id}/notes',
    summary:
      "An internal note on an interaction (the workflow's addNote Update): in its timeline (note.added, with who), never published. Same roles as a reply.",
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'note', invalidStatus: 422 },
    responses: { 201: { description: 'Recorded.', json: 'NoteResult' } },
    problems: ['BadRequest', 'NotFound', 'Conflict', 'PayloadTooLarge', 'UnsupportedMediaType', 'UnprocessableContent', 'Unavailable'],
  },
  getTemplates: {
    method: 'get',
    path: '/v1/interactions/{id}/templates',
    summary:
      "The pack's reply templates rendered for this interaction (author name, deadlines in the policy calendar's time zone), every language variant, the interaction's language first: canned replies to edit and send with POST /v1/interactions/{id}/replies.",
    auth: 'read',
    responses: { 200: { description: 'Rendered templates.', json: 'Templates' } },
    problems: ['BadRequest', 'NotFound', 'Unavailable'],
  },
  listEscalations: {
    method: 'get',
    path: '/v1/escalations',
    summary: "What waits for a decision in the caller's teams, earliest deadline first.",
    auth: 'read',
    query: {
      team: { description: 'Only this team.', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100 } },
      status: { description: 'Only pending is supported.', schema: { enum: ['pending'] } },
    },
    responses: { 200: { description: 'Pending escalations.', json: 'EscalationList' } },
    problems: ['Unauthorized', 'UnprocessableContent', 'Unavailable'],
  },
  decideEscalation: {
    method: 'post',
    path: '/v1/escalations/{interactionId}/decision',
    summary: 'Approve, reject or reassign the pending escalation of an interaction.',
    auth: 'decide',
    rateLimit: 'decision',
    headers: {
      'Idempotency-Key': {
        description: 'A retry with the same key returns the first answer instead of deciding twice.',
        schema: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    body: { schema: 'decision', invalidStatus: 422 },
    responses: { 200: { description: 'Decided.', json: 'DecisionResult' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
      'Unavailable',
    ],
  },
  decideHeld: {
    method: 'post',
    path: '/v1/held/{interactionId}/decision',
    summary:
      'Release (publish now) or discard (record, never send) the automatic replies of an interaction that wait because publishing was paused. Lead or admin.',
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'held-decision', invalidStatus: 422 },
    responses: { 200: { description: 'Decided.', json: 'HeldDecisionResult' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
    ],
  },
  getControls: {
    method: 'get',
    path: '/v1/controls',
    summary: 'The pause switch: which automatic publishing is paused, since when, by whom, and the latest changes.',
    auth: 'read',
    responses: { 200: { description: 'The switch.', json: 'ControlsState' } },
    problems: [],
  },
  pausePublishing: {
    method: 'post',
    path: '/v1/controls/pause',
    summary:
      'Pause automatic publishing, everywhere or on a channel or account: every automatic reply it covers waits for a lead instead (within seconds on every worker). Lead or admin.',
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'pause', invalidStatus: 422 },
    responses: { 200: { description: 'Paused (or paused already).', json: 'PauseResult' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
    ],
  },
  resumePublishing: {
    method: 'post',
    path: '/v1/controls/resume',
    summary: 'Lift a pause and decide what waited: release (publish now) or discard (record, never send). Lead or admin.',
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'resume', invalidStatus: 422 },
    responses: { 200: { description: 'Resumed.', json: 'ResumeResult' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
    ],
  },
  getPulse: {
    method: 'get',
    path: '/v1/pulse',
    summary:
      "The brand's pulse: per minute the volume, negative share, intent mix, top terms and hashtags of everything captured (counts and terms only, never text or authors), and the spike detector's latest evaluation.",
    auth: 'read',
    responses: { 200: { description: 'The pulse.', json: 'Pulse' } },
    problems: ['Unavailable'],
  },
  listCrises: {
    method: 'get',
    path: '/v1/crises',
    summary: "The brand's crises, newest first: why each opened (the detector's evaluation), its topic, status and per-minute series.",
    auth: 'read',
    query: { status: { description: 'Only crises with this status.', schema: { enum: ['open', 'acknowledged', 'closed'] } } },
    responses: { 200: { description: 'Crises.', json: 'CrisisList' } },
    problems: ['BadRequest', 'Unavailable'],
  },
  acknowledgeCrisis: {
    method: 'post',
    path: '/v1/crises/{crisisId}/acknowledge',
    summary: 'Acknowledge an open crisis (a lead is on it; its overlay stays in force), optionally naming its topic. Lead or admin.',
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'crisis-action', invalidStatus: 422 },
    responses: { 200: { description: 'Acknowledged.', json: 'Crisis' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
      'Unavailable',
    ],
  },
  closeCrisis: {
    method: 'post',
    path: '/v1/crises/{crisisId}/close',
    summary: 'Close a crisis: its overlay stops applying to new posts. Lead or admin.',
    auth: 'decide',
    rateLimit: 'decision',
    body: { schema: 'crisis-action', invalidStatus: 422 },
    responses: { 200: { description: 'Closed.', json: 'Crisis' } },
    problems: [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'UnprocessableContent',
      'TooManyRequests',
      'Unavailable',
    ],
  },
  getPolicies: {
    method: 'get',
    path: '/v1/policies',
    summary: 'The loaded pack, its version and the last load error.',
    auth: 'read',
    responses: { 200: { description: 'The pack.', json: 'Policies' } },
    problems: [],
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics.',
    auth: 'none',
    responses: { 200: { description: 'Prometheus text format.', text: 'text/plain' } },
    problems: [],
  },
  openApi: {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document.',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document.', json: 'OpenApiDocument' } },
    problems: [],
  },
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof ROUTES;
export type OperationId = keyof Routes;
