// The optional classifier hook against a real HTTP server on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/shared/post';
import { classifierFromEnv, httpClassifier, refineTriage, validateAnswer } from '../../src/triage/classifier';
import { triagePost } from '../../src/triage/triage';

const ctx = { accounts: [{ channel: 'twitter', handle: 'sprintcare' }], brandNames: ['Sprint'] };
const post: Post = {
  channel: 'twitter',
  id: 'k1',
  author: { handle: 'jane' },
  text: '@sprintcare my contract renewal letter arrived',
  createdAt: '2026-11-22T10:00:00Z',
};

let server: Server;
let base = '';
const seen: unknown[] = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/complaint': (_req, res) => res.end(JSON.stringify({ intent: 'complaint', sentiment: { score: -0.8 }, risk: ['legal-threat'] })),
  '/garbage': (_req, res) => res.end(JSON.stringify({ intent: 'rant', sentiment: { score: 7 }, relevant: 'yes' })),
  '/down': (_req, res) => {
    res.statusCode = 503;
    res.end('{}');
  },
  '/slow': (_req, res) => setTimeout(() => res.end('{}'), 1_000),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) as unknown });
      res.setHeader('content-type', 'application/json');
      (routes[req.url ?? ''] ?? routes['/down']!)(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('classifier hook', () => {
  it('is off unless HEARKEN_CLASSIFIER_URL is set', async () => {
    expect(classifierFromEnv({})).toBeNull();
    const rules = triagePost(post, ctx);
    expect(await refineTriage(post, rules, null)).toBe(rules);
    expect(classifierFromEnv({ HEARKEN_CLASSIFIER_URL: `${base}/complaint` })?.name).toBe(base);
    expect(() => classifierFromEnv({ HEARKEN_CLASSIFIER_URL: base, HEARKEN_CLASSIFIER_TIMEOUT_MS: 'soon' })).toThrow(
      /positive number of milliseconds/,
    );
  });

  it("when the service answers, its fields replace the rules' and the signals say so", async () => {
    const rules = triagePost(post, ctx);
    const refined = await refineTriage(post, rules, httpClassifier({ url: `${base}/complaint`, token: 's3cret' }));
    expect(refined).toMatchObject({
      intent: 'complaint',
      sentiment: { score: -0.8, label: 'negative' },
      risk: ['legal-threat'],
      addressedToUs: true,
    });
    expect(refined.signals?.at(-1)).toBe(`classifier:${base} set intent, sentiment, risk`);
    expect(seen.at(-1)).toMatchObject({
      auth: 'Bearer s3cret',
      body: { post: { id: 'k1', text: post.text }, triage: { intent: rules.intent } },
    });
  });

  it('ignores malformed fields, naming them', async () => {
    const rules = triagePost(post, ctx);
    const refined = await refineTriage(post, rules, httpClassifier({ url: `${base}/garbage` }));
    expect(refined).toMatchObject({ intent: rules.intent, sentiment: rules.sentiment, relevant: rules.relevant });
    expect(refined.signals).toContain('classifier:ignored intent, sentiment, relevant');
  });

  it('keeps the rules when the service fails or is too slow', async () => {
    const rules = triagePost(post, ctx);
    const down = await refineTriage(post, rules, httpClassifier({ url: `${base}/down` }));
    expect(down).toMatchObject({ intent: rules.intent, sentiment: rules.sentiment });
    expect(down.signals?.at(-1)).toMatch(/^classifier:unavailable .*HTTP 503\); rules kept$/);
    const slow = await refineTriage(post, rules, httpClassifier({ url: `${base}/slow`, timeoutMs: 100 }));
    expect(slow.signals?.at(-1)).toMatch(/^classifier:unavailable/);
  });

  it('validates answers field by field', () => {
    expect(validateAnswer([])).toEqual({ answer: {}, problems: ['answer is not a JSON object'] });
    expect(validateAnswer({ relevant: false, risk: ['phishing'], sentiment: { score: 0.5, label: 'positive' } })).toEqual({
      answer: { relevant: false, risk: ['phishing'], sentiment: { score: 0.5, label: 'positive' } },
      problems: [],
    });
    expect(validateAnswer({ risk: ['made-up-flag'] }).problems).toEqual(['risk']);
  });
});
