// Hearken as it runs in production: a four-service Temporal cluster on
// PostgreSQL (scripts/cluster/), two worker processes and two API processes,
// every request sent to one API or the other. What the dev-server tests show
// in one process must hold here: capture, duplicates, replies, decisions,
// timers, continue-as-new and the audit timeline.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsById } from '../../src/client/runs';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { clusterAvailable, startTestCluster, type TestCluster } from '../helpers/cluster';
import { jsonLines } from '../helpers/files';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, postJson } from '../helpers/service';
import { tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/decisions');
const run = clusterAvailable() ? describe : describe.skip;

const carla: TestUser = { name: 'carla', token: 'tok-carla-agent', teams: { 'customer-care': 'agent' } };
const dora: TestUser = { name: 'dora', token: 'tok-dora-agent', teams: { 'duty-manager': 'agent' } };

const post = (id: string, text: string, threadId?: string) => ({
  channel: 'twitter',
  id,
  ...(threadId ? { threadId } : {}),
  author: { id: 'cluster-u1', handle: 'jane', name: 'Jane' },
  text,
  createdAt: new Date().toISOString(),
});

type Event = { type: string; [k: string]: unknown };

run('Hearken on a four-service Temporal cluster with two workers and two APIs', () => {
  let cluster: TestCluster | undefined;
  let connection: Connection | undefined;
  let client: Client;
  const children: Child[] = [];
  const apis: string[] = [];
  const dataDir = tempDir('cluster-data');
  const taskQueue = 'cluster-test';
  /** Alternates between the two APIs, as a load balancer would. */
  let turn = 0;
  const api = () => apis[turn++ % apis.length]!;
  const outbox = (id: string) => jsonLines(dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);
  const timeline = async (id: string): Promise<Event[]> => (await getJson(`${api()}/v1/interactions/${id}/history`)).body?.events ?? [];
  const pendingFor = (user: TestUser, id: string, team: string) =>
    eventually(
      async () => {
        const res = await getJson(`${api()}/v1/escalations?team=${team}`, bearer(user));
        return res.body?.escalations?.find((e: { interactionId: string }) => e.interactionId === id);
      },
      30_000,
      `${id} pending for ${team}`,
    );

  beforeAll(async () => {
    cluster = await startTestCluster();
    connection = await Connection.connect({ address: cluster.address });
    client = new Client({ connection, namespace: cluster.namespace });
    const tokensFile = writeTokensFile(tempDir('cluster-tokens'), [carla, dora]);
    const env = {
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: PACK,
      HEARKEN_TOKENS_FILE: tokensFile,
      // A handful of posts continue a thread as new.
      HEARKEN_MAX_HISTORY_EVENTS: '60',
    };
    for (let i = 0; i < 2; i++) children.push(spawnHearken('src/runtime/worker-main.ts', env));
    for (let i = 0; i < 2; i++) {
      const port = await pickFreePort();
      children.push(spawnHearken('src/runtime/api-main.ts', { ...env, PORT: String(port) }));
      apis.push(`http://127.0.0.1:${port}`);
    }
    // Slow on a busy 2-core box: each process compiles TypeScript, each worker bundles the workflows.
    await Promise.all(children.map((c) => c.waitFor('Hearken is running', 240_000)));
  }, 420_000);

  afterAll(async () => {
    // SIGTERM (workers drain), SIGKILL whatever has not exited 20 s later.
    await Promise.all(children.map((c) => Promise.race([c.kill('SIGTERM'), new Promise((r) => setTimeout(r, 20_000))])));
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await connection?.close();
    await cluster?.stop();
  }, 120_000);

  it('runs four Temporal services with at least 16 history shards, and both workers poll the task queue', async () => {
    expect(cluster!.numHistoryShards).toBeGreaterThanOrEqual(16);
    const pollers = await eventually(
      async () => {
        const res = await connection!.workflowService.describeTaskQueue({
          namespace: cluster!.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (res.pollers?.length ?? 0) >= 2 ? res.pollers : null;
      },
      30_000,
      'two pollers',
    );
    expect(new Set(pollers.map((p) => p.identity)).size).toBe(2);
    for (const url of apis) expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('a post captured through one API is a duplicate through the other, and its interim reply is published once', async () => {
    const first = await postJson(`${apis[0]}/v1/posts`, post('c-dup', '@sprintcare my bill is wrong'));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ interactionId: 'twitter:c-dup', duplicate: false });
    const again = await postJson(`${apis[1]}/v1/posts`, post('c-dup', '@sprintcare my bill is wrong'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ interactionId: 'twitter:c-dup', duplicate: true });
    await eventually(async () => outbox('twitter:c-dup').length >= 1, 30_000, 'the interim reply');
    const events = await eventually(
      async () => {
        const t = await timeline('twitter:c-dup');
        return t.some((e) => e.type === 'post.duplicate') ? t : null;
      },
      30_000,
      'the duplicate in the timeline',
    );
    expect(events.filter((e) => e.type === 'post.captured')).toHaveLength(1);
    expect(outbox('twitter:c-dup')).toHaveLength(1);
  });

  it('an escalation listed by one API and approved through the other publishes the drafted reply once, and the timeline shows who decided', async () => {
    const id = (await postJson(`${api()}/v1/posts`, post('c-approve', '@sprintcare my bill doubled'))).body.interactionId as string;
    await pendingFor(carla, id, 'customer-care');
    const decided = await postJson(`${api()}/v1/escalations/${id}/decision`, { decision: 'approve', note: 'ok' }, bearer(carla));
    expect(decided.status).toBe(200);
    await eventually(async () => outbox(id).length >= 2, 30_000, 'the approved reply');
    expect(outbox(id).map((l) => l.text)).toEqual(["Hi Jane, we're on it.", 'Hi Jane, we have fixed your bill.']);
    const events = await eventually(
      async () => {
        const t = await timeline(id);
        return t.filter((e) => e.type === 'reply.published').length === 2 ? t : null;
      },
      30_000,
      'both replies in the timeline',
    );
    expect(events.find((e) => e.type === 'escalation.decided')).toMatchObject({ actor: 'carla' });
    const keys = outbox(id).map((l) => l.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('when customer care lets the 2 s decision timer run out, the duty manager gets it and decides', async () => {
    const id = (await postJson(`${api()}/v1/posts`, post('c-timer', '@sprintcare urgent: card blocked'))).body.interactionId as string;
    const item = await pendingFor(dora, id, 'duty-manager');
    expect(item).toMatchObject({ team: 'duty-manager', level: 2 });
    const events = await timeline(id);
    expect(events.some((e) => e.type === 'timer.fired')).toBe(true);
    expect(events.find((e) => e.type === 'escalation.timed-out')).toMatchObject({ team: 'customer-care', level: 1 });
    const decided = await postJson(
      `${api()}/v1/escalations/${id}/decision`,
      { decision: 'approve', reply: 'Unblocked, sorry!' },
      bearer(dora),
    );
    expect(decided.status).toBe(200);
    await eventually(async () => outbox(id).some((l) => l.text === 'Unblocked, sorry!'), 30_000, 'the duty manager reply');
    expect(outbox(id).filter((l) => l.text === 'Unblocked, sorry!')).toHaveLength(1);
  });

  it('a long thread captured through both APIs continues as new and its timeline still shows every post once', async () => {
    const thread = 'c-long';
    const id = `twitter:${thread}`;
    const count = 24;
    for (let i = 0; i < count; i += 4) {
      // No policy matches "thanks": each post is triaged and ignored, so the run may continue as new at once.
      const batch = Array.from({ length: 4 }, (_, k) =>
        postJson(`${api()}/v1/posts`, post(`${thread}-${i + k}`, `@sprintcare thanks, part ${i + k}`, thread)),
      );
      for (const res of await Promise.all(batch)) expect([200, 202]).toContain(res.status);
    }
    const runs = await eventually(
      async () => {
        const all: string[] = [];
        for await (const wf of runsById(client, id)) all.push(wf.status.name);
        // Visibility is eventually consistent: the closed run can be listed before the run that continues it.
        return all.includes('CONTINUED_AS_NEW') && all.includes('RUNNING') ? all : null;
      },
      60_000,
      'a continued run and the run that continues it',
    );
    expect(runs.filter((s) => s === 'RUNNING')).toHaveLength(1);
    const events = await eventually(
      async () => {
        const t = await timeline(id);
        return t.filter((e) => e.type === 'post.triaged').length === count ? t : null;
      },
      60_000,
      `all ${count} posts triaged`,
    );
    expect(new Set(events.filter((e) => e.type === 'post.captured').map((e) => e.postId)).size).toBe(count);
    expect(events.some((e) => e.type === 'run.continued')).toBe(true);
    expect(events.filter((e) => e.type === 'post.captured').map((e) => e.postId)).toEqual(
      expect.arrayContaining([`${thread}-0`, `${thread}-${count - 1}`]),
    );
  }, 150_000);

  it('after a clean stop and a restart of the cluster on the same data, interactions, duplicates and new posts all work again', async () => {
    await cluster!.restart();
    for (const url of apis) await eventually(async () => (await fetch(`${url}/healthz`)).status === 200, 60_000, `${url} healthy again`);
    const kept = await getJson(`${api()}/v1/interactions/twitter:c-approve`);
    expect(kept.status).toBe(200);
    expect(kept.body.replies).toHaveLength(2);
    const again = await postJson(`${api()}/v1/posts`, post('c-dup', '@sprintcare my bill is wrong'));
    expect(again.body).toMatchObject({ interactionId: 'twitter:c-dup', duplicate: true });
    // The workers reconnected by themselves: a new post gets its interim reply.
    expect((await postJson(`${api()}/v1/posts`, post('c-after', '@sprintcare my bill, again'))).status).toBe(202);
    await eventually(async () => outbox('twitter:c-after').length === 1, 60_000, 'the interim reply after the restart');
  }, 180_000);
});
