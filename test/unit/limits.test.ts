import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { captureRateLimit, decisionRateLimit, securityHeaders } from '../../src/api/http/limits';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(app: express.Express): Promise<string> {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('securityHeaders', () => {
  it('sends the headers a JSON API wants: nothing to render, nothing to cache, nothing to sniff', async () => {
    const app = express();
    app.use(securityHeaders());
    app.get('/x', (_req, res) => {
      res.json({ ok: true });
    });
    const res = await fetch(`${await serve(app)}/x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});

describe('rate limits', () => {
  it('capture: the request over the limit gets 429 problem+json with Retry-After and RateLimit headers', async () => {
    const app = express();
    app.post('/v1/posts', captureRateLimit(3), (_req, res) => {
      res.status(202).json({});
    });
    const url = `${await serve(app)}/v1/posts`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url, { method: 'POST' })).status);
    expect(statuses).toEqual([202, 202, 202]);
    const limited = await fetch(url, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toMatch(/^"capture"; q=3; w=60; pk=:/);
    expect(limited.headers.get('ratelimit')).toMatch(/^"capture"; r=0; t=\d+$/);
    expect(await limited.json()).toMatchObject({ type: 'about:blank', title: 'Too Many Requests', status: 429, instance: '/v1/posts' });
  });

  it('capture is generous by default', async () => {
    const app = express();
    app.post('/v1/posts', captureRateLimit(), (_req, res) => {
      res.status(202).json({});
    });
    const res = await fetch(`${await serve(app)}/v1/posts`, { method: 'POST' });
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"capture"; q=6000; w=60;/);
  });

  it('decisions: counted per authenticated user, so one busy user does not block another', async () => {
    const app = express();
    app.post(
      '/decide',
      (req, res, next) => {
        const name = req.get('x-user');
        if (name) res.locals.user = { name, teams: {} };
        next();
      },
      decisionRateLimit(2),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    const url = `${await serve(app)}/decide`;
    const as = (user: string) => fetch(url, { method: 'POST', headers: { 'x-user': user } }).then((r) => r.status);
    expect([await as('carla'), await as('carla'), await as('carla')]).toEqual([200, 200, 429]);
    expect(await as('lena')).toBe(200);
    // No user: the client's IP is the key.
    const anon = () => fetch(url, { method: 'POST' }).then((r) => r.status);
    expect([await anon(), await anon(), await anon()]).toEqual([200, 200, 429]);
  });

  it('defaults to 30 decisions a minute and refuses a nonsensical limit', async () => {
    const app = express();
    app.post('/decide', decisionRateLimit(), (_req, res) => {
      res.json({});
    });
    const res = await fetch(`${await serve(app)}/decide`, { method: 'POST' });
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"decision"; q=30; w=60;/);
    expect(() => captureRateLimit(0)).toThrow(/at least 1/);
    expect(() => decisionRateLimit(1.5)).toThrow(/whole number/);
  });
});
