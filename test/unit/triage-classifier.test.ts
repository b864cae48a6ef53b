// The classifier hook against a real HTTP server on loopback (no mocked
// fetch): the hook alone, then wired into the assessPost activity the way the
// worker builds it from HEARKEN_CLASSIFIER_URL and friends.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities, type Assessment, type AssessInput } from '../../src/activities';
import type { ChannelAdapter } from '../../src/channels/channel';
import { Notifier } from '../../src/channels/notifier';
import { assess } from '../../src/policy/engine/assess';
import { PackStore } from '../../src/policy/pack/pack-store';
import { loadConfig, type Env } from '../../src/runtime/config';
import type { Post } from '../../src/shared/post';
import { classifierFromSettings, httpClassifier, refineTriage, validateAnswer } from '../../src/triage/classifier';
import { triagePost } from '../../src/triage/triage';
import { tempDir } from '../helpers/temporal';

const ctx = { accounts: [{ channel: 'twitter', handle: 'sprintcare' }], brandNames: ['Sprint'] };
const post: Post = {
  channel: 'twitter',
  id: 'k1',
  author: { handle: 'jane' },
  text: '@sprintcare my contract renewal letter arrived',
  createdAt: '2026-11-22T10:00:00Z',
};

/** What a small text model behind HTTP might answer: it reads the post, takes a moment, and gives only the fields it is sure of. */
function model(text: string): object {
  if (/renewal letter/i.test(text)) return { intent: 'complaint', sentiment: { score: -0.6 } };
  if (/lawyer/i.test(text)) return { intent: 'complaint', risk: ['legal-threat'] };
  return {};
}

let server: Server;
let base = '';
const seen: Array<{ url?: string; auth?: string; body: any }> = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: any) => void> = {
  '/complaint': (_req, res) => res.end(JSON.stringify({ intent: 'complaint', sentiment: { score: -0.8 }, risk: ['legal-threat'] })),
  '/garbage': (_req, res) => res.end(JSON.stringify({ intent: 'rant', sentiment: { score: 7 }, relevant: 'yes' })),
  '/down': (_req, res) => {
    res.statusCode = 503;
    res.end('{}');
  },
  '/slow': (_req, res) => setTimeout(() => res.end('{}'), 1_000),
  '/model': (_req, res, body) => setTimeout(() => res.end(JSON.stringify(model(String(body?.post?.text)))), 20),
  '/crashed': (_req, res) => {
    res.statusCode = 500;
    res.setHeader('content-type', 'text/plain');
    res.end('CUDA out of memory');
  },
  '/hangs': (_req, res) => setTimeout(() => res.end(JSON.stringify({ intent: 'praise' })), 5_000),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as unknown;
      seen.push({ url: req.url, auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      (routes[req.url ?? ''] ?? routes['/down']!)(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The hook the worker would build from these environment variables. */
const classifierFromEnv = (env: Env) => classifierFromSettings(loadConfig(env));

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
    const refined = await refineTriage(post, rules, httpClassifier({ url: `${base}/complaint`, token: 's3cret', timeoutMs: 2_000 }));
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
    const refined = await refineTriage(post, rules, httpClassifier({ url: `${base}/garbage`, timeoutMs: 2_000 }));
    expect(refined).toMatchObject({ intent: rules.intent, sentiment: rules.sentiment, relevant: rules.relevant });
    expect(refined.signals).toContain('classifier:ignored intent, sentiment, relevant');
  });

  it('keeps the rules when the service fails or is too slow', async () => {
    const rules = triagePost(post, ctx);
    const down = await refineTriage(post, rules, httpClassifier({ url: `${base}/down`, timeoutMs: 2_000 }));
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

describe('the assessPost activity with HEARKEN_CLASSIFIER_URL', () => {
  const POLICIES = path.resolve(import.meta.dirname, '../../policies');
  const nowhere: ChannelAdapter = {
    name: 'nowhere',
    publish: () => Promise.reject(new Error('assessPost publishes nothing')),
  };
  let packs: PackStore;
  beforeAll(async () => {
    packs = await PackStore.open(POLICIES);
  });
  afterAll(async () => {
    await packs?.close();
  });

  /** assessPost as the worker runs it with these environment variables (through the config module, like src/runtime/service.ts). */
  function assessPostWith(env: Env, p: Post = post): Promise<Assessment> {
    const activities = createActivities({ packs, channel: nowhere, notifier: new Notifier(tempDir('notify')), triage: loadConfig(env) });
    return new MockActivityEnvironment().run<[AssessInput], Assessment, Activities['assessPost']>(activities.assessPost, {
      interactionId: `twitter:${p.id}`,
      post: p,
    });
  }
  const rulesOnly = (p: Post = post) => assess(packs.current(), packs.compiled(), p);

  it("unset: the rules' triage and plan, exactly what the CLI shows", async () => {
    const before = seen.length;
    expect(await assessPostWith({})).toEqual({ ...rulesOnly(), fromUs: false });
    expect(seen.length).toBe(before);
  });

  it("the model's answer decides the triage, and so the policy; signals name the classifier", async () => {
    expect(rulesOnly()).toMatchObject({ triage: { intent: 'other' }, plan: { policy: { id: 'addressed-default' } } });
    const result = await assessPostWith({ HEARKEN_CLASSIFIER_URL: `${base}/model`, HEARKEN_CLASSIFIER_TOKEN: 'k3y' });
    expect(result.triage).toMatchObject({ intent: 'complaint', sentiment: { score: -0.6, label: 'negative' }, addressedToUs: true });
    expect(result.triage.signals).toEqual([...rulesOnly().triage.signals!, `classifier:${base} set intent, sentiment`]);
    expect(result.plan.policy.id).toBe('customer-complaint');
    // The model was asked with the rules' triage and the token, about this post only.
    expect(seen.at(-1)).toMatchObject({
      url: '/model',
      auth: 'Bearer k3y',
      body: { post: { id: 'k1', text: post.text }, triage: { intent: 'other' } },
    });
  });

  it('a model that fails leaves the decision to the rules, and the signals say why', async () => {
    const result = await assessPostWith({ HEARKEN_CLASSIFIER_URL: `${base}/crashed` });
    const rules = rulesOnly();
    expect(result.plan).toEqual(rules.plan);
    expect(result.triage).toEqual({
      ...rules.triage,
      signals: [...rules.triage.signals!, `classifier:unavailable (${base}: HTTP 500); rules kept`],
    });
  });

  it('a model that does not answer in time leaves the decision to the rules after HEARKEN_CLASSIFIER_TIMEOUT_MS', async () => {
    const started = Date.now();
    const result = await assessPostWith({ HEARKEN_CLASSIFIER_URL: `${base}/hangs`, HEARKEN_CLASSIFIER_TIMEOUT_MS: '200' });
    expect(Date.now() - started).toBeLessThan(2_000); // the model would take 5 s
    expect(result.plan).toEqual(rulesOnly().plan);
    expect(result.triage.intent).toBe('other');
    expect(result.triage.signals?.at(-1)).toBe(`classifier:unavailable (${base}: no answer within 200 ms); rules kept`);
  });

  it('a classifier that is not listening at all is one more failure, not an activity error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await assessPostWith({ HEARKEN_CLASSIFIER_URL: `${url}/classify` });
    expect(result.plan).toEqual(rulesOnly().plan);
    expect(result.triage.signals?.at(-1)).toBe(`classifier:unavailable (${url}: fetch failed (ECONNREFUSED)); rules kept`);
  });

  it('the reach thresholds of HEARKEN_REACH_THRESHOLDS reach the triage', async () => {
    const famous: Post = { ...post, id: 'k2', author: { handle: 'jane', followers: 50 } };
    expect(rulesOnly(famous).triage.reach).toBe('low');
    expect((await assessPostWith({ HEARKEN_REACH_THRESHOLDS: '10,40' }, famous)).triage.reach).toBe('high');
  });
});
