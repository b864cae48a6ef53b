// The worker registry workflow on a real dev server: reports from several
// workers are kept per identity (the latest wins), survive continue-as-new,
// and are what the API reads from the memo; its history replays against the
// current workflow code.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportWorker, WorkerPacks } from '../../src/client/worker-registry';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { workerRegistryId } from '../../src/shared/worker-registry';
import { workerRegistry } from '../../src/workflows/worker-registry';
import { eventually } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';

const run = temporalAvailable() ? describe : describe.skip;

run('worker registry', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    [server, bundle] = await Promise.all([startTestServer(), bundleWorkflows()]);
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('keeps the latest report of each worker across continue-as-new, and its history replays', async () => {
    const taskQueue = `registry-${Math.random().toString(36).slice(2, 8)}`;
    const native = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle });
    await worker.runUntil(async () => {
      const id = workerRegistryId(taskQueue);
      // Started small, so that a dozen reports make it continue as new.
      const first = await client.workflow.start(workerRegistry, { workflowId: id, taskQueue, args: [{ maxHistoryEvents: 15 }] });
      for (let i = 0; i < 12; i++) await reportWorker(client, taskQueue, { identity: `w${i % 3}@host`, packVersion: `v${i}` });
      const entries = await eventually(
        async () => {
          const e = await new WorkerPacks(client, 'default', taskQueue).entries();
          return e.find((x) => x.identity === 'w2@host')?.packVersion === 'v11' ? e : null;
        },
        30_000,
        'the last report in the memo',
      );
      expect(Object.fromEntries(entries.map((e) => [e.identity, e.packVersion]))).toEqual({
        'w0@host': 'v9',
        'w1@host': 'v10',
        'w2@host': 'v11',
      });
      expect(entries.every((e) => !Number.isNaN(Date.parse(e.reportedAt)))).toBe(true);
      const now = await client.workflow.getHandle(id).describe();
      expect(now.runId).not.toBe(first.firstExecutionRunId);
      const history = await client.workflow.getHandle(id, first.firstExecutionRunId).fetchHistory();
      expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      await Worker.runReplayHistory({ workflowBundle: bundle }, history, id);
    });
    await native.close();
  }, 90_000);
});
