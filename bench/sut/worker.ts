// A worker child process of the bench: the baseline workflows or Hearken's
// interaction workflow, with the worker options the bench hands it (the same
// for both suites), run in its own process so its RSS is its own and the
// load generator does not share its event loop.
//
// Hearken's side is built from the same parts as src/runtime/temporal/worker.ts
// (createActivities, the pack store, the outbox and notifier), except that
// the channel adapter also reports when each reply was published. Worker
// options beyond src's (cache size, slots, reuseV8Context) come from the
// bench's tuning, so their effect can be measured without editing src.
//
// It tells the parent, by IPC in batches, when each activity starts (with
// its schedule-to-start time), when a workflow settles (bench/workflows/probe.ts)
// and when a reply is published.
import { Context } from '@temporalio/activity';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { ChannelAdapter, OutgoingReply } from '../../src/channels/channel';
import { Notifier } from '../../src/channels/notifier';
import { OutboxChannel } from '../../src/channels/outbox';
import { PackStore } from '../../src/policy/pack/pack-store';
import type { ProbeEvent, WorkerChildConfig } from '../lib/sut-protocol';
import { workerOptionsFor } from '../lib/tuning';
import { baselineActivities } from './baseline-activities';
import { careMetricsSinks } from '../../src/runtime/care-metrics-sinks';

const config = JSON.parse(process.env.BENCH_WORKER_CONFIG ?? '') as WorkerChildConfig;

// Events go to the parent every 10 ms in one message: one IPC message per
// event would cost the worker more than the work it reports on.
let batch: ProbeEvent[] = [];
function emit(e: ProbeEvent): void {
  batch.push(e);
}
const flusher = setInterval(() => {
  if (batch.length === 0 || !process.send) return;
  process.send(batch);
  batch = [];
}, 10);

const now = (): number => performance.timeOrigin + performance.now();

/** Publishes through the real channel, then reports when the reply went out. */
class TimestampingChannel implements ChannelAdapter {
  readonly name: string;
  constructor(private readonly inner: ChannelAdapter) {
    this.name = inner.name;
  }
  async publish(reply: OutgoingReply) {
    const out = await this.inner.publish(reply);
    emit({ kind: 'reply', wf: reply.interactionId, at: now() });
    return out;
  }
}

/** In memory: for the experiment that shows what the outbox file costs. */
class MemoryChannel implements ChannelAdapter {
  readonly name = 'memory';
  private readonly seen = new Map<string, { messageId: string; publishedAt: string }>();
  async publish(reply: OutgoingReply) {
    const hit = this.seen.get(reply.idempotencyKey);
    const rec = hit ?? { messageId: `mem-${this.seen.size}`, publishedAt: new Date().toISOString() };
    if (!hit) this.seen.set(reply.idempotencyKey, rec);
    return { reply: { ...reply, ...rec }, duplicate: hit !== undefined };
  }
}

async function main(): Promise<void> {
  // Core logs only warnings, like Hearken's service (src/service.ts).
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.address });
  let activities: object;
  let packs: PackStore | null = null;
  if (config.suite === 'baseline') {
    activities = baselineActivities;
  } else {
    packs = await PackStore.open(config.policiesDir);
    const inner = config.tuning.channel === 'memory' ? new MemoryChannel() : new OutboxChannel(config.dataDir);
    activities = createActivities({ packs, channel: new TimestampingChannel(inner), notifier: new Notifier(config.dataDir) });
  }
  const worker = await Worker.create({
    ...workerOptionsFor(config.tuning),
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: { codePath: config.bundlePath },
    activities,
    interceptors: {
      activity: [
        () => ({
          inbound: {
            execute(input, next) {
              const info = Context.current().info;
              const at = now();
              emit({
                kind: 'act',
                wf: info.workflowExecution?.workflowId ?? '',
                type: info.activityType,
                at,
                s2s: at - info.currentAttemptScheduledTimestampMs,
                local: info.isLocal,
              });
              return next(input);
            },
          },
        }),
      ],
    },
    sinks: {
      // Hearken's own care metrics, as src/runtime/temporal/worker.ts registers them (unregistered sinks log an error per call).
      ...careMetricsSinks(),
      probe: {
        settled: { fn: (info) => emit({ kind: 'settled', wf: info.workflowId, at: now() }), callDuringReplay: false },
      },
    },
  });
  const running = worker.run();
  const stop = (): void => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent going away (even SIGKILL) closes the IPC channel: stop then too.
  process.on('disconnect', stop);
  process.send?.({ ready: true, pid: process.pid });
  await running;
  clearInterval(flusher);
  await packs?.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
