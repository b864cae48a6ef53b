// A Hearken worker child of the fault-injection suite: what `npm run worker`
// starts (src/runtime/service.ts startService with the worker only — the pack
// store, createActivities, the outbox, the notifier, src's worker options,
// every setting from the environment), with two differences:
// - the workflow bundle is built once by the parent and read from a file
//   (the same code bundleWorkflows() builds), so a restart after SIGKILL does
//   not spend seconds of a shared CPU on webpack;
// - the outbox is wrapped in FlakyChannel, which the parent tells by IPC what
//   share of publishes to fail (0 unless a scenario asks for it).
// It reports `ready` and each injected fault to the parent by IPC.
import fs from 'node:fs';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { OutboxChannel } from '../../../src/channels/outbox';
import { loadConfig } from '../../../src/runtime/config';
import { createLogger } from '../../../src/runtime/logger';
import { startService } from '../../../src/runtime/service';
import { FlakyChannel, type InjectedFault } from './flaky-channel';

export type WorkerMessage = { ready: true; pid: number } | { fault: InjectedFault };
export type WorkerControl = { channelFailRate: number };

async function main(): Promise<void> {
  const config = loadConfig();
  // A restarted worker must not wait for the port of the one just killed: any free port.
  config.workerMetricsPort ??= 0;
  const logger = createLogger(config.logLevel);
  const bundle = JSON.parse(fs.readFileSync(process.env.CHAOS_WORKFLOW_BUNDLE ?? '', 'utf8')) as WorkflowBundleWithSourceMap;
  const send = (m: WorkerMessage): void => {
    if (process.connected) process.send?.(m);
  };
  const channel = new FlakyChannel(new OutboxChannel(config.dataDir), {
    failRate: Number(process.env.CHAOS_CHANNEL_FAIL_RATE ?? 0),
    onFault: (fault) => send({ fault }),
  });
  process.on('message', (m: WorkerControl) => {
    if (typeof m.channelFailRate === 'number') channel.failRate = m.channelFailRate;
  });
  const service = await startService({ config, logger, worker: true, api: false, channel, workflowBundle: bundle });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent going away (even SIGKILL) closes the IPC channel: stop then too.
  process.on('disconnect', stop);
  send({ ready: true, pid: process.pid });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
