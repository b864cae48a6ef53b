import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import {
  accessControl,
  decisionRole,
  ensureTokensFile,
  FailedAuthLimit,
  hashToken,
  isLoopbackHost,
  LastUsedLog,
  lastUsedFileFor,
  readLastUsed,
  roleIn,
  TokensFileError,
  TokenStore,
  type Access,
  type AccessLocals,
  type AccessOptions,
  type User,
} from '../../src/api/auth';
import { forgetLastUsed } from '../../src/api/auth/last-used';
import { HttpProblem, problemMiddleware } from '../../src/api/http/problem';

const carla = { name: 'carla', token: 'tok-carla', teams: { 'customer-care': 'agent' as const } };
const lena = { name: 'lena', token: 'tok-lena', teams: { 'customer-care': 'lead' as const, billing: 'agent' as const } };
const root = { name: 'root', token: 'tok-root', teams: { '*': 'lead' as const } };
const entry = (u: { name: string; token: string; teams: User['teams'] }) => ({
  name: u.name,
  tokenSha256: hashToken(u.token),
  teams: u.teams,
});

let dir: string;
let store: TokenStore | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-auth-'));
});

afterEach(() => {
  store?.close();
  store = undefined;
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The message of the error loading `file` (fails the test when it loads). */
async function loadError(file: string): Promise<string> {
  const result = await TokenStore.load(file).then(
    (loaded) => {
      loaded.close();
      return null;
    },
    (err: unknown) => (err as Error).message,
  );
  if (result === null) throw new Error(`${file} loaded`);
  return result;
}

const usersYaml = (...users: Array<{ name: string; token: string; teams: User['teams'] }>) =>
  `users:\n${users
    .map(
      (u) =>
        `  - name: ${u.name}\n    tokenSha256: ${hashToken(u.token)}\n    teams:\n${Object.entries(u.teams)
          .map(([t, r]) => `      "${t}": ${r}`)
          .join('\n')}`,
    )
    .join('\n')}\n`;

describe('hashToken', () => {
  it('is the sha256 of the token in lower-case hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('hk_ünïcode')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('TokenStore.authenticate', () => {
  beforeEach(() => {
    store = TokenStore.fromUsers([entry(carla), entry(lena)]);
  });

  it('knows a user by the bearer token, whatever the case of the scheme', () => {
    expect(store!.authenticate('Bearer tok-carla')).toEqual({ name: 'carla', teams: { 'customer-care': 'agent' } });
    expect(store!.authenticate('bearer tok-lena')?.name).toBe('lena');
    expect(store!.authenticate('BEARER \t tok-lena  ')?.name).toBe('lena');
  });

  it('knows nobody without a header, with a wrong token, or with a malformed header', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'tok-carla',
      'Basic dG9rLWNhcmxh',
      'Bearer tok-carla extra',
      'Bearer tok-carlа',
      'Bearertok-carla',
      'Bearer TOK-CARLA',
      `Bearer ${hashToken('tok-carla')}`,
    ]) {
      expect(store!.authenticate(header), String(header)).toBeNull();
    }
  });

  it('hands out a copy: changing it does not grant anything', () => {
    const user = store!.authenticate('Bearer tok-carla')!;
    user.teams.billing = 'lead';
    expect(store!.authenticate('Bearer tok-carla')!.teams).toEqual({ 'customer-care': 'agent' });
  });

  it('compares the token with every user in constant time, with no early exit on a match', () => {
    const many = TokenStore.fromUsers([entry(carla), entry(lena), entry(root)]);
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    expect(many.authenticate('Bearer tok-carla')?.name).toBe('carla');
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockClear();
    expect(many.authenticate('Bearer nope')).toBeNull();
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('refuses users that share a name or a token', () => {
    expect(() => TokenStore.fromUsers([entry(carla), { ...entry(lena), name: 'carla' }])).toThrow(
      /users\[1\]\.name: "carla" is already users\[0\]/,
    );
    expect(() => TokenStore.fromUsers([entry(carla), { ...entry(lena), tokenSha256: hashToken(carla.token).toUpperCase() }])).toThrow(
      /the same token as users\[0\]/,
    );
    expect(() => TokenStore.fromUsers([{ ...entry(carla), tokenSha256: 'tok-carla' }])).toThrow(/64 hex digits/);
  });
});

describe('TokenStore.load', () => {
  it('loads users from YAML; only hashes are in the file', async () => {
    const file = writeFile('tokens.yaml', usersYaml(carla, root));
    store = await TokenStore.load(file);
    expect(store.authenticate('Bearer tok-carla')?.name).toBe('carla');
    expect(store.authenticate('Bearer tok-root')).toEqual({ name: 'root', teams: { '*': 'lead' } });
  });

  it('reports every problem of a bad file as file:line:col: message', async () => {
    const file = writeFile(
      'tokens.yaml',
      [
        'users:',
        '  - name: carla',
        '    tokenSha256: not-a-hash',
        '    teams:',
        '      customer-care: boss',
        '    token: tok-carla',
        '  - name: lena',
        '    teams: {}',
      ].join('\n'),
    );
    const err = await TokenStore.load(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokensFileError);
    const lines = (err as Error).message.split('\n').slice(1);
    expect(lines).toEqual([
      `${file}:3:18: users[0].tokenSha256 must be the sha256 of the token: 64 hex digits, got "not-a-hash"`,
      `${file}:5:22: users[0].teams.customer-care must be one of viewer, agent, lead, admin, got "boss"`,
      `${file}:6:5: users[0]: unknown property "token"; expected one of name, tokenSha256, teams, created, expires`,
      `${file}:7:5: users[1]: missing required property "tokenSha256"`,
      `${file}:8:12: users[1].teams must have at least 1 entries`,
    ]);
    expect((err as Error).message).not.toContain('tok-carla');
  });

  it('reports YAML syntax errors, duplicates and a bad team id with their positions', async () => {
    const syntax = writeFile('syntax.yaml', 'users:\n  - name: carla\n   tokenSha256: x\n');
    expect(await loadError(syntax)).toMatch(new RegExp(`${syntax}:3:\\d+: `));
    const dup = writeFile('dup.yaml', usersYaml(carla, { ...lena, name: 'carla' }));
    expect(await loadError(dup)).toContain(`${dup}:6:11: users[1].name: "carla" is already users[0]`);
    const team = writeFile(
      'team.yaml',
      'users:\n  - name: x\n    tokenSha256: ' + hashToken('x') + '\n    teams:\n      Customer Care: agent\n',
    );
    expect(await loadError(team)).toContain(
      `${team}:5:7: users[0].teams: key "Customer Care" must be a team id (kebab-case, like customer-care) or * for every team`,
    );
    const missing = path.join(dir, 'nope.yaml');
    expect(await loadError(missing)).toContain(`${missing}:1:1: file not found`);
    const empty = writeFile('empty.yaml', '');
    expect(await loadError(empty)).toMatch(/empty\.yaml:1:1: the file must be a mapping/);
  });

  it('a reload with a bad file keeps the previous users; a good one replaces them', async () => {
    const file = writeFile('tokens.yaml', usersYaml(carla));
    store = await TokenStore.load(file);
    fs.writeFileSync(file, 'users:\n  - name: lena\n');
    const failure = store.reload();
    await expect(failure).rejects.toThrow(/tokens\.yaml:2:5: users\[0\]: missing required property "tokenSha256"/);
    await expect(failure).rejects.toBeInstanceOf(TokensFileError);
    expect(store.authenticate('Bearer tok-carla')?.name).toBe('carla');
    fs.writeFileSync(file, usersYaml(lena));
    await expect(store.reload()).resolves.toBeUndefined();
    expect(store.authenticate('Bearer tok-carla')).toBeNull();
    expect(store.authenticate('Bearer tok-lena')?.name).toBe('lena');
  });

  it('watch() picks up an edited file, and reports a bad edit without losing the users', async () => {
    const file = writeFile('tokens.yaml', usersYaml(carla));
    store = await TokenStore.load(file);
    const events: Array<{ ok: boolean }> = [];
    store.watch((e) => events.push(e));
    fs.writeFileSync(file, usersYaml(carla, lena));
    await vi.waitFor(() => expect(store!.authenticate('Bearer tok-lena')?.name).toBe('lena'), { timeout: 5_000 });
    fs.writeFileSync(file, 'users: [');
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ ok: false }), { timeout: 5_000 });
    expect(store.authenticate('Bearer tok-lena')?.name).toBe('lena');
  });

  it("watch() picks up an editor's save by rename (a temporary file renamed over the tokens file)", async () => {
    const file = writeFile('tokens.yaml', usersYaml(carla));
    store = await TokenStore.load(file);
    store.watch();
    writeFile('.tokens.yaml.swp', usersYaml(lena));
    fs.renameSync(path.join(dir, '.tokens.yaml.swp'), file);
    await vi.waitFor(() => expect(store!.authenticate('Bearer tok-lena')?.name).toBe('lena'), { timeout: 5_000 });
    expect(store.authenticate('Bearer tok-carla')).toBeNull();
  });

  it('watch() survives the file, and then its folder, being deleted and created again', async () => {
    const file = writeFile('tokens.yaml', usersYaml(carla));
    store = await TokenStore.load(file);
    const events: Array<{ ok: boolean }> = [];
    store.watch((e) => events.push(e));

    fs.rmSync(file);
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ ok: false }), { timeout: 5_000 });
    expect(store.authenticate('Bearer tok-carla')?.name).toBe('carla');
    writeFile('tokens.yaml', usersYaml(lena));
    await vi.waitFor(() => expect(store!.authenticate('Bearer tok-lena')?.name).toBe('lena'), { timeout: 5_000 });

    fs.rmSync(dir, { recursive: true });
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ ok: false }), { timeout: 5_000 });
    fs.mkdirSync(dir);
    writeFile('tokens.yaml', usersYaml(root));
    await vi.waitFor(() => expect(store!.authenticate('Bearer tok-root')?.name).toBe('root'), { timeout: 5_000 });
    expect(store.authenticate('Bearer tok-lena')).toBeNull();
  });
});

describe('roles', () => {
  it('viewer < agent < lead < admin: the higher of the role in the team and the * role counts', () => {
    expect(roleIn({ name: 'v', teams: { 'customer-care': 'viewer' } }, 'customer-care')).toBe('viewer');
    expect(roleIn({ name: 'v', teams: { '*': 'viewer', billing: 'agent' } }, 'billing')).toBe('agent');
    expect(roleIn({ name: 'v', teams: { '*': 'viewer', billing: 'agent' } }, 'security')).toBe('viewer');
    expect(roleIn({ name: 'a', teams: { '*': 'admin', billing: 'viewer' } }, 'billing')).toBe('admin');
    expect(roleIn({ name: 'a', teams: { billing: 'admin' } }, 'security')).toBeNull();
  });

  it('a viewer cannot decide, an agent cannot reassign, a lead and an admin can; nobody decides outside their teams', () => {
    const decide = (teams: User['teams'], decision = 'approve', team = 'customer-care') => {
      try {
        return decisionRole({ name: 'u', teams }, team, decision);
      } catch (err) {
        expect(err).toBeInstanceOf(HttpProblem);
        return `${(err as HttpProblem).status} ${(err as HttpProblem).detail}`;
      }
    };
    expect(decide({ 'customer-care': 'viewer' })).toBe('403 u is a viewer in team customer-care: viewers do not decide');
    expect(decide({ billing: 'lead' })).toBe('403 u is not in team customer-care');
    expect(decide({ 'customer-care': 'agent' })).toBe('agent');
    expect(decide({ 'customer-care': 'agent' }, 'reject')).toBe('agent');
    expect(decide({ 'customer-care': 'agent' }, 'reassign')).toBe('403 reassigning needs the lead role in team customer-care');
    expect(decide({ 'customer-care': 'lead' }, 'reassign')).toBe('lead');
    expect(decide({ '*': 'admin' }, 'reassign')).toBe('admin');
    expect(decide({ '*': 'viewer', 'customer-care': 'agent' })).toBe('agent');
  });

  it('gives the role in the team, or the * role, the higher of the two', () => {
    expect(roleIn({ name: 'c', teams: { 'customer-care': 'agent' } }, 'customer-care')).toBe('agent');
    expect(roleIn({ name: 'c', teams: { 'customer-care': 'agent' } }, 'billing')).toBeNull();
    expect(roleIn({ name: 'r', teams: { '*': 'lead' } }, 'billing')).toBe('lead');
    expect(roleIn({ name: 'm', teams: { '*': 'agent', billing: 'lead' } }, 'billing')).toBe('lead');
    expect(roleIn({ name: 'm', teams: { '*': 'lead', billing: 'agent' } }, 'billing')).toBe('lead');
    expect(roleIn({ name: 'm', teams: { '*': 'agent' } }, 'duty-manager')).toBe('agent');
    expect(roleIn({ name: 'x', teams: { billing: 'lead' } }, 'constructor')).toBeNull();
    expect(roleIn({ name: 'x', teams: { billing: 'lead' } }, '__proto__')).toBeNull();
  });
});

describe('TokenStore.identify: people and connectors', () => {
  const ingest = { name: 'bluesky', tokenSha256: hashToken('tok-ingest') };

  it("tells a person's token from a connector's, and says why nobody is known", () => {
    const tokens = TokenStore.fromUsers([entry(carla)], [ingest]);
    expect(tokens.identify('Bearer tok-carla')).toEqual({
      kind: 'user',
      user: { name: 'carla', teams: { 'customer-care': 'agent' } },
      tokenSha256: hashToken('tok-carla'),
    });
    expect(tokens.identify('Bearer tok-ingest')).toEqual({
      kind: 'ingest',
      connector: { name: 'bluesky' },
      tokenSha256: hashToken('tok-ingest'),
    });
    expect(tokens.identify(undefined)).toEqual({ kind: 'none', reason: 'missing' });
    expect(tokens.identify('Basic x')).toEqual({ kind: 'none', reason: 'malformed' });
    expect(tokens.identify('')).toEqual({ kind: 'none', reason: 'malformed' });
    expect(tokens.identify('Bearer nope')).toEqual({ kind: 'none', reason: 'unknown' });
    // authenticate() knows people only: an ingest token is nobody there.
    expect(tokens.authenticate('Bearer tok-ingest')).toBeNull();
    expect(tokens.hasIngestTokens()).toBe(true);
    expect(TokenStore.fromUsers([entry(carla)]).hasIngestTokens()).toBe(false);
  });

  it('an expired token is known as expired, from its expiry instant on', () => {
    const tokens = TokenStore.fromUsers(
      [{ ...entry(carla), expires: '2026-06-01T00:00:00Z' }],
      [{ ...ingest, expires: '2026-06-01T02:00:00+02:00' }],
    );
    const before = Date.parse('2026-05-31T23:59:59Z');
    const at = Date.parse('2026-06-01T00:00:00Z');
    expect(tokens.identify('Bearer tok-carla', before).kind).toBe('user');
    expect(tokens.identify('Bearer tok-carla', at)).toEqual({ kind: 'none', reason: 'expired' });
    expect(tokens.identify('Bearer tok-ingest', before).kind).toBe('ingest');
    expect(tokens.identify('Bearer tok-ingest', at)).toEqual({ kind: 'none', reason: 'expired' });
    expect(TokenStore.fromUsers([{ ...entry(carla), expires: '2000-01-01T00:00:00Z' }]).authenticate('Bearer tok-carla')).toBeNull();
  });

  it('names and tokens are unique across people and connectors', () => {
    expect(() => TokenStore.fromUsers([entry(carla)], [{ ...ingest, name: 'carla' }])).toThrow(
      /ingest\[0\]\.name: "carla" is already users\[0\]/,
    );
    expect(() => TokenStore.fromUsers([entry(carla)], [{ ...ingest, tokenSha256: hashToken('tok-carla') }])).toThrow(
      /ingest\[0\]\.tokenSha256: the same token as users\[0\]/,
    );
  });

  it('loads ingest tokens, created and expires from the file, and checks them with positions', async () => {
    const good = writeFile(
      'tokens.yaml',
      `${usersYaml(carla)}    created: "2026-01-01T00:00:00Z"\ningest:\n  - name: bluesky\n    tokenSha256: ${hashToken('tok-ingest')}\n    expires: "2099-01-01T00:00:00Z"\n`,
    );
    store = await TokenStore.load(good);
    expect(store.list()).toEqual([
      {
        kind: 'user',
        name: 'carla',
        teams: { 'customer-care': 'agent' },
        created: '2026-01-01T00:00:00Z',
        expires: null,
        tokenSha256: hashToken('tok-carla'),
      },
      {
        kind: 'ingest',
        name: 'bluesky',
        teams: null,
        created: null,
        expires: '2099-01-01T00:00:00Z',
        tokenSha256: hashToken('tok-ingest'),
      },
    ]);
    const bad = writeFile(
      'bad.yaml',
      `users: []\ningest:\n  - name: bluesky\n    tokenSha256: ${hashToken('x')}\n    teams: { "*": lead }\n    expires: next week\n`,
    );
    expect(await loadError(bad)).toContain(
      [
        `${bad}:5:5: ingest[0]: unknown property "teams"; expected one of name, tokenSha256, created, expires`,
        `${bad}:6:14: ingest[0].expires must be a date and time in ISO 8601 with offset, like 2026-11-28T23:10:00+01:00, got "next week"`,
      ].join('\n'),
    );
  });
});

describe('isLoopbackHost', () => {
  it('is true for addresses only this machine reaches', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', 'hearken.local', '::ffff:10.0.0.1', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('the access gate', () => {
  const ingest = { name: 'bluesky', token: 'tok-ingest-1234567890' };
  const vera = { name: 'vera', token: 'tok-vera', teams: { '*': 'viewer' as const } };
  const old = { name: 'old', token: 'tok-old', teams: { '*': 'lead' as const } };
  const ROUTES: Record<string, Access> = { '/read': 'read', '/decide': 'decide', '/capture': 'ingest', '/open': 'none' };
  let servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    servers = [];
  });

  interface Served {
    url: string;
    lines: Array<Record<string, any>>;
    call: (p: string, token?: string) => Promise<{ status: number; body: any; headers: Headers }>;
  }

  async function serve(opts: Partial<AccessOptions> = {}, withIngest = true): Promise<Served> {
    const lines: Array<Record<string, any>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, any>) });
    const tokens =
      opts.tokens ??
      TokenStore.fromUsers(
        [entry(carla), entry(vera), { ...entry(old), expires: '2020-01-01T00:00:00Z' }],
        withIngest ? [{ name: ingest.name, tokenSha256: hashToken(ingest.token) }] : [],
      );
    const access = accessControl({ tokens, logger, ...opts });
    const app = express();
    for (const [p, auth] of Object.entries(ROUTES)) {
      const gate = access.gate({ operationId: `op${p.slice(1)}`, path: p, auth });
      app.post(p, ...(gate ? [gate] : []), (_req, res) => {
        const locals = res.locals as AccessLocals;
        res.json({ user: locals.user?.name ?? null, connector: locals.connector?.name ?? null });
      });
    }
    app.use(problemMiddleware(() => undefined));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (p: string, token?: string) => {
      const res = await fetch(url + p, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ text: 'a secret post text' }),
      });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    };
    return { url, lines, call };
  }

  it('read routes: 401 without a token, 200 for any person (a viewer too), 403 for an ingest token', async () => {
    const { call } = await serve();
    const anonymous = await call('/read');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="hearken"');
    expect(anonymous.body).toMatchObject({ status: 401, detail: 'send Authorization: Bearer <token>' });
    expect(await call('/read', vera.token)).toMatchObject({ status: 200, body: { user: 'vera' } });
    expect(await call('/read', carla.token)).toMatchObject({ status: 200, body: { user: 'carla' } });
    expect(await call('/read', ingest.token)).toMatchObject({
      status: 403,
      body: { detail: 'an ingest token captures posts (POST /v1/posts) and nothing else' },
    });
    expect(await call('/read', 'tok-nobody')).toMatchObject({ status: 401, body: { detail: 'the bearer token is not valid' } });
    expect(await call('/read', old.token)).toMatchObject({ status: 401, body: { detail: 'the bearer token has expired' } });
  });

  it('decision routes: a viewer gets 403, an agent passes, a connector gets 403', async () => {
    const { call } = await serve();
    expect((await call('/decide')).status).toBe(401);
    expect(await call('/decide', vera.token)).toMatchObject({
      status: 403,
      body: { detail: 'vera is a viewer: viewers read, they do not decide' },
    });
    expect(await call('/decide', carla.token)).toMatchObject({ status: 200, body: { user: 'carla' } });
    expect((await call('/decide', ingest.token)).status).toBe(403);
  });

  it("capture takes an ingest token, not a person's", async () => {
    const { call } = await serve({ loopbackOnly: true });
    expect(await call('/capture', ingest.token)).toMatchObject({ status: 200, body: { connector: 'bluesky' } });
    expect(await call('/capture', carla.token)).toMatchObject({
      status: 403,
      body: { detail: "capture takes a connector's ingest token, not a person's (hearken token add <name> --role ingest)" },
    });
    expect((await call('/capture', 'tok-nobody')).status).toBe(401);
    // Bound to loopback, but ingest tokens exist: capture needs one.
    expect(await call('/capture')).toMatchObject({
      status: 401,
      body: { detail: 'capture needs an ingest token once one exists (hearken token list): send Authorization: Bearer <ingest token>' },
    });
  });

  it('capture without a token only on loopback and while no ingest token exists (the quick start)', async () => {
    const local = await serve({ loopbackOnly: true }, false);
    expect(await local.call('/capture')).toMatchObject({ status: 200, body: { connector: 'anonymous (loopback)' } });
    // A token that is sent is checked all the same.
    expect((await local.call('/capture', 'tok-nobody')).status).toBe(401);
    expect((await local.call('/capture', carla.token)).status).toBe(403);
    // Reads never go without a token.
    expect((await local.call('/read')).status).toBe(401);
    const exposed = await serve({ loopbackOnly: false }, false);
    expect(await exposed.call('/capture')).toMatchObject({
      status: 401,
      body: { detail: 'capture needs an ingest token when the API listens beyond loopback: send Authorization: Bearer <ingest token>' },
    });
    const unset = await serve({}, false);
    expect((await unset.call('/capture')).status).toBe(401);
  });

  it('open routes need nothing', async () => {
    const { call } = await serve();
    expect(await call('/open')).toMatchObject({ status: 200, body: { user: null } });
    expect((await call('/open', 'garbage')).status).toBe(200);
  });

  it('60 wrong tokens in a row: the first N get 401, the rest 429 with Retry-After, a right token too', async () => {
    const limit = 5;
    const { call } = await serve({ authFailureLimit: limit });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await call('/read', `guess-${i}`)).status);
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
    expect(statuses.slice(limit)).toEqual(Array(60 - limit).fill(429));
    const blocked = await call('/read', carla.token);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(200);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    expect(blocked.body).toMatchObject({ title: 'Too Many Requests', detail: expect.stringMatching(/too many failed authentications/) });
    expect((await call('/capture', ingest.token)).status).toBe(429);
    // Routes that need no token are not blocked.
    expect((await call('/open')).status).toBe(200);
  });

  it('only failures count: many good requests at once, and missing headers, never reach the limit', async () => {
    const { call } = await serve({ authFailureLimit: 3 });
    const many = await Promise.all(Array.from({ length: 40 }, () => call('/read', carla.token)));
    expect(many.map((r) => r.status)).toEqual(Array(40).fill(200));
    for (let i = 0; i < 10; i++) expect((await call('/read')).status).toBe(401);
    expect((await call('/read', carla.token)).status).toBe(200);
  });

  it('FailedAuthLimit: blocked for the rest of its window, then free again', async () => {
    const limit = new FailedAuthLimit(2, 1_000);
    try {
      await limit.fail('ip:a');
      expect(await limit.retryAfter('ip:a')).toBe(0);
      await limit.fail('ip:a');
      expect(await limit.retryAfter('ip:a')).toBe(1);
      expect(await limit.retryAfter('ip:b')).toBe(0);
      expect(await limit.retryAfter('ip:a', Date.now() + 1_001)).toBe(0);
      expect(() => new FailedAuthLimit(0)).toThrow(/at least 1/);
    } finally {
      limit.close();
    }
  });

  it('logs one access line per read or decision: user, route, path, status; never a body', async () => {
    const { call, lines } = await serve();
    await call('/read', vera.token);
    await call('/decide', carla.token);
    await call('/read');
    await call('/capture', ingest.token);
    await call('/open');
    await vi.waitFor(() => expect(lines.filter((l) => l.msg === 'access')).toHaveLength(3));
    const access = lines.filter((l) => l.msg === 'access').map((l) => l.access as Record<string, unknown>);
    expect(access).toEqual([
      { user: 'vera', route: 'opread', method: 'POST', path: '/read', status: 200, ip: expect.any(String) },
      { user: 'carla', route: 'opdecide', method: 'POST', path: '/decide', status: 200, ip: expect.any(String) },
      { user: null, route: 'opread', method: 'POST', path: '/read', status: 401, ip: expect.any(String) },
    ]);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('a secret post text');
    expect(text).not.toContain(vera.token);
    expect(text).not.toContain(carla.token);
  });

  it("notes each token's use for last-used, people's and connectors'", async () => {
    const lastUsed = new LastUsedLog(path.join(dir, 'tokens.last-used.json'), { flushMs: 60_000 });
    const { call } = await serve({ lastUsed });
    await call('/read', vera.token);
    await call('/capture', ingest.token);
    await call('/read', 'tok-nobody');
    await lastUsed.close();
    expect(Object.keys(await readLastUsed(lastUsed.file)).sort()).toEqual([hashToken(vera.token), hashToken(ingest.token)].sort());
  });
});

describe('last used, across processes', () => {
  const h = (n: number) => hashToken(`token-${n}`);

  it('sits beside the tokens file', () => {
    expect(lastUsedFileFor('/etc/hearken/tokens.yaml')).toBe('/etc/hearken/tokens.last-used.json');
    expect(lastUsedFileFor('/etc/hearken/api-tokens.yml')).toBe('/etc/hearken/api-tokens.last-used.json');
    expect(lastUsedFileFor('/etc/hearken/tokens')).toBe('/etc/hearken/tokens.last-used.json');
  });

  it('writes at most once per interval, whatever the traffic', async () => {
    const file = path.join(dir, 'tokens.last-used.json');
    const log = new LastUsedLog(file, { flushMs: 150 });
    for (let i = 0; i < 1000; i++) log.touch(h(i % 3), Date.parse('2026-01-01T00:00:00Z') + i);
    expect(fs.existsSync(file)).toBe(false);
    await vi.waitFor(() => expect(fs.existsSync(file)).toBe(true), { timeout: 2_000 });
    const written = await readLastUsed(file);
    expect(written[h(0)]).toBe(new Date(Date.parse('2026-01-01T00:00:00Z') + 999).toISOString());
    expect(Object.keys(written)).toHaveLength(3);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await log.close();
  });

  it('several processes flushing at once lose no update; the later instant wins', async () => {
    const file = path.join(dir, 'tokens.last-used.json');
    const base = Date.parse('2026-03-01T00:00:00Z');
    const logs = Array.from({ length: 6 }, () => new LastUsedLog(file, { flushMs: 60_000 }));
    // Each "process" used its own token, and all of them used token 0 at different times.
    logs.forEach((log, i) => {
      log.touch(h(100 + i), base + i);
      log.touch(h(0), base + 1000 * (i + 1));
    });
    await Promise.all(logs.map((log) => log.flush()));
    // A stale use arriving later does not move the time back.
    logs[0]!.touch(h(0), base);
    await logs[0]!.flush();
    const written = await readLastUsed(file);
    expect(written[h(0)]).toBe(new Date(base + 6000).toISOString());
    for (let i = 0; i < 6; i++) expect(written[h(100 + i)]).toBe(new Date(base + i).toISOString());
    await Promise.all(logs.map((log) => log.close()));
    await forgetLastUsed(file, [h(0)]);
    expect((await readLastUsed(file))[h(0)]).toBeUndefined();
  });

  it('separate processes writing the same file lose no update', async () => {
    const file = path.join(dir, 'tokens.last-used.json');
    const module = path.resolve(import.meta.dirname, '../../src/api/auth/last-used.ts');
    // Each process records its own 20 tokens and a shared one, flushing after every use.
    const script = (n: number) => `
      import { LastUsedLog } from ${JSON.stringify(module)};
      import { createHash } from 'node:crypto';
      const h = (s) => createHash('sha256').update(s).digest('hex');
      const log = new LastUsedLog(${JSON.stringify(file)});
      for (let i = 0; i < 20; i++) {
        log.touch(h('p${n}-' + i), Date.UTC(2026, 0, 1, 0, 0, i));
        log.touch(h('shared'), Date.UTC(2026, 0, 1, ${n}, 0, i));
        await log.flush();
      }
      await log.close();`;
    const runs = [1, 2, 3].map(
      (n) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(n)], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', resolve);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    const written = await readLastUsed(file);
    expect(Object.keys(written)).toHaveLength(61);
    for (const n of [1, 2, 3])
      for (let i = 0; i < 20; i++) expect(written[hashToken(`p${n}-${i}`)]).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
    expect(written[hashToken('shared')]).toBe(new Date(Date.UTC(2026, 0, 1, 3, 0, 19)).toISOString());
  }, 60_000);

  it('a folder it cannot write keeps the uses for the next try and reports the error', async () => {
    const errors: Error[] = [];
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const log = new LastUsedLog(path.join(blocked, 'tokens.last-used.json'), { flushMs: 60_000, onError: (e) => errors.push(e) });
    log.touch(h(1));
    await log.flush();
    expect(errors).toHaveLength(1);
    fs.rmSync(blocked);
    fs.mkdirSync(blocked);
    await log.close();
    expect(Object.keys(await readLastUsed(log.file))).toEqual([h(1)]);
  });
});

describe('ensureTokensFile', () => {
  it('creates the file once, mode 0600, with an admin of every team whose token is shown only then', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await ensureTokensFile(dataDir);
    expect(first.file).toBe(path.join(dataDir, 'tokens.yaml'));
    expect(first.created?.name).toBe('admin');
    const token = first.created!.token;
    expect(token).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(first.file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(hashToken(token));

    store = await TokenStore.load(first.file);
    expect(store.authenticate(`Bearer ${token}`)).toEqual({ name: 'admin', teams: { '*': 'admin' } });
    expect(store.list()[0]).toMatchObject({ kind: 'user', name: 'admin', created: expect.stringMatching(/^\d{4}-/), expires: null });

    const second = await ensureTokensFile(dataDir);
    expect(second).toEqual({ file: first.file });
    expect(fs.readFileSync(first.file, 'utf8')).toBe(text);
  });

  it('two starts at once create one file and one token', async () => {
    const results = await Promise.all([ensureTokensFile(dir), ensureTokensFile(dir), ensureTokensFile(dir)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});
