// Hostile input, property-based: malformed, oversized, wrongly typed and
// odd-Unicode bodies, paths, query strings and headers thrown at every route
// of a real service on a real Temporal dev server. Whatever comes in, the
// answer is a 4xx problem+json (or a 2xx for input that is actually valid),
// never a 5xx, and an invalid body never starts a workflow or publishes.
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { conformsToOpenApi } from '../helpers/openapi-conformance';
import { interactionIdFor, type Post } from '../../src/shared/post';
import { validateSchema } from '../../src/policy/pack/schemas';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { startTestService, type TestService } from '../helpers/service';
import { startTestServer, tempDir, temporalAvailable } from '../helpers/temporal';
import { TEST_INGEST, writeTokensFile, type TestUser } from '../helpers/tokens';

const FIXTURE_PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() ? describe : describe.skip;

// Each property is bounded in runs and in time: the whole file stays well under a minute.
const RUNS = 100;
const FC = { numRuns: RUNS, interruptAfterTimeLimit: 8_000 };

// The decision route allows 30 requests a minute per user: spread the
// authenticated requests over enough users that the handler, not the rate
// limiter, answers them.
const FUZZERS: TestUser[] = Array.from({ length: 24 }, (_, i) => ({
  name: `fuzz-${i}`,
  token: `tok-fuzz-${i}-${'x'.repeat(20)}`,
  teams: { '*': 'lead' },
}));
let nextFuzzer = 0;
const fuzzer = (): TestUser => FUZZERS[nextFuzzer++ % FUZZERS.length]!;
/** Capture takes the connector's ingest token; the other routes a person's. */
const tokenFor = (p: string): string => (p === '/v1/posts' ? TEST_INGEST.token : fuzzer().token);
const INGEST = { authorization: `Bearer ${TEST_INGEST.token}` };

// ---------------------------------------------------------------------------
// Requests: node:http rather than fetch, so paths and headers go out as given.

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

let base: URL;

function send(req: Req): Promise<Res> {
  const headers = { ...req.headers };
  // Node frames a DELETE or OPTIONS body only with an explicit length.
  if (req.body !== undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

const describeReq = (req: Req): string =>
  `${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers ?? {}).slice(0, 300)} body=${String(req.body ?? '').slice(0, 200)}`;

/** Statuses seen per documented operation, for the documentation check at the end. */
const seen = new Map<string, Set<number>>();

/** Never a 5xx; every error a problem+json whose body says type, title and status. */
function checkAnswer(req: Req, res: Res): void {
  const what = `${describeReq(req)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  if (res.status < 400) {
    // A JSON answer matches the OpenAPI document.
    if (String(res.headers['content-type']).startsWith('application/json'))
      expect(conformsToOpenApi(req.method, req.path, res.status, JSON.parse(res.text)), what).toEqual([]);
    return;
  }
  expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json; charset=utf-8$/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body, what).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status });
  if (body.errors !== undefined) {
    expect(body.errors, what).toEqual(expect.arrayContaining([]));
    for (const e of body.errors as unknown[]) expect(e, what).toMatchObject({ field: expect.any(String), message: expect.any(String) });
  }
  // A route the app does not serve (yet) answers "no route"; the unit test compares routes and document.
  const unserved = res.status === 404 && String(body.detail).startsWith('no route for');
  const problems = conformsToOpenApi(req.method, req.path, res.status, body, 'application/problem+json');
  if (!unserved && !problems.some((p) => p.startsWith('the document has no operation'))) {
    const key = `${req.method} ${req.path
      .split('?')[0]!
      .replace(/^\/v1\/interactions\/[^/]+/, '/v1/interactions/{id}')
      .replace(/^\/v1\/escalations\/[^/]+\/decision$/, '/v1/escalations/{interactionId}/decision')}`;
    seen.set(key, (seen.get(key) ?? new Set()).add(res.status));
    expect(
      problems.filter((p) => !p.includes('has no response')),
      what,
    ).toEqual([]);
  }
}

async function expectClientError(req: Req): Promise<Res> {
  const res = await send(req);
  checkAnswer(req, res);
  expect(res.status, `${describeReq(req)} → ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  return res;
}

// ---------------------------------------------------------------------------
// Arbitraries.

const ODD = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uDC00\uD800', // reversed pair
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  '\u2066', // left-to-right isolate
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u2028',
  '😀',
  '👩‍👩‍👧‍👦',
  '\uFEFF',
  '\u200B',
  'e\u0301\u0301\u0301',
  '\uFFFF',
  '\uFFFD',
  '\u{10FFFF}',
  'İ',
  '"',
  '\\',
  '/',
  '%',
  '%00',
  '..',
  ' ',
  '\t',
  '\r\n',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${HOME}',
  '{{author.name}}',
  '__proto__',
  'a',
];

const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...ODD), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ODD), fc.integer({ min: 500, max: 12_000 })).map(([s, n]) => s.repeat(n)) },
);

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, -0, [], {}, [[[[]]]], '', 'null', 'true'),
);

const goodPost = (): Post => ({
  channel: 'twitter',
  id: 'hostile-1',
  author: { id: 'u-1', handle: 'jane', name: 'Jane' },
  text: '@sprintcare hello',
  createdAt: '2026-01-15T10:00:00Z',
});

const POST_KEYS = [
  'channel',
  'id',
  'threadId',
  'inReplyTo',
  'inReplyToAuthor',
  'direct',
  'author',
  'text',
  'language',
  'createdAt',
  'url',
  'extra',
  'constructor',
  'Author',
  ' text',
];
const AUTHOR_KEYS = ['id', 'handle', 'name', 'followers', 'avatar'];

const isValidPost = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && validateSchema('post', v).length === 0;

/** JSON text of a body that is not a valid post: wrongly typed fields, missing ones, odd values, other shapes. */
const invalidPostText: fc.Arbitrary<string> = fc
  .oneof(
    fc.tuple(fc.constantFrom(...POST_KEYS), oddValue).map(([k, v]) => {
      const p: Record<string, unknown> = { ...goodPost() };
      p[k] = v;
      return p;
    }),
    fc.tuple(fc.constantFrom(...AUTHOR_KEYS), oddValue).map(([k, v]) => ({ ...goodPost(), author: { ...goodPost().author, [k]: v } })),
    fc.subarray(['channel', 'id', 'author', 'text', 'createdAt']).map((drop) => {
      const p: Record<string, unknown> = { ...goodPost() };
      for (const k of drop) delete p[k];
      return drop.length ? p : { ...p, author: {} };
    }),
    fc.jsonValue({ maxDepth: 4 }),
  )
  .filter((v) => !isValidPost(v))
  .map((v) => JSON.stringify(v) ?? 'null');

/** Text that is not JSON at all, or JSON cut short. */
const malformedJson: fc.Arbitrary<string> = fc
  .oneof(
    oddString,
    fc.string({ maxLength: 60 }),
    fc.constantFrom(JSON.stringify(goodPost())).chain((s) => fc.integer({ min: 1, max: s.length - 1 }).map((n) => s.slice(0, n))),
    fc.constantFrom(
      '{"a":1,}',
      "{'a':1}",
      '{"a":NaN}',
      '{"a":1}{"b":2}',
      '[1,2',
      '{"__proto__":',
      '\uFEFF{}',
      '{"a":"\\u12"}',
      '{"a":"\\uD800"',
      'undefined',
    ),
  )
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });

/** Path segments: percent-encoded garbage (invalid UTF-8 too), traversal, very long ids. */
const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 30 })
    .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')),
  fc.stringMatching(/^[A-Za-z0-9:._~!$&'()*+,;=@-]{1,60}$/),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2F',
    '%00',
    '%',
    '%E0%A4%A',
    '%C0%AF',
    '%ED%A0%80',
    '%F4%90%80%80',
    'twitter:%0A1',
    'a'.repeat(401),
    '%61'.repeat(500),
    'x'.repeat(8000),
  ),
);

/** Header values Node lets through: tab, printable ASCII and Latin-1. */
const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...'\t !"#$%&()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\u00a0\u00e9\u00ff'.split('')),
    maxLength: 80,
  }),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer tok-fuzz-0',
    'Bearer tok-fuzz-0-',
    'Basic Zm9vOmJhcg==',
    'Bearer a b c',
    `Bearer ${'A'.repeat(6000)}`,
    'Token tok',
    'Bearer\ttok',
    'Digest x=1',
    'Bearer %00',
  ),
);

const contentTypes = [
  'application/json',
  'APPLICATION/JSON',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=koi8-r',
  'application/json; charset=x-nope',
  'application/json;;;',
  'application/problem+json',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/json',
  'application/xml',
  '*/*',
  'garbage',
  '',
];

// ---------------------------------------------------------------------------

run('hostile input on every route of a real service', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;
  // Interactions only: the worker's own registry workflow (which pack it runs) is started by the worker, not by input.
  const started = async (): Promise<number> => (await svc.client.workflow.count(`WorkflowType = 'interaction'`)).count;

  beforeAll(async () => {
    const tokensFile = writeTokensFile(tempDir('hostile-tokens'), FUZZERS);
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    svc = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: FIXTURE_PACK,
      tokensFile,
      // Garbage tokens by the hundred are the point here: the handlers, not the failed-authentication limit, must answer.
      authFailureLimit: 1_000_000,
    });
    base = new URL(svc.url);
  });

  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  it('a body that is not a valid post gets 400 problem+json naming the fields', async () => {
    await fc.assert(
      fc.asyncProperty(invalidPostText, async (body) => {
        const res = await expectClientError({
          method: 'POST',
          path: '/v1/posts',
          headers: { 'content-type': 'application/json', ...INGEST },
          body,
        });
        if (Buffer.byteLength(body) <= 64 * 1024) {
          expect(res.status, body.slice(0, 200)).toBe(400);
          // JSON that is a mapping or a list is checked field by field; a bare value is refused as a whole.
          const parsed: unknown = JSON.parse(body);
          if (typeof parsed === 'object' && parsed !== null)
            expect(JSON.parse(res.text).errors?.length ?? 0, body.slice(0, 200)).toBeGreaterThan(0);
        }
      }),
      FC,
    );
  });

  it('text that is not JSON gets 400 problem+json, on every route that takes a body', async () => {
    await fc.assert(
      fc.asyncProperty(malformedJson, fc.constantFrom('/v1/posts', '/v1/escalations/twitter:1/decision'), async (body, p) => {
        const res = await expectClientError({
          method: 'POST',
          path: p,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(p)}` },
          body,
        });
        // body-parser drops a leading BOM, so "\uFEFF{}" reaches the decision schema (422).
        if (Buffer.byteLength(body) <= 64 * 1024) expect(p === '/v1/posts' ? [400] : [400, 422], body.slice(0, 200)).toContain(res.status);
      }),
      FC,
    );
  });

  it('a body over 64 KB gets 413 problem+json, with or without a content length', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 64 * 1024 + 1, max: 300 * 1024 }),
        fc.constantFrom('/v1/posts', '/v1/escalations/twitter:1/decision'),
        fc.boolean(),
        async (size, p, chunked) => {
          const text = JSON.stringify({ ...goodPost(), text: 'é'.repeat(Math.ceil(size / 2)) });
          const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(p)}` };
          if (chunked) headers['transfer-encoding'] = 'chunked';
          const res = await expectClientError({ method: 'POST', path: p, headers, body: text });
          expect(res.status).toBe(413);
        },
      ),
      { ...FC, numRuns: 30 },
    );
  });

  it('any content type or content encoding other than plain JSON is refused with a 4xx', async () => {
    // A body the schema refuses (no createdAt), so even a parsed one starts nothing.
    const { createdAt: _c, ...noDate } = goodPost();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...contentTypes),
        fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, gzip', 'x-nope'),
        fc.constantFrom('/v1/posts', '/v1/escalations/twitter:1/decision'),
        fc.oneof(
          fc.constant(JSON.stringify(noDate)),
          fc.constant('decision=approve'),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        ),
        async (contentType, encoding, p, body) => {
          const headers: Record<string, string> = { authorization: `Bearer ${tokenFor(p)}` };
          if (contentType) headers['content-type'] = contentType;
          if (encoding) headers['content-encoding'] = encoding;
          await expectClientError({ method: 'POST', path: p, headers, body });
        },
      ),
      FC,
    );
  });

  it('odd interaction ids in paths get 400 or 404, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(pathSegment, fc.constantFrom('', '/history', '/history?format=ndjson'), async (segment, suffix) => {
        const res = await expectClientError({
          method: 'GET',
          path: `/v1/interactions/${segment}${suffix}`,
          headers: { authorization: `Bearer ${fuzzer().token}` },
        });
        expect([400, 404], `${segment}${suffix}`).toContain(res.status);
      }),
      FC,
    );
  });

  it('odd interaction ids on the decision route get 400, 404 or 422, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        pathSegment,
        fc.constantFrom({ decision: 'approve' }, { decision: 'reject', note: 'n' }, { decision: 'nope' }),
        async (segment, body) => {
          const res = await expectClientError({
            method: 'POST',
            path: `/v1/escalations/${segment}/decision`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${fuzzer().token}` },
            body: JSON.stringify(body),
          });
          expect([400, 404, 422], segment).toContain(res.status);
        },
      ),
      FC,
    );
  });

  it('decision bodies of every wrong shape get 422 (for an authenticated user), never a 5xx', async () => {
    const decisionish = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ decision: oddValue, reply: oddValue, team: oddValue, note: oddValue }, { requiredKeys: [] }),
      fc.record(
        { decision: fc.constantFrom('approve', 'reject', 'reassign'), reply: oddString, team: oddString, note: oddString },
        { requiredKeys: ['decision'] },
      ),
    );
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(decisionish, fc.option(headerValue, { nil: undefined }), async (body, idempotencyKey) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${fuzzer().token}` };
        if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
        const text = JSON.stringify(body) ?? 'null';
        const res = await expectClientError({ method: 'POST', path: '/v1/escalations/twitter:never-seen/decision', headers, body: text });
        statuses.push(res.status);
        // A valid decision about an interaction that does not exist: 404.
        if (res.status === 404) expect(validateSchema('decision', body), text.slice(0, 200)).toEqual([]);
      }),
      FC,
    );
    // The handler answered, not only the rate limiter or the body parser.
    expect(statuses).toContain(422);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  it('garbage Authorization headers get 401 with WWW-Authenticate on the authenticated routes', async () => {
    await fc.assert(
      fc.asyncProperty(
        headerValue,
        fc.constantFrom('GET /v1/escalations', 'GET /v1/escalations?team=customer-care', 'POST /v1/escalations/twitter:1/decision'),
        async (authorization, route) => {
          const [method, p] = route.split(' ') as [string, string];
          const res = await expectClientError({
            method,
            path: p,
            headers: { authorization, 'content-type': 'application/json' },
            body: method === 'POST' ? '{"decision":"approve"}' : undefined,
          });
          expect(res.status, authorization).toBe(401);
          expect(res.headers['www-authenticate']).toBe('Bearer realm="hearken"');
          const presented = authorization.replace(/^\s*bearer\s+/i, '').trim();
          if (presented.length >= 12) expect(res.text).not.toContain(presented);
        },
      ),
      FC,
    );
  });

  it('odd query strings and headers on the read routes never get a 5xx', async () => {
    const query = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              'team',
              'status',
              'format',
              'customer',
              'policy',
              'since',
              'limit',
              'pageToken',
              'breached',
              '__proto__',
              'a[b]',
              '',
            ),
            pathSegment,
          ),
          pathSegment,
        ),
        { maxLength: 5 },
      )
      // Within Node's 16 KB limit for the request head (above it Node itself answers a bare 431).
      .map((pairs) =>
        pairs
          .map(([k, v]) => `${k}=${v}`)
          .join('&')
          .slice(0, 6000),
      );
    const route = fc.constantFrom(
      '/healthz',
      '/v1/policies',
      '/openapi.json',
      '/v1/interactions',
      '/v1/escalations',
      '/v1/interactions/twitter:1',
      '/v1/interactions/twitter:1/history',
      '/metrics',
      '/nope',
    );
    await fc.assert(
      fc.asyncProperty(route, query, headerValue, fc.boolean(), async (p, q, accept, authenticated) => {
        // Under Node's 16 KB header limit (above it Node itself answers a bare 431).
        const short = accept.slice(0, 300);
        const headers: Record<string, string> = { accept, 'accept-charset': short, 'accept-encoding': short, 'x-forwarded-for': short };
        if (authenticated) headers.authorization = `Bearer ${fuzzer().token}`;
        const req = { method: 'GET', path: `${p}?${q}`, headers };
        checkAnswer(req, await send(req));
      }),
      FC,
    );
  });

  it('unknown methods and routes get 404 problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST', 'GET'),
        fc.constantFrom('/v1/posts/1', '/v1/interactions', '/v1', '/', '/v1/escalations/x', '/healthz/x', '/%E0%A4%A'),
        async (method, p) => {
          const req = { method, path: p, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' };
          const res = await send(req);
          checkAnswer(req, res);
          // GET /v1/interactions is a route; OPTIONS on it gets Express's automatic Allow answer.
          const served = p === '/v1/interactions' && (method === 'GET' || method === 'OPTIONS');
          if (!served) expect([400, 404], `${method} ${p}`).toContain(res.status);
        },
      ),
      { ...FC, numRuns: 40 },
    );
  });

  it('after all of it, no workflow was started and no reply published', async () => {
    // Visibility lags a little behind a start: give a stray start time to show.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await started()).toBe(0);
    expect(jsonLines(svc.config.dataDir, 'outbox.jsonl')).toEqual([]);
  });

  it('valid posts with odd Unicode are accepted (202, then 200 for the same post), and their interaction can be read', async () => {
    // The schema's own bounds, filled with odd characters.
    const within = (max: number) => oddString.filter((s) => s.length >= 1 && s.length <= max);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          channel: within(50),
          id: within(200),
          handle: within(200),
          name: oddString.filter((s) => s.length <= 200),
          text: oddString.filter((s) => s.length <= 10_000),
        }),
        async ({ channel, id, handle, name, text }) => {
          const post: Post = {
            channel,
            id: `${id}-${accepted}`,
            author: { handle, name },
            text: `@sprintcare ${text}`.slice(0, 10_000),
            createdAt: new Date().toISOString(),
          };
          fc.pre(isValidPost(post) && Buffer.byteLength(JSON.stringify(post)) < 60 * 1024);
          const req = {
            method: 'POST',
            path: '/v1/posts',
            headers: { 'content-type': 'application/json', ...INGEST },
            body: JSON.stringify(post),
          };
          const res = await send(req);
          checkAnswer(req, res);
          expect(res.status, describeReq(req)).toBe(202);
          accepted++;
          const body = JSON.parse(res.text) as { interactionId: string };
          expect(conformsToOpenApi('POST', '/v1/posts', 202, body)).toEqual([]);
          expect(body.interactionId).toBe(interactionIdFor(post));
          const again = await send(req);
          expect(again.status, describeReq(req)).toBe(200);
          // The id may hold characters no path can carry (a lone surrogate); the others are read back.
          if (!/[\uD800-\uDFFF]/.test(body.interactionId)) {
            const get = {
              method: 'GET',
              path: `/v1/interactions/${encodeURIComponent(body.interactionId)}`,
              headers: { authorization: `Bearer ${fuzzer().token}` },
            };
            const state = await send(get);
            checkAnswer(get, state);
            expect([200, 400], describeReq(get)).toContain(state.status);
          }
        },
      ),
      { ...FC, numRuns: 40 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('every status seen on a documented route is documented', () => {
    const undocumented = [...seen.entries()].flatMap(([route, statuses]) => {
      const [method, p] = route.split(' ') as [string, string];
      return [...statuses]
        .filter((s) => conformsToOpenApi(method, p, s, { type: 'about:blank', title: 't', status: s }).length > 0)
        .map((s) => `${route} ${s}`);
    });
    expect(undocumented).toEqual([]);
  });
});
