// Signed webhooks over HTTP (Standard Webhooks): an inbound delivery is
// verified (headers, HMAC over id.timestamp.body of the raw body, 5 minutes
// tolerance, several signatures and secrets during a rotation) and captured
// once however often it is redelivered; the reply goes out to the source's
// reply URL, signed the same way with webhook-id = the reply's idempotency
// key, and is retried with backoff until the receiver takes it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { eventually, getJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';

const run = temporalAvailable() ? describe : describe.skip;
const BASIC = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const OLD_SECRET = `whsec_${Buffer.from('the old secret, still accepted').toString('base64')}`;
const SECRET = `whsec_${Buffer.from('inbound secret of the x bridge').toString('base64')}`;
const REPLY_SECRET = `whsec_${Buffer.from('secret the replies are signed with').toString('base64')}`;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

run('signed webhooks in and out', () => {
  let server: DevServer;
  let svc: TestService;
  let receiver: http.Server;
  const received: Received[] = [];
  let failNext = 0;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const status = failNext > 0 ? (failNext--, 503) : 200;
        received.push({ headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? JSON.stringify({ messageId: `x-${received.length}` }) : '{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const replyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/replies`;
    process.env.HEARKEN_TEST_X_SECRET = `${SECRET} ${OLD_SECRET}`;
    process.env.HEARKEN_TEST_X_REPLY_URL = replyUrl;
    process.env.HEARKEN_TEST_X_REPLY_SECRET = REPLY_SECRET;
    const pack = tempDir('webhook-pack');
    fs.cpSync(BASIC, pack, { recursive: true });
    fs.writeFileSync(
      path.join(pack, 'accounts.yaml'),
      `accounts:
  - channel: twitter
    handle: sprintcare
  - id: x
    channel: x
    handle: sprintcare
    webhook: { secret: "\${HEARKEN_TEST_X_SECRET}", replyUrl: "\${HEARKEN_TEST_X_REPLY_URL}", replySecret: "\${HEARKEN_TEST_X_REPLY_SECRET}" }
brand:
  names: [Sprint]
`,
    );
    const [s, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    server = s;
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: pack });
  });

  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
    await new Promise<void>((r) => receiver?.close(() => r()));
    delete process.env.HEARKEN_TEST_X_SECRET;
    delete process.env.HEARKEN_TEST_X_REPLY_URL;
    delete process.env.HEARKEN_TEST_X_REPLY_SECRET;
  });

  const delivery = (id: string, text: string) =>
    JSON.stringify({
      type: 'post.created',
      timestamp: new Date().toISOString(),
      data: { channel: 'x', id, author: { id: `u-${id}`, handle: 'jane', name: 'Jane' }, text, createdAt: new Date().toISOString() },
    });
  const send = async (body: string, headers: Record<string, string>, source = 'x') => {
    const res = await fetch(`${svc.url}/v1/channels/webhook/${source}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') };
  };
  const signed = (secret: string, msgId: string, body: string, at = new Date()) => ({
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(msgId, at, body),
  });

  it('a signed delivery is captured, and the reply is POSTed signed, with webhook-id = its idempotency key, retried until accepted', async () => {
    failNext = 2;
    const body = delivery('w1', '@sprintcare my order never arrived');
    const res = await send(body, signed(SECRET, 'msg_w1', body));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ interactionId: 'x:w1', postId: 'w1', duplicate: false });
    const attempts = await eventually(
      async () => {
        const r = received.filter((x) => x.body.includes('"interactionId":"x:w1"'));
        return r.some((x) => x.status === 200) ? r : null;
      },
      30_000,
      'the reply accepted by the receiver',
    );
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    const ids = new Set(attempts.map((a) => a.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const last = attempts[2]!;
    const payload = new Webhook(REPLY_SECRET).verify(last.body, last.headers as Record<string, string>) as any;
    expect(payload).toMatchObject({ type: 'reply.created', data: { account: 'x', interactionId: 'x:w1', channel: 'x', inReplyTo: 'w1' } });
    expect(last.headers['webhook-id']).toBe(payload.data.idempotencyKey);
    const state = await eventually(async () => {
      const s = await getJson(`${svc.url}/v1/interactions/x:w1`);
      return s.body?.replies?.length === 1 ? s.body : null;
    });
    expect(state.replies[0]).toMatchObject({ messageId: 'x-3', channel: 'webhook:x' });
  });

  it('a redelivery with the same id is one post and gets no second reply', async () => {
    const body = delivery('w2', '@sprintcare hello?');
    const first = await send(body, signed(SECRET, 'msg_w2', body));
    const again = await send(body, signed(SECRET, 'msg_w2', body));
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    await eventually(async () => received.some((x) => x.body.includes('"interactionId":"x:w2"') && x.status === 200));
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((x) => x.body.includes('"interactionId":"x:w2"'))).toHaveLength(1);
    expect((await getJson(`${svc.url}/v1/interactions/x:w2`)).body.posts).toHaveLength(1);
  });

  it('during a rotation, a delivery signed with the old secret, or carrying several signatures, verifies', async () => {
    const body = delivery('w3', '@sprintcare rotated');
    expect((await send(body, signed(OLD_SECRET, 'msg_w3', body))).status).toBe(202);
    const body4 = delivery('w4', '@sprintcare two signatures');
    const unknown = signed(`whsec_${Buffer.from('some other key').toString('base64')}`, 'msg_w4', body4);
    const good = signed(SECRET, 'msg_w4', body4);
    const res = await send(body4, { ...good, 'webhook-signature': `${unknown['webhook-signature']} ${good['webhook-signature']}` });
    expect(res.status).toBe(202);
  });

  it('refuses a wrong signature, a changed body, a stale timestamp and missing headers with 401; captures nothing', async () => {
    const body = delivery('w5', '@sprintcare forged');
    const wrongKey = await send(body, signed(`whsec_${Buffer.from('forger').toString('base64')}`, 'msg_w5', body));
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.type).toMatch(/application\/problem\+json/);
    expect(wrongKey.body.detail).toBe('No matching signature found');
    const changed = await send(body.replace('forged', 'changed'), signed(SECRET, 'msg_w5', body));
    expect(changed.status).toBe(401);
    const stale = await send(body, signed(SECRET, 'msg_w5', body, new Date(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toBe('Message timestamp too old');
    const bare = await send(body, {});
    expect(bare.status).toBe(401);
    expect(bare.body.detail).toBe('Missing required headers');
    expect((await getJson(`${svc.url}/v1/interactions/x:w5`)).status).toBe(404);
  });

  it('an unknown source is 404, a post of another channel 422, a bad post 400 naming the field', async () => {
    const body = delivery('w6', 'hi');
    expect((await send(body, signed(SECRET, 'msg_w6', body), 'nope')).status).toBe(404);
    const other = body.replace('"channel":"x"', '"channel":"twitter"');
    const wrongChannel = await send(other, signed(SECRET, 'msg_w6b', other));
    expect(wrongChannel.status).toBe(422);
    const bad = JSON.stringify({ channel: 'x', id: 'w7', author: {}, createdAt: 'yesterday' });
    const invalid = await send(bad, signed(SECRET, 'msg_w7', bad));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).join(' ')).toMatch(/text/);
  });
});
