// A post stays one post after its interaction closed. Connectors redeliver
// hours or days later; the same channel + id captured again within
// HEARKEN_DEDUP_DAYS answers 200 duplicate:true and starts no new run,
// however many times the thread was reopened and closed since, while a new
// post in a closed thread still reopens it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { runsById } from '../../src/client/runs';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { jsonLines } from '../helpers/files';
import { eventually, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, tempDir, temporalAvailable } from '../helpers/temporal';

const PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() ? describe : describe.skip;

const post = (id: string, threadId?: string) => ({
  channel: 'twitter',
  id,
  ...(threadId ? { threadId } : {}),
  author: { id: 'dedup-u1', handle: 'jane', name: 'Jane' },
  text: '@sprintcare my parcel never arrived',
  createdAt: new Date().toISOString(),
});

run('a post captured again after its interaction closed', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let svc: TestService;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    // Interactions close one second after their last step.
    svc = await startTestService({ temporalAddress: server.address, workflowBundle: bundle, policiesDir: PACK, idleCloseSeconds: 1 });
  });
  afterAll(async () => {
    await svc?.stop();
    await server?.stop();
  });

  const runs = async (id: string) => {
    const all = [];
    for await (const wf of runsById(svc.client, id)) all.push(wf);
    return all;
  };
  const closed = (id: string, count: number) =>
    eventually(
      async () => {
        const d = await svc.client.workflow.getHandle(id).describe();
        return d.status.name === 'COMPLETED' && (await runs(id)).filter((r) => r.status.name === 'COMPLETED').length === count;
      },
      30_000,
      `${id} closed (${count} runs)`,
    );
  const replies = (id: string) => jsonLines(svc.config.dataDir, 'outbox.jsonl').filter((l) => l.interactionId === id);

  it('a redelivery after the close answers 200 duplicate:true and starts no new run', async () => {
    const id = 'twitter:dd-1';
    expect((await postJson(`${svc.url}/v1/posts`, post('dd-1'))).status).toBe(202);
    await closed(id, 1);
    const repliesBefore = replies(id).length;
    expect(repliesBefore).toBe(1);

    const again = await postJson(`${svc.url}/v1/posts`, post('dd-1'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ interactionId: id, postId: 'dd-1', duplicate: true });
    // Still one run, closed; nothing published again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await runs(id)).map((r) => r.status.name)).toEqual(['COMPLETED']);
    expect(replies(id)).toHaveLength(repliesBefore);
  });

  it('a new post reopens the closed thread; then every earlier post, of either run, stays a duplicate', async () => {
    const id = 'twitter:dd-2';
    expect((await postJson(`${svc.url}/v1/posts`, post('dd-2'))).status).toBe(202);
    await closed(id, 1);
    // A different post of the same thread: a new run.
    const reply = await postJson(`${svc.url}/v1/posts`, post('dd-2b', 'dd-2'));
    expect(reply.status).toBe(202);
    expect(reply.body.duplicate).toBe(false);
    await closed(id, 2);
    // The first post is known only to the first run, the second only to the second.
    for (const p of [post('dd-2'), post('dd-2b', 'dd-2')]) {
      const again = await postJson(`${svc.url}/v1/posts`, p);
      expect(again.status, p.id).toBe(200);
      expect(again.body.duplicate, p.id).toBe(true);
    }
    expect(await runs(id)).toHaveLength(2);
  });

  it('works for a thread id visibility cannot compare exactly (a backslash and a quote)', async () => {
    const thread = "dd\\'3";
    const id = `twitter:${thread}`;
    expect((await postJson(`${svc.url}/v1/posts`, post(thread))).status).toBe(202);
    await closed(id, 1);
    expect((await postJson(`${svc.url}/v1/posts`, post(`${thread}b`, thread))).status).toBe(202);
    await closed(id, 2);
    const again = await postJson(`${svc.url}/v1/posts`, post(thread));
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
  });

  it('with HEARKEN_DEDUP_DAYS=0 a closed interaction is not asked: the redelivery starts a new run', async () => {
    const noDedup = await startTestService({
      temporalAddress: server.address,
      workflowBundle: bundle,
      policiesDir: PACK,
      idleCloseSeconds: 1,
      taskQueue: svc.config.taskQueue,
      dedupDays: 0,
    });
    try {
      const id = 'twitter:dd-4';
      expect((await postJson(`${noDedup.url}/v1/posts`, post('dd-4'))).status).toBe(202);
      await closed(id, 1);
      const again = await postJson(`${noDedup.url}/v1/posts`, post('dd-4'));
      expect(again.status).toBe(202);
      expect(again.body.duplicate).toBe(false);
    } finally {
      await noDedup.stop();
    }
  });

  it('the embedded dev server keeps closed workflows for the dedup period and a day', async () => {
    // As `npm start` sets it for the default HEARKEN_DEDUP_DAYS (src/runtime/service.ts); also on an existing SQLite file.
    const dataDir = tempDir('retention');
    for (const retentionMs of [31 * 86_400_000, 8 * 86_400_000]) {
      const dev = await startTestServer(dataDir, { retentionMs });
      const connection = await Connection.connect({ address: dev.address });
      try {
        const ns = await new Client({ connection }).workflowService.describeNamespace({ namespace: 'default' });
        expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds) * 1000).toBe(retentionMs);
      } finally {
        await connection.close();
        await dev.stop();
      }
    }
  });
});
