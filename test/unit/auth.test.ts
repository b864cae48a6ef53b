import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureTokensFile, hashToken, requireUser, roleIn, TokensFileError, TokenStore, type User } from '../../src/api/auth';
import { problemMiddleware } from '../../src/api/http/problem';

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
      `${file}:5:22: users[0].teams.customer-care must be one of agent, lead, got "boss"`,
      `${file}:6:5: users[0]: unknown property "token"; expected one of name, tokenSha256, teams`,
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

describe('roleIn', () => {
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

describe('requireUser', () => {
  async function serve(tokens: TokenStore) {
    const app = express();
    app.get('/me', requireUser(tokens), (_req, res) => {
      res.json({ name: (res.locals.user as User).name });
    });
    app.use(problemMiddleware(() => undefined));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`, close: () => new Promise((r) => server.close(r)) };
  }

  it('lets a known user through and answers 401 problem+json otherwise, never echoing the token', async () => {
    const { url, close } = await serve(TokenStore.fromUsers([entry(carla)]));
    try {
      const ok = await fetch(url, { headers: { authorization: 'Bearer tok-carla' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ name: 'carla' });
      for (const headers of [{}, { authorization: 'Bearer secret-guess-123' }, { authorization: 'Basic Zm9vOmJhcg==' }] as Array<
        Record<string, string>
      >) {
        const res = await fetch(url, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hearken"');
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
        expect(text).not.toContain('secret-guess-123');
      }
    } finally {
      await close();
    }
  });
});

describe('ensureTokensFile', () => {
  it('creates the file once, mode 0600, with a lead of every team whose token is shown only then', async () => {
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
    expect(store.authenticate(`Bearer ${token}`)).toEqual({ name: 'admin', teams: { '*': 'lead' } });

    const second = await ensureTokensFile(dataDir);
    expect(second).toEqual({ file: first.file });
    expect(fs.readFileSync(first.file, 'utf8')).toBe(text);
  });

  it('two starts at once create one file and one token', async () => {
    const results = await Promise.all([ensureTokensFile(dir), ensureTokensFile(dir), ensureTokensFile(dir)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});
