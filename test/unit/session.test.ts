// The care desk's session: a signed, stateless cookie that any API process
// with the same secret accepts, re-checked against the tokens file on every
// request, and CSRF protection for what it may change. Through the real
// express app, without Temporal (no route here reaches it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createApp } from '../../src/api/app';
import { hashToken, TokenStore } from '../../src/api/auth';
import { ensureSessionSecret, readCookie, SessionCodec } from '../../src/api/auth/session';
import type { AppDeps } from '../../src/api/deps';
import { listenApi } from '../../src/api/http/server';
import { createLogger } from '../../src/runtime/logger';

const SECRET = 'x'.repeat(40);
const carla = { name: 'carla', token: 'hk_carla-agent-token', teams: { 'customer-care': 'agent' as const } };
const vera = { name: 'vera', token: 'hk_vera-viewer-token', teams: { billing: 'viewer' as const } };

describe('SessionCodec', () => {
  const codec = new SessionCodec(SECRET, 60_000);
  const sha = hashToken(carla.token);

  it('issues a cookie it verifies, naming the token by its sha256, until it expires', () => {
    const { cookie, csrfToken, claims } = codec.issue(sha, 1_000);
    expect(cookie).not.toContain(carla.token);
    expect(codec.verify(cookie, 2_000)).toEqual(claims);
    expect(claims.tokenSha256).toBe(sha);
    expect(codec.verify(cookie, 61_000)).toBeNull();
    expect(codec.checkCsrf(claims, csrfToken)).toBe(true);
    expect(codec.checkCsrf(claims, undefined)).toBe(false);
    expect(codec.checkCsrf(codec.issue(sha, 1_000).claims, csrfToken)).toBe(false);
  });

  it('refuses a changed cookie and one signed with another secret', () => {
    const { cookie } = codec.issue(sha, 1_000);
    const [v, payload, sig] = cookie.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ t: hashToken('other'), s: 'x', e: 9e15 })).toString('base64url');
    expect(codec.verify(`${v}.${forged}.${sig}`, 2_000)).toBeNull();
    expect(codec.verify(`${v}.${payload}.${sig.slice(0, -2)}AA`, 2_000)).toBeNull();
    expect(new SessionCodec('y'.repeat(40)).verify(cookie, 2_000)).toBeNull();
    expect(codec.verify('garbage', 2_000)).toBeNull();
    expect(() => new SessionCodec('short')).toThrow(/32 bytes/);
  });

  it('reads one cookie of a Cookie header', () => {
    expect(readCookie('a=1; hearken_session=v1.x.y; b=2', 'hearken_session')).toBe('v1.x.y');
    expect(readCookie('a=1', 'hearken_session')).toBeUndefined();
    expect(readCookie(undefined, 'hearken_session')).toBeUndefined();
  });

  it('keeps the generated secret in the data folder: every process that shares it gets the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-secret-'));
    const [a, b] = await Promise.all([ensureSessionSecret(dir), ensureSessionSecret(dir)]);
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('session over HTTP', () => {
  let dir: string;
  let tokensFile: string;
  const servers: Server[] = [];
  let urlA: string;
  let urlB: string;
  let tokens: TokenStore;

  const writeTokens = (users: Array<typeof carla | typeof vera>) =>
    fs.writeFileSync(
      tokensFile,
      stringify({ users: users.map((u) => ({ name: u.name, tokenSha256: hashToken(u.token), teams: u.teams })) }),
    );

  async function start(store: TokenStore, secret: string): Promise<string> {
    const deps = {
      client: {},
      packs: {},
      tokens: store,
      sessions: new SessionCodec(secret),
      logger: createLogger('silent'),
      namespace: 'default',
      taskQueue: 'q',
      idleCloseMs: 1,
      maxHistoryEvents: 5000,
      captureRatePerMinute: 1000,
      captureTimeoutMs: 4000,
      temporalTimeoutMs: 10_000,
      dedupMs: 0,
      authFailureLimit: 3,
    };
    const server = await listenApi(createApp(deps as unknown as AppDeps), 0, '127.0.0.1');
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-session-'));
    tokensFile = path.join(dir, 'tokens.yaml');
    writeTokens([carla, vera]);
    tokens = await TokenStore.load(tokensFile);
    // Two API processes sharing the secret and the tokens file (issue 15: nothing assumes one host).
    urlA = await start(tokens, SECRET);
    urlB = await start(await TokenStore.load(tokensFile), SECRET);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const login = async (url: string, token: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token }),
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { status: res.status, body: (await res.json()) as any, setCookie, cookie: setCookie.split(';')[0]! };
  };

  it('logs in with a token: an HttpOnly, SameSite=Strict cookie and a CSRF token; the cookie then works on the other process', async () => {
    const res = await login(urlA, carla.token);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ name: 'carla', role: 'agent', teams: { 'customer-care': 'agent' } });
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.setCookie).toMatch(/^hearken_session=v1\./);
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Strict/i);
    expect(res.setCookie).toMatch(/Path=\//);
    expect(res.setCookie).not.toMatch(/Secure/); // plain HTTP here
    expect(res.setCookie).not.toContain(carla.token);
    const me = await fetch(`${urlB}/v1/session`, { headers: { cookie: res.cookie } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as any;
    expect(body.user.name).toBe('carla');
    expect(body.csrfToken).toBe(res.body.csrfToken);
  });

  it('answers a wrong token with 401 and counts it toward the failed-authentication limit; an ingest-less viewer logs in too', async () => {
    const bad = await login(urlB, 'hk_wrong');
    expect(bad.status).toBe(401);
    expect(bad.setCookie).toBe('');
    expect((await login(urlB, vera.token)).body.user.role).toBe('viewer');
    expect((await login(urlB, 'hk_wrong2')).status).toBe(401);
    expect((await login(urlB, 'hk_wrong3')).status).toBe(401);
    // Three failures: this client is blocked on that process, the right token included.
    expect((await login(urlB, carla.token)).status).toBe(429);
  });

  it('needs the CSRF token on a state-changing request authenticated by the cookie, not on a bearer one', async () => {
    const { cookie, body } = await login(urlA, carla.token);
    const decide = (headers: Record<string, string>) =>
      fetch(`${urlA}/v1/escalations/twitter:1/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({}),
      });
    const without = await decide({ cookie });
    expect(without.status).toBe(403);
    expect(((await without.json()) as any).reason).toBe('csrf');
    expect((await decide({ cookie, 'x-csrf-token': 'wrong' })).status).toBe(403);
    // Past the gate: the body is then refused (422), which needs no Temporal.
    expect((await decide({ cookie, 'x-csrf-token': body.csrfToken })).status).toBe(422);
    expect((await decide({ cookie, 'x-csrf-token': body.csrfToken, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await decide({ cookie, 'x-csrf-token': body.csrfToken, origin: 'https://evil.example' })).status).toBe(403);
    expect((await decide({ cookie, 'x-csrf-token': body.csrfToken, origin: urlA })).status).toBe(422);
    expect((await decide({ authorization: `Bearer ${carla.token}` })).status).toBe(422);
    // A cross-site login is refused as well.
    expect((await login(urlA, carla.token, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('keeps the roles of the token: a viewer session reads but does not decide', async () => {
    const { cookie, body } = await login(urlA, vera.token);
    const res = await fetch(`${urlA}/v1/escalations/twitter:1/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken },
      body: JSON.stringify({ decision: 'reject' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).detail).toMatch(/viewer/);
  });

  it('logs out (204, cookie cleared; a live session needs its CSRF token), and a revoked token ends its sessions at once', async () => {
    const { cookie, body } = await login(urlA, carla.token);
    expect((await fetch(`${urlA}/v1/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    const out = await fetch(`${urlA}/v1/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': body.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^hearken_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await fetch(`${urlA}/v1/session`, { method: 'DELETE' })).status).toBe(204);

    const again = await login(urlA, carla.token);
    expect((await fetch(`${urlA}/v1/session`, { headers: { cookie: again.cookie } })).status).toBe(200);
    writeTokens([vera]);
    await tokens.reload();
    const revoked = await fetch(`${urlA}/v1/session`, { headers: { cookie: again.cookie } });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as any).detail).toMatch(/log in again/);
    expect((await fetch(`${urlA}/v1/session`, { headers: { cookie: 'hearken_session=v1.forged.sig' } })).status).toBe(401);
  });
});
