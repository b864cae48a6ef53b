// Issue 12 §1: the pause switch on the worst day. A real dev server, the API
// in this process and two worker processes of their own (each with its own
// data folder, so each one's outbox shows what that worker published), driven
// over HTTP while posts keep coming in.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { controlsQuery, heldSignal, pauseUpdate, resumeUpdate } from '../../src/workflows/controls-messages';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { conformsToOpenApi } from '../helpers/openapi-conformance';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson as getAnyJson, postJson as postAnyJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, TEST_VIEWER, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/controls');
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = temporalAvailable() ? describe : describe.skip;

const lena: TestUser = { name: 'lena', token: 'tok-lena-lead', teams: { 'customer-care': 'lead' } };
const carla: TestUser = { name: 'carla', token: 'tok-carla-agent', teams: { 'customer-care': 'agent' } };

type JsonResponse = Awaited<ReturnType<typeof getAnyJson>>;

function hearken(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/hearken.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
type Line = Record<string, any>;
type Ev = Record<string, any> & { at: string; type: string };

/** Every answer these tests get is one the OpenAPI document describes. */
function documented(method: string, url: string, res: JsonResponse): JsonResponse {
  const problems = conformsToOpenApi(method, new URL(url).pathname, res.status, res.body, res.headers.get('content-type') ?? undefined);
  expect(problems, `${method} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toEqual([]);
  return res;
}
const getJson = async (url: string, headers?: Record<string, string>) => documented('GET', url, await getAnyJson(url, headers));
const postJson = async (url: string, body: unknown, headers?: Record<string, string>) =>
  documented('POST', url, await postAnyJson(url, body, headers));

run('the pause switch across two worker processes', () => {
  let server: DevServer;
  let api: TestService;
  const workers: Child[] = [];
  const dirs = [tempDir('controls-w1'), tempDir('controls-w2')];
  const taskQueue = 'controls-test';

  const outbox = (): Line[] => dirs.flatMap((d) => jsonLines(d, 'outbox.jsonl'));
  const outboxOf = (id: string) => outbox().filter((l) => l.interactionId === id);
  const state = async (id: string) => (await getJson(`${api.url}/v1/interactions/${id}`)).body;
  const timeline = async (id: string): Promise<Ev[]> => (await getJson(`${api.url}/v1/interactions/${id}/history`)).body.events;
  const capture = async (id: string, text: string, channel = 'twitter') => {
    const res = await postJson(`${api.url}/v1/posts`, {
      channel,
      id,
      author: { id: `a-${id}`, handle: 'jane', name: 'Jane' },
      text,
      createdAt: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    return res.body.interactionId as string;
  };
  const control = (what: 'pause' | 'resume', body: unknown, user: TestUser = lena) =>
    postJson(`${api.url}/v1/controls/${what}`, body, bearer(user));
  const heldOf = async (id: string) => ((await state(id)).held ?? []) as Line[];

  beforeAll(async () => {
    const tokensFile = writeTokensFile(tempDir('controls-tokens'), [lena, carla]);
    let bundle;
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    api = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      tokensFile,
      worker: false,
      taskQueue,
      captureRatePerMinute: 100_000,
    });
    for (const dir of dirs) {
      const w = spawnHearken('src/runtime/worker-main.ts', {
        TEMPORAL_ADDRESS: server.address,
        HEARKEN_DATA_DIR: dir,
        HEARKEN_POLICIES_DIR: PACK,
        TEMPORAL_TASK_QUEUE: taskQueue,
      });
      workers.push(w);
    }
    await Promise.all(workers.map((w) => w.waitFor('Hearken is running', 90_000)));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await api?.stop();
    await server?.stop();
  });

  const heldIds: string[] = [];
  const heldKeys: string[] = [];
  let pausedAck = 0;

  it('a pause stops every automatic reply within seconds on both workers; what comes after waits as held replies', async () => {
    const captured: Array<{ id: string; at: number }> = [];
    let stop = false;
    let n = 0;
    const stream = (async () => {
      while (!stop) {
        const id = await capture(`s${n++}`, '@sprintcare where is my order?');
        captured.push({ id, at: Date.now() });
        await sleep(150);
      }
    })();
    // Both workers publish while nothing is paused.
    await eventually(async () => dirs.every((d) => jsonLines(d, 'outbox.jsonl').length > 0), 60_000, 'both workers publishing');

    const paused = await control('pause', { note: 'hijacked account' });
    pausedAck = Date.now();
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ alreadyPaused: false, pause: { key: 'global', by: { name: 'lena', role: 'lead', via: 'api' } } });
    await sleep(6_000);
    stop = true;
    await stream;
    await sleep(3_000);

    const lastReply = Math.max(...outbox().map((l) => Date.parse(l.publishedAt)));
    const stoppedWithinMs = lastReply - pausedAck;
    console.log(`pause → last automatic reply: ${stoppedWithinMs} ms (${captured.length} posts captured, ${outbox().length} replies)`);
    expect(stoppedWithinMs).toBeLessThan(5_000);

    // Every post captured after the pause had settled: nothing published, its interim reply held.
    const late = captured.filter((c) => c.at > pausedAck + 3_000);
    expect(late.length).toBeGreaterThan(5);
    for (const c of late) {
      expect(outboxOf(c.id), c.id).toEqual([]);
      const held = await eventually(async () => {
        const h = await heldOf(c.id);
        return h.length > 0 ? h : null;
      });
      expect(held[0]).toMatchObject({ kind: 'interimReply', status: 'held', pause: { key: 'global', by: { name: 'lena' } } });
    }
    // Nothing lost: each interaction either published its interim reply or holds it.
    for (const c of captured) {
      const s = await state(c.id);
      const held = (s.held ?? []).filter((h: Line) => h.status === 'held');
      expect(s.replies.length + held.length, c.id).toBeGreaterThan(0);
      if (held.length) heldIds.push(c.id);
      // The key a held reply will be published with: the same as before it was held.
      heldKeys.push(...held.map((h: Line) => `${c.id}/${h.postId}/${h.stepPath}`));
    }
    // Leads see what waits beside the escalations; a viewer does not.
    const listed = await eventually(async () => {
      const res = await getJson(`${api.url}/v1/escalations`, bearer(lena));
      return res.body.held.length >= heldIds.length ? res.body.held : null;
    });
    expect(new Set(listed.map((h: Line) => h.interactionId))).toEqual(new Set(heldIds));
    expect(listed[0]).toMatchObject({ pause: { key: 'global' }, links: { decision: expect.stringMatching(/^\/v1\/held\//u) } });
    expect((await getJson(`${api.url}/v1/escalations`, bearer(TEST_VIEWER))).body.held).toEqual([]);
    const controls = await getJson(`${api.url}/v1/controls`);
    expect(controls.body).toMatchObject({ paused: true, pauses: [{ key: 'global', note: 'hijacked account', by: { name: 'lena' } }] });
  }, 180_000);

  it('on resume the lead releases what waited: each held reply is published once, and the audit says who paused and who released, and when', async () => {
    const before = outbox().length;
    const resumed = await control('resume', { decision: 'release', note: 'account recovered' });
    const resumedAck = Date.now();
    expect(resumed.body).toMatchObject({ decision: 'release', resumed: [{ pause: { key: 'global' } }] });
    expect(resumed.body.resumed[0].interactions).toBe(heldIds.length);
    const published = () => new Map(outbox().map((l) => [l.idempotencyKey as string, l]));
    await eventually(async () => heldKeys.every((k) => published().has(k)), 60_000, 'every held reply released');
    const lastReleased = Math.max(...heldKeys.map((k) => Date.parse(published().get(k)!.publishedAt)));
    console.log(
      `resume → last released reply: ${lastReleased - resumedAck} ms (${heldKeys.length} replies, ${heldIds.length} interactions)`,
    );
    expect(outbox().length).toBe(before + heldKeys.length);
    const keys = outbox().map((l) => l.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);

    const id = heldIds[heldIds.length - 1]!;
    const events = await eventually(async () => {
      const t = await timeline(id);
      return t.some((e) => e.type === 'reply.released') && t.some((e) => e.type === 'reply.published') ? t : null;
    });
    const held = events.find((e) => e.type === 'reply.held')!;
    expect(held).toMatchObject({
      kind: 'interimReply',
      pause: { id: expect.any(String), scope: 'global', by: 'lena', role: 'lead', note: 'hijacked account' },
    });
    expect(Date.parse(held.pause.since)).toBeLessThanOrEqual(pausedAck);
    const released = events.find((e) => e.type === 'reply.released')!;
    expect(released).toMatchObject({ actor: 'lena', role: 'lead', via: 'resume', note: 'account recovered' });
    expect(Date.parse(released.at)).toBeGreaterThanOrEqual(Date.parse(held.at));
    expect(events.filter((e) => e.type === 'reply.published').map((e) => e.kind)).toContain('interimReply');
    // The switch's own record: who paused, who resumed, when.
    const log = (await getJson(`${api.url}/v1/controls`)).body.log as Line[];
    expect(log.slice(-2)).toMatchObject([
      { type: 'paused', actor: { name: 'lena' }, scope: 'global', note: 'hijacked account' },
      { type: 'resumed', actor: { name: 'lena' }, scope: 'global', decision: 'release', interactions: heldIds.length },
    ]);
    await eventually(async () => (await getJson(`${api.url}/v1/escalations`, bearer(lena))).body.held.length === 0 || null);
  }, 120_000);

  it('a channel pause holds only that channel; a lead releases one reply at once, and a resume that discards sends nothing', async () => {
    expect((await control('pause', { channel: 'twitter' })).body.alreadyPaused).toBe(false);
    expect((await control('pause', { channel: 'twitter' })).body.alreadyPaused).toBe(true);
    await sleep(2_500);
    const [a, b, c] = [
      await capture('d1', '@sprintcare order?'),
      await capture('d2', '@sprintcare order?'),
      await capture('d3', '@sprintcare order?'),
    ];
    const other = await capture('m1', '@sprintcare@social.example order?', 'mastodon');
    await eventually(async () => (outboxOf(other).length === 2 ? true : null), 30_000, 'mastodon is not paused');
    // The interim reply and, 2 s later, the follow-up wait.
    for (const id of [a, b, c]) await eventually(async () => ((await heldOf(id)).length === 2 ? true : null), 30_000, `${id} held`);

    // Released by a lead for this one interaction: a person's approval, out despite the pause.
    const one = await postJson(`${api.url}/v1/held/${a}/decision`, { decision: 'release', note: 'checked' }, bearer(lena));
    expect(one.body).toMatchObject({ interactionId: a, decision: 'release', replies: 2 });
    await eventually(async () => (outboxOf(a).length === 2 ? true : null), 20_000, 'released one interaction');
    expect((await timeline(a)).find((e) => e.type === 'reply.released')).toMatchObject({ actor: 'lena', via: 'decision', note: 'checked' });
    const again = await postJson(`${api.url}/v1/held/${a}/decision`, { decision: 'discard' }, bearer(lena));
    expect(again.status).toBe(409);
    expect((await postJson(`${api.url}/v1/held/${b}/decision`, { decision: 'release' }, bearer(carla))).status).toBe(403);

    const resumed = await control('resume', { channel: 'twitter', decision: 'discard', note: 'stale by now' });
    expect(resumed.body.resumed[0]).toMatchObject({ pause: { key: 'channel:twitter' }, interactions: 3 });
    for (const id of [b, c]) {
      const held = await eventually(async () => {
        const h = await heldOf(id);
        return h.every((x) => x.status === 'discarded') ? h : null;
      });
      for (const h of held) expect(h).toMatchObject({ decidedBy: { name: 'lena', role: 'lead' }, via: 'resume', note: 'stale by now' });
      const discarded = (await timeline(id)).filter((e) => e.type === 'reply.discarded');
      expect(discarded.map((e) => [e.kind, e.actor, e.via])).toEqual([
        ['interimReply', 'lena', 'resume'],
        ['followUp', 'lena', 'resume'],
      ]);
      expect((await state(id)).status).toBe('resolved');
    }
    await sleep(3_000);
    for (const id of [b, c]) expect(outboxOf(id)).toEqual([]);
  }, 120_000);

  it('while paused an escalation still opens for people, periodic updates wait one at a time, and an approved reply goes out', async () => {
    await control('pause', {});
    await sleep(2_500);
    const id = await capture('r1', '@sprintcare I want a refund');
    await eventually(async () => ((await state(id)).status === 'awaiting-decision' ? true : null), 30_000, 'escalation opened');
    // periodicUpdate 3s: after ~10 s there would be three; one waits at a time.
    await sleep(10_000);
    const held = await heldOf(id);
    expect(held.filter((h) => h.kind === 'interimReply')).toHaveLength(1);
    expect(held.filter((h) => h.kind === 'periodicUpdate' && h.status === 'held')).toHaveLength(1);
    expect(outboxOf(id)).toEqual([]);
    const approved = await postJson(`${api.url}/v1/escalations/${id}/decision`, { decision: 'approve' }, bearer(lena));
    expect(approved.status).toBe(200);
    expect(outboxOf(id).map((l) => l.text)).toEqual(['Hi Jane, your refund is on its way.']);
    const after = await eventually(async () => {
      const h = await heldOf(id);
      return h.some((x) => x.kind === 'periodicUpdate' && x.status === 'superseded') ? h : null;
    });
    expect(after.find((h) => h.kind === 'interimReply')?.status).toBe('held');
    const resumed = await control('resume', { all: true, decision: 'release' });
    expect(resumed.status).toBe(200);
    await eventually(async () => (outboxOf(id).length === 2 ? true : null), 20_000, 'the interim reply released');
    expect(outboxOf(id).map((l) => l.text)).toEqual(['Hi Jane, your refund is on its way.', "Hi Jane, we're on it."]);
  }, 120_000);

  it('hearken pause and resume work from a shell against Temporal, recorded as the operator', async () => {
    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue };
    const paused = await hearken(['pause', '--channel', 'mastodon', '--note', 'from the shell', '--by', 'ops'], env);
    expect(paused.stderr).toMatch(/^paused channel:mastodon \(p\d+\)/u);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({
      alreadyPaused: false,
      pause: { key: 'channel:mastodon', by: { name: 'ops', role: 'admin', via: 'cli' } },
    });
    const shown = await hearken(['controls'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ paused: true, pauses: [{ key: 'channel:mastodon', note: 'from the shell' }] });
    expect((await getJson(`${api.url}/v1/controls`)).body.pauses[0].by).toEqual({ name: 'ops', role: 'admin', via: 'cli' });
    expect((await hearken(['resume', '--channel', 'mastodon'], env)).code).toBe(2);
    expect((await hearken(['resume', '--release', '--discard'], env)).code).toBe(2);
    const notPaused = await hearken(['resume', '--release', '--channel', 'twitter'], env);
    expect(notPaused.code).toBe(1);
    expect(notPaused.stderr).toMatch(/channel:twitter is not paused/u);
    const resumed = await hearken(['resume', '--discard', '--channel', 'mastodon', '--by', 'ops'], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resumed channel:mastodon .*discarding what waited in 0 interactions/u);
    expect((await getJson(`${api.url}/v1/controls`)).body.paused).toBe(false);
  }, 60_000);

  it('the switch continues as new when its history grows, carrying the pauses, what waits, the log, and its memo', async () => {
    const id = `controls-can-${Date.now()}`;
    const handle = await api.client.workflow.start('controls', { workflowId: id, taskQueue, args: [{ maxHistoryEvents: 40 }] });
    const firstRun = handle.firstExecutionRunId;
    const actor = { name: 'lena', role: 'lead', via: 'api' } as const;
    const p = await handle.executeUpdate(pauseUpdate, { args: [{ scope: { kind: 'channel', channel: 'x' }, actor }] });
    for (let i = 0; i < 8; i++) {
      await handle.executeUpdate(pauseUpdate, { args: [{ scope: { kind: 'channel', channel: `c${i}` }, actor }] });
      await handle.executeUpdate(resumeUpdate, { args: [{ scope: { kind: 'channel', channel: `c${i}` }, decision: 'discard', actor }] });
    }
    // A registration for an interaction that does not exist: its delivery fails quietly.
    await handle.signal(heldSignal, { interactionId: 'twitter:nobody', pauseId: p.pause.id });
    const desc = await eventually(async () => {
      const d = await api.client.workflow.getHandle(id).describe();
      return d.runId !== firstRun ? d : null;
    });
    expect((desc.memo?.pauses as { pauses: Array<{ key: string }> }).pauses.map((x) => x.key)).toEqual(['channel:x']);
    const view = await api.client.workflow.getHandle(id).query(controlsQuery);
    expect(view.pauses).toEqual([expect.objectContaining({ key: 'channel:x', waitingInteractions: 1 })]);
    expect(view.log.filter((e) => e.type === 'resumed')).toHaveLength(8);
    const resumed = await api.client.workflow.getHandle(id).executeUpdate(resumeUpdate, {
      args: [{ scope: { kind: 'channel', channel: 'x' }, decision: 'release', actor }],
    });
    expect(resumed.resumed[0]).toMatchObject({ pause: { id: p.pause.id }, interactions: 1 });
    await api.client.workflow.getHandle(id).terminate('test over');
  }, 60_000);

  it('only leads and admins change the switch; resuming what is not paused is a conflict; an unknown account is refused', async () => {
    expect((await control('pause', {}, carla)).status).toBe(403);
    expect((await postJson(`${api.url}/v1/controls/pause`, {}, bearer(TEST_VIEWER))).status).toBe(403);
    expect((await postJson(`${api.url}/v1/controls/pause`, {}, {})).status).toBe(401);
    expect((await control('resume', { decision: 'release' })).status).toBe(409);
    const unknown = await control('pause', { account: 'twitter:somebody' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('account');
    expect((await control('pause', { channel: 'twitter', account: 'twitter:sprintcare' })).status).toBe(422);
    expect((await control('resume', { decision: 'maybe' })).status).toBe(422);
    expect((await getJson(`${api.url}/v1/controls`)).body.paused).toBe(false);
  });
});

run('the pause switch across a SIGKILL and a restart of everything', () => {
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
  });

  it('npm start killed with SIGKILL while paused comes back paused: what waited still waits, new replies wait too, and a resume releases each once', async () => {
    const dataDir = tempDir('controls-restart');
    writeTokensFile(dataDir, [lena]);
    const env = {
      PORT: String(await pickFreePort()),
      HEARKEN_DEV_SERVER_PORT: String(await pickFreePort()),
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: PACK,
      TEMPORAL_ADDRESS: '',
    };
    const url = `http://127.0.0.1:${env.PORT}`;
    const outbox = () => jsonLines(dataDir, 'outbox.jsonl');
    const capture = async (id: string) =>
      (
        await postJson(`${url}/v1/posts`, {
          channel: 'twitter',
          id,
          author: { id: `a-${id}`, handle: 'jane', name: 'Jane' },
          text: '@sprintcare order?',
          createdAt: new Date().toISOString(),
        })
      ).body.interactionId as string;
    const held = async (id: string) => ((await getJson(`${url}/v1/interactions/${id}`)).body.held ?? []) as Line[];

    const one = spawnHearken('src/runtime/main.ts', env);
    children.push(one);
    await one.waitFor('Hearken is running', 90_000);
    const paused = await postJson(`${url}/v1/controls/pause`, { note: 'before the crash' }, bearer(lena));
    expect(paused.status).toBe(200);
    await sleep(2_500);
    const before = await capture('k1');
    await eventually(async () => ((await held(before)).length > 0 ? true : null), 30_000, 'held before the crash');
    await one.kill('SIGKILL');

    const two = spawnHearken('src/runtime/main.ts', env);
    children.push(two);
    await two.waitFor('Hearken is running', 90_000);
    const controls = (await getJson(`${url}/v1/controls`)).body;
    expect(controls).toMatchObject({
      paused: true,
      pauses: [{ key: 'global', since: paused.body.pause.since, by: { name: 'lena' }, note: 'before the crash' }],
    });
    const after = await capture('k2');
    // The interim replies, then the follow-ups 2 s later: all four wait, none is published.
    for (const id of [before, after]) await eventually(async () => ((await held(id)).length === 2 ? true : null), 30_000, `${id} held`);
    expect(outbox()).toEqual([]);

    const resumed = await postJson(`${url}/v1/controls/resume`, { decision: 'release' }, bearer(lena));
    expect(resumed.body.resumed[0].interactions).toBe(2);
    await eventually(async () => (outbox().length === 4 ? true : null), 30_000, 'four replies released');
    await sleep(2_000);
    const keys = outbox().map((l) => l.idempotencyKey);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    await two.kill('SIGTERM');
  }, 300_000);
});
