// The `hearken` CLI as a user runs it: `node bin/hearken.mjs …` in the repo,
// checking exit codes and the exact output contracts of DESIGN.md "CLI".
// Each spawn costs about a second (tsx + the pack loader), so the tests run
// concurrently and each spawn checks as much as it can.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { copyDefaultPack, editPack, removePack } from '../helpers/pack-fixture';
import { ensureTokensFile, hashToken, LastUsedLog, lastUsedFileFor, TokenStore } from '../../src/api/auth';

// Spawns share 2 cores with whatever else runs: give them room on a busy box.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/hearken.mjs');
const DST_PACK = 'test/fixtures/packs/cli-dst';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hearken(args: string[], input = '', extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.HEARKEN_POLICIES_DIR;
    delete env.HEARKEN_TOKENS_FILE;
    delete env.HEARKEN_DATA_DIR;
    Object.assign(env, extraEnv);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const packs: string[] = [];
function tempPack(): string {
  const dir = copyDefaultPack();
  packs.push(dir);
  return dir;
}
afterAll(() => packs.forEach(removePack));

/** A post as JSON text, Friday 27 Nov 2026, 19:30 in Berlin: half an hour before customer care closes. */
function complaint(createdAt = '2026-11-27T19:30:00+01:00'): string {
  return JSON.stringify({
    channel: 'twitter',
    id: 'c2',
    author: { handle: 'tom', name: 'Tom' },
    text: '@sprintcare my internet is not working since noon, this is unacceptable',
    createdAt,
  });
}

function writePost(text: string): string {
  const dir = tempPack();
  const file = path.join(dir, 'post.json');
  writeFileSync(file, text);
  return file;
}

function noStackTrace(run: Run): void {
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent('hearken policy check', () => {
  it('passes on the default pack with a one-line summary', async () => {
    const run = await hearken(['policy', 'check']);
    expect(run.stdout).toMatch(/^ok: 10 policies, version \S+\n$/);
    expect(run.code).toBe(0);
  });

  it('prints exactly one file:line:col line per error and exits 1', async () => {
    const dir = tempPack();
    editPack(dir, 'customer-complaint.policy.yaml', 'priority: 70', 'priority: high');
    editPack(dir, 'question.policy.yaml', '  - escalate:\n      team: customer-care', '  - escalate:\n      team: customer-cars');
    const run = await hearken(['policy', 'check', dir]);
    expect(run.stdout).toBe(
      [
        `${dir}/customer-complaint.policy.yaml:4:11: priority must be a whole number, got "high"`,
        `${dir}/question.policy.yaml:18:13: steps[1].escalate.team: unknown team "customer-cars" (did you mean "customer-care"?)`,
        '',
      ].join('\n'),
    );
    expect(run.stderr).toContain('2 errors');
    expect(run.code).toBe(1);
  });
});

describe.concurrent('hearken policy explain', () => {
  it('a Friday-evening complaint: interim reply now, the answer due in Saturday opening hours', async () => {
    const run = await hearken(['policy', 'explain', '--post', writePost(complaint())]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['triage', 'policy', 'candidates', 'steps', 'deadlines']));
    expect(out.triage).toMatchObject({ addressedToUs: true, intent: 'complaint', sentiment: { label: 'negative' } });
    expect(out.policy).toMatchObject({ id: 'customer-complaint', priority: 70 });
    expect(out.policy.version).toMatch(/\S/);
    expect(out.candidates.map((c: any) => c.id)).toEqual(['customer-complaint', 'addressed-default']);
    expect(out.steps.map((s: any) => s.kind)).toEqual(['interimReply', 'escalate', 'followUp']);
    expect(out.steps[0].text).toBe("Hi Tom, sorry about this! We're on it and will get back to you by Sat 28 Nov, 13:30 CET.");
    expect(out.steps[1]).toMatchObject({ team: 'customer-care', decideWithin: '1h business', remindAt: '75%' });
    // 15 min wall clock; 4 h business = 30 min on Friday + 3.5 h from Saturday's 10:00 opening.
    expect(out.deadlines).toEqual({ firstResponse: '2026-11-27T19:45:00+01:00', resolution: '2026-11-28T13:30:00+01:00' });
  });

  it('on Christmas Eve (stdin, --now) the resolution skips the holidays and the Sunday', async () => {
    const run = await hearken(
      ['policy', 'explain', '--post', '-', '--now', '2026-12-24T19:30:00+01:00'],
      complaint('2026-01-01T00:00:00Z'),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).deadlines).toEqual({
      firstResponse: '2026-12-24T19:45:00+01:00',
      resolution: '2026-12-28T12:00:00+01:00',
    });
  });

  it('on DST weekends business time counts the real open hours', async () => {
    const [spring, fall, defaultPack] = await Promise.all([
      hearken(['policy', 'explain', '--post', '-', '--policies', DST_PACK, '--now', '2026-03-28T23:00:00+01:00'], complaint()),
      hearken(['policy', 'explain', '--post', '-', '--policies', DST_PACK, '--now', '2026-10-24T23:00:00+02:00'], complaint()),
      hearken(['policy', 'explain', '--post', '-', '--now', '2026-03-28T15:00:00+01:00'], complaint()),
    ]);
    // Sunday 01:00-04:00 lasts 2 real hours when clocks spring forward: the last 30 min wait a week.
    expect(JSON.parse(spring.stdout).deadlines).toEqual({
      firstResponse: '2026-03-29T01:30:00+01:00',
      resolution: '2026-04-05T01:30:00+02:00',
    });
    // …and 4 real hours when they fall back: 2.5 h end at the second 02:30.
    expect(JSON.parse(fall.stdout).deadlines).toEqual({
      firstResponse: '2026-10-25T01:30:00+02:00',
      resolution: '2026-10-25T02:30:00+01:00',
    });
    // Saturday 15:00 CET + 4 h business: 1 h on Saturday, 3 h from Monday 08:00, now CEST.
    expect(JSON.parse(defaultPack.stdout).deadlines.resolution).toBe('2026-03-30T11:00:00+02:00');
  });

  it('a post that is not valid JSON, or not a valid post, is named without a stack trace', async () => {
    const [badJson, badPost, missing] = await Promise.all([
      hearken(['policy', 'explain', '--post', writePost('{"channel": "twitter",\n "id": "1" "text": "x"}')]),
      hearken(
        ['policy', 'explain', '--post', '-'],
        JSON.stringify({ channel: 'twitter', id: 5, author: { followers: 3 }, text: 'hi', createdAt: 'yesterday' }),
      ),
      hearken(['policy', 'explain', '--post', 'no/such/post.json']),
    ]);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/post\.json:2:12: not valid JSON/);
    expect(badPost.code).toBe(1);
    expect(badPost.stderr).toContain('id must be text, got 5');
    expect(badPost.stderr).toContain('author: missing required property "id" or "handle"');
    expect(badPost.stderr).toContain('createdAt must be a date and time in ISO 8601 with offset');
    expect(missing.stderr).toBe('hearken: no/such/post.json: no such file\n');
    expect(missing.code).toBe(1);
    [badJson, badPost, missing].forEach(noStackTrace);
  });

  it('usage errors exit 2', async () => {
    const [noPost, badNow, unknown] = await Promise.all([
      hearken(['policy', 'explain']),
      hearken(['policy', 'explain', '--post', '-', '--now', 'tomorrow'], complaint()),
      hearken(['policy', 'frobnicate']),
    ]);
    expect(noPost.stderr).toContain('explain needs --post <file>, --crisis <id>, or both');
    expect(badNow.stderr).toContain('--now must be an ISO 8601 instant with an offset');
    expect([noPost.code, badNow.code, unknown.code]).toEqual([2, 2, 2]);
  });
});

describe.concurrent('hearken policy explain --crisis', () => {
  it("shows the overlay's effect on a post: the complaint policy without it, the crisis overlay under it, with the overlay version", async () => {
    const run = await hearken(['policy', 'explain', '--crisis', 'sprint-c1', '--topic', 'internet, outage', '--post', '-'], complaint());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      crisis: { id: string; topic: string[] };
      overlay: { version: string; policies: Array<{ id: string }> };
      post: {
        withoutOverlay: { policy: { id: string } };
        underOverlay: { policy: { id: string }; overlay: unknown; steps: Array<{ kind: string; team?: string }> };
        effect: string;
      };
    };
    expect(out.crisis).toMatchObject({ id: 'sprint-c1', topic: ['internet', 'outage'] });
    expect(out.overlay.policies.map((p) => p.id)).toEqual(['crisis-addressed', 'crisis-overheard']);
    expect(out.post.withoutOverlay.policy.id).toBe('customer-complaint');
    expect(out.post.underOverlay.policy.id).toBe('crisis-addressed');
    expect(out.post.underOverlay.overlay).toEqual({ kind: 'crisis', crisisId: 'sprint-c1', version: out.overlay.version });
    expect(out.post.underOverlay.steps.map((s) => s.kind)).toEqual(['interimReply', 'escalate']);
    expect(out.post.underOverlay.steps[1]!.team).toBe('crisis-team');
    expect(out.post.effect).toBe('overlay policy crisis-addressed replaces customer-complaint');
  });

  it('a post off the topic keeps its policy', async () => {
    const run = await hearken(['policy', 'explain', '--crisis', 'sprint-c1', '--topic', 'login', '--post', '-'], complaint());
    expect(JSON.parse(run.stdout).post).toMatchObject({
      underOverlay: null,
      effect: 'no overlay policy matches: the normal policy decides',
    });
  });
});

describe.concurrent('hearken policy test', () => {
  it('passes on the default pack', async () => {
    const run = await hearken(['policy', 'test']);
    const lines = run.stdout.trimEnd().split('\n');
    const summary = /^(\d+) passed, 0 failed$/.exec(lines.at(-1)!);
    expect(summary).not.toBeNull();
    expect(lines.slice(0, -1).every((l) => l.startsWith('ok   policies/') && l.includes('.cases.yaml › '))).toBe(true);
    expect(lines.length - 1).toBe(Number(summary![1]));
    expect(run.code).toBe(0);
  });

  it('fails naming the case and what differed, and exits 1', async () => {
    const dir = tempPack();
    editPack(dir, 'customer-complaint.cases.yaml', 'resolution: "2026-11-28T13:30:00+01:00"', 'resolution: "2026-11-28T12:30:00+01:00"');
    editPack(
      dir,
      'praise.cases.yaml',
      'policy: praise\n      steps: [reply]\n      deadlines',
      'policy: idea\n      steps: [reply, notify]\n      deadlines',
    );
    // The same instant written in UTC still passes.
    editPack(dir, 'question.cases.yaml', 'resolution: "2026-11-28T11:50:00+01:00"', 'resolution: "2026-11-28T10:50:00Z"');
    const run = await hearken(['policy', 'test', dir]);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain(
      `FAIL ${dir}/customer-complaint.cases.yaml › Friday evening complaint carries its resolution over into Saturday's opening hours: ` +
        'deadlines.resolution: expected 2026-11-28T12:30:00+01:00, got 2026-11-28T13:30:00+01:00',
    );
    expect(lines).toContain(
      `FAIL ${dir}/praise.cases.yaml › a thank-you is thanked back: policy: expected idea, got praise; steps: expected [reply, notify] first, got [reply]`,
    );
    expect(lines).toContain(`ok   ${dir}/question.cases.yaml › a Friday-evening question is answered by Saturday late morning`);
    expect(lines.at(-1)).toMatch(/^\d+ passed, 2 failed$/);
    expect(run.code).toBe(1);
  });

  it('exits 1 when the pack does not load', async () => {
    const dir = tempPack();
    editPack(dir, 'customer-complaint.policy.yaml', 'priority: 70', 'priority: high');
    const run = await hearken(['policy', 'test', dir]);
    expect(run.stderr).toContain(`${dir}/customer-complaint.policy.yaml:4:11: priority must be a whole number, got "high"`);
    expect(run.stderr).toContain('does not load');
    expect(run.code).toBe(1);
  });
});

describe.concurrent('hearken triage', () => {
  it('writes one line per input line, in order, with an error line in place of a malformed one', async () => {
    const post = (id: string, text: string, extra: object = {}) =>
      JSON.stringify({ channel: 'twitter', id, author: { handle: 'jane' }, text, createdAt: '2026-12-01T09:00:00+01:00', ...extra });
    const input = [
      post('1', '@sprintcare I was charged twice!!'),
      '{"channel": "twitter", "id": "2", oops',
      post('3', 'Honestly Sprint has been great lately', { author: { handle: 'fan', followers: 20000 } }),
      JSON.stringify({ channel: 'twitter', id: '4', text: 'no author', createdAt: '2026-12-01T09:00:00+01:00' }),
      post('5', '@sprintcare Mein Konto wurde gehackt!', { language: 'de' }),
    ].join('\n');
    const run = await hearken(['triage'], `${input}\n`);
    const out = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({
      id: '1',
      language: 'en',
      addressedToUs: true,
      relevant: true,
      intent: 'complaint',
      sentiment: { score: expect.any(Number), label: 'negative' },
      reach: 'low',
      risk: [],
    });
    expect(out[0].sentiment.score).toBeLessThan(-0.2);
    expect(out[1]).toMatchObject({ line: 2 });
    expect(out[1].error).toMatch(/^not valid JSON/);
    expect(out[2]).toMatchObject({ id: '3', addressedToUs: false, relevant: true, intent: 'praise', reach: 'high' });
    expect(out[3]).toEqual({ line: 4, error: 'missing required property "author"' });
    expect(out[4]).toMatchObject({ id: '5', language: 'de', intent: 'security', risk: ['hijacked-account'] });
    expect(run.code).toBe(1);
  });
});

describe.concurrent('hearken policy simulate', () => {
  it('counts per policy and first step, and with --base shows what changed since a commit', async () => {
    const repo = tempPack();
    const dir = path.join(repo, 'policies');
    mkdirSync(dir);
    execFileSync(
      'sh',
      [
        '-c',
        'mv *.yaml policies/ && git init -q && git add policies && git -c user.name=t -c user.email=t@example.invalid commit -qm pack',
      ],
      { cwd: repo },
    );
    // After the commit, ideas no longer get their own policy.
    execFileSync('git', ['rm', '-q', 'policies/idea.policy.yaml', 'policies/idea.cases.yaml'], { cwd: repo });
    const posts = [
      { id: '1', text: '@sprintcare you should add eSIM support' },
      { id: '2', text: '@sprintcare I was charged twice!!' },
      { id: '3', text: 'Sprint is great' },
    ]
      .map((p) => JSON.stringify({ channel: 'twitter', author: { handle: 'jane' }, createdAt: '2026-12-01T09:00:00+01:00', ...p }))
      .join('\n');
    const postsFile = path.join(repo, 'posts.jsonl');
    writeFileSync(postsFile, posts);
    const run = await hearken(['policy', 'simulate', '--posts', postsFile, '--policies', dir, '--base', 'HEAD']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ posts: 3, malformed: 0, firstSteps: { interimReply: 2, ignore: 1 } });
    expect(out.policies).toMatchObject({ 'addressed-default': 1, 'customer-complaint': 1, overheard: 1, '(none)': 0 });
    expect(out.base).toMatchObject({
      ref: 'HEAD',
      policies: { idea: 1, 'customer-complaint': 1, overheard: 1 },
      firstSteps: { reply: 1, interimReply: 1, ignore: 1 },
    });
    expect(out.difference).toEqual({ policies: { 'addressed-default': 1, idea: -1 }, firstSteps: { interimReply: 1, reply: -1 } });
    expect(out.changed).toBe(1);
    expect(out.changes).toEqual([{ from: 'idea', to: 'addressed-default', posts: 1 }]);
  });
});

describe.concurrent('hearken token', () => {
  const tokenDir = () => mkdtempSync(path.join(os.tmpdir(), 'hearken-cli-tokens-'));
  const add = (file: string, ...args: string[]) => hearken(['token', 'add', ...args, '--file', file]);

  it('add prints the token once, alone on stdout; the file keeps only its sha256, mode 0600, and the API knows it', async () => {
    const file = path.join(tokenDir(), 'tokens.yaml');
    const run = await add(file, 'carla', '--role', 'agent', '--teams', 'customer-care,billing', '--expires', '30d');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hk_[A-Za-z0-9_-]{43}\n$/);
    const token = run.stdout.trim();
    expect(run.stderr).toMatch(/added agent token "carla" for teams customer-care, billing, expiring \d{4}-\d\d-\d\dT.*shown this once/s);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(hashToken(token));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const store = await TokenStore.load(file);
    expect(store.authenticate(`Bearer ${token}`)).toEqual({ name: 'carla', teams: { 'customer-care': 'agent', billing: 'agent' } });
    const [info] = store.list();
    expect(Date.parse(info!.expires!) - Date.parse(info!.created!)).toBe(30 * 86_400_000);

    const ingest = await add(file, 'bluesky', '--role', 'ingest', '--expires', '2099-01-01T00:00:00+01:00');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^hki_[A-Za-z0-9_-]{43}\n$/);
    const reloaded = await TokenStore.load(file);
    expect(reloaded.identify(`Bearer ${ingest.stdout.trim()}`)).toMatchObject({ kind: 'ingest', connector: { name: 'bluesky' } });
    expect(reloaded.list()[1]).toMatchObject({ kind: 'ingest', expires: '2098-12-31T23:00:00.000Z' });
  });

  it('list shows name, role, teams, created, expires and last used; never a token or its hash', async () => {
    const file = path.join(tokenDir(), 'tokens.yaml');
    const admin = await add(file, 'root', '--role', 'admin');
    await add(file, 'vera', '--role', 'viewer', '--teams', 'security');
    await add(file, 'feed', '--role', 'ingest');
    // Expired since: written by hand, as an operator might.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'users:\n',
        `users:\n  - name: old\n    tokenSha256: ${hashToken('x')}\n    teams: { billing: agent, "*": viewer }\n    expires: "2020-01-01T00:00:00Z"\n`,
      ),
    );
    const lastUsed = new LastUsedLog(lastUsedFileFor(file));
    lastUsed.touch(hashToken(admin.stdout.trim()), Date.parse('2026-11-30T08:00:00Z'));
    await lastUsed.close();

    const run = await hearken(['token', 'list', '--file', file]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ROLE\s+TEAMS\s+CREATED\s+EXPIRES\s+LAST USED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['old', 'agent (mixed)', 'billing:agent,*:viewer', '-', '2020-01-01T00:00:00Z (expired)', 'never'],
      ['root', 'admin', '*', expect.stringMatching(/^\d{4}-/), 'never', '2026-11-30T08:00:00.000Z'],
      ['vera', 'viewer', 'security', expect.stringMatching(/^\d{4}-/), 'never', 'never'],
      ['feed', 'ingest', '-', expect.stringMatching(/^\d{4}-/), 'never', 'never'],
    ]);
    expect(run.stdout).not.toContain(admin.stdout.trim());
    expect(run.stdout).not.toMatch(/[0-9a-f]{64}/);

    const json = await hearken(['token', 'list', '--json', '--file', file]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'old', expired: true, lastUsed: null }),
      expect.objectContaining({ name: 'root', role: 'admin', teams: { '*': 'admin' }, lastUsed: '2026-11-30T08:00:00.000Z' }),
      expect.objectContaining({ name: 'vera', role: 'viewer', teams: { security: 'viewer' }, expires: null }),
      expect.objectContaining({ name: 'feed', role: 'ingest', teams: null }),
    ]);
    expect(json.stdout).not.toMatch(/[0-9a-f]{64}/);
  });

  it('revoke removes the token (a watching service refuses it at once); revoking it again exits 1', async () => {
    const file = path.join(tokenDir(), 'tokens.yaml');
    const token = (await add(file, 'carla', '--role', 'lead')).stdout.trim();
    await add(file, 'feed', '--role', 'ingest');
    const store = await TokenStore.load(file);
    store.watch();
    try {
      expect(store.authenticate(`Bearer ${token}`)?.name).toBe('carla');
      const run = await hearken(['token', 'revoke', 'carla', '--file', file]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/revoked person token "carla"/);
      await vi.waitFor(() => expect(store.authenticate(`Bearer ${token}`)).toBeNull(), { timeout: 5_000 });
    } finally {
      store.close();
    }
    expect(readFileSync(file, 'utf8')).not.toContain('carla');
    const again = await hearken(['token', 'revoke', 'carla', '--file', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no token named "carla"/);
    expect((await hearken(['token', 'revoke', 'feed', '--file', file])).code).toBe(0);
    expect((await TokenStore.load(file)).list()).toEqual([]);
  });

  it('refuses a bad role, teams on an ingest token, a past or malformed expiry, and a name taken already', async () => {
    const file = path.join(tokenDir(), 'tokens.yaml');
    const cases: Array<[string[], number, RegExp]> = [
      [['x', '--role', 'boss'], 2, /--role must be one of viewer, agent, lead, admin, ingest; got "boss"/],
      [['x', '--role', 'ingest', '--teams', 'billing'], 2, /--teams does not apply/],
      [['x', '--role', 'agent', '--teams', 'Customer Care'], 2, /--teams must list team ids/],
      [
        ['x', '--role', 'agent', '--expires', 'tomorrow'],
        2,
        /--expires must be a time from now \(30d, 12h, 90m, 2w\) or an ISO 8601 instant/,
      ],
      [['x', '--role', 'agent', '--expires', '2020-01-01T00:00:00Z'], 2, /is not in the future/],
      [[' x', '--role', 'agent'], 2, /the name must be/],
      [['x'], 2, /required option '--role <role>'/],
    ];
    for (const [args, code, message] of cases) {
      const run = await add(file, ...args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stdout, args.join(' ')).toBe('');
      noStackTrace(run);
    }
    expect((await add(file, 'x', '--role', 'agent')).code).toBe(0);
    const taken = await add(file, 'x', '--role', 'ingest');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/a token named "x" exists already/);
  });

  it('finds the file as the API does: $HEARKEN_TOKENS_FILE, else $HEARKEN_DATA_DIR/tokens.yaml; keeps its comments', async () => {
    const dataDir = tokenDir();
    const { created } = await ensureTokensFile(dataDir);
    const run = await hearken(['token', 'add', 'carla', '--role', 'agent'], '', { HEARKEN_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(dataDir, 'tokens.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    const store = await TokenStore.load(path.join(dataDir, 'tokens.yaml'));
    expect(store.authenticate(`Bearer ${created!.token}`)?.name).toBe('admin');
    expect(store.authenticate(`Bearer ${run.stdout.trim()}`)?.name).toBe('carla');
    const elsewhere = path.join(tokenDir(), 'api-tokens.yaml');
    const viaEnv = await hearken(['token', 'add', 'feed', '--role', 'ingest'], '', {
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_TOKENS_FILE: elsewhere,
    });
    expect(viaEnv.code).toBe(0);
    expect((await TokenStore.load(elsewhere)).list().map((t) => t.name)).toEqual(['feed']);
    const listed = await hearken(['token', 'list'], '', { HEARKEN_TOKENS_FILE: elsewhere });
    expect(listed.stdout).toMatch(/^feed\s+ingest/m);
    const missing = await hearken(['token', 'list', '--file', path.join(dataDir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no tokens file at/);
  });

  it('edits at once do not lose one another; a broken file is left alone and its errors named', async () => {
    const file = path.join(tokenDir(), 'tokens.yaml');
    const runs = await Promise.all(['a', 'b', 'c', 'd'].map((name) => add(file, name, '--role', 'viewer')));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(
      (await TokenStore.load(file))
        .list()
        .map((t) => t.name)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
    const broken = 'users:\n  - name: a\n    teams: { x: boss }\n';
    writeFileSync(file, broken);
    const run = await add(file, 'e', '--role', 'viewer');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2:5: users[0]: missing required property "tokenSha256"`);
    expect(run.stderr).toMatch(/does not load; fix it first/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
