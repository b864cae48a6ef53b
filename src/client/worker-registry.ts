// The client side of the worker registry (src/workflows/worker-registry.ts):
// a worker reports the pack version it runs (signal-with-start, so the first
// report starts the registry), and the API reads every worker's report back
// from the registry's memo and joins it with the task queue's live pollers:
// which versions are in use, by which workers, and whether they differ.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WORKERS_MEMO, workerRegistryId, type WorkerEntry, type WorkerReport } from '../shared/worker-registry';
import { workerRegistry, workerReportSignal } from '../workflows/worker-registry';

/** How often a worker reports again without a change: bounds how long a registry that was reset stays blind. */
export const REPORT_EVERY_MS = 5 * 60_000;
/** A poller seen within this long is a live worker (as GET /healthz counts them). */
export const LIVE_POLLER_MS = 90_000;

export async function reportWorker(client: Client, taskQueue: string, report: WorkerReport): Promise<void> {
  await client.workflow.signalWithStart(workerRegistry, {
    workflowId: workerRegistryId(taskQueue),
    taskQueue,
    args: [{}],
    signal: workerReportSignal,
    signalArgs: [report],
  });
}

/**
 * Reports now, on every pack change (`changed()`), and every REPORT_EVERY_MS.
 * A failed report is logged and retried with the next one; it never stops the worker.
 */
export function startWorkerReports(opts: {
  client: Client;
  taskQueue: string;
  identity: string;
  version: () => string;
  onError?: (err: unknown) => void;
  everyMs?: number;
}): { changed(): Promise<void>; close(): void } {
  const send = () =>
    reportWorker(opts.client, opts.taskQueue, { identity: opts.identity, packVersion: opts.version() }).catch((err: unknown) =>
      opts.onError?.(err),
    );
  const timer = setInterval(() => void send(), opts.everyMs ?? REPORT_EVERY_MS);
  timer.unref();
  void send();
  return { changed: send, close: () => clearInterval(timer) };
}

/** What GET /healthz and GET /v1/policies show about the workers' packs. */
export interface WorkerPacksView {
  /** ok: every live worker reported one version, this process's; mismatch: two or more versions; unknown: not known yet. */
  status: 'ok' | 'mismatch' | 'unknown';
  /** The distinct versions in use: the live workers' and this process's, each with who runs it. */
  versions: Array<{ version: string; workers: string[]; thisProcess: boolean }>;
  /** Every live worker (polling within 90 s) and the version it last reported (null: none yet). */
  workers: Array<{ identity: string; version: string | null; reportedAt: string | null }>;
  detail?: string;
}

/** Reads the registry and the task queue's pollers. */
export class WorkerPacks {
  constructor(
    private readonly client: Client,
    private readonly namespace: string,
    private readonly taskQueue: string,
  ) {}

  async read(thisVersion: string, now: number = Date.now()): Promise<WorkerPacksView> {
    const [entries, pollers] = await Promise.all([this.entries(), this.livePollers(now)]);
    return joinWorkerPacks(entries, pollers, thisVersion);
  }

  /** The registry's entries; none when no worker ever reported. */
  async entries(): Promise<WorkerEntry[]> {
    try {
      const description = await this.client.workflow.getHandle(workerRegistryId(this.taskQueue)).describe();
      const memo = description.memo?.[WORKERS_MEMO];
      return Array.isArray(memo) ? (memo as WorkerEntry[]) : [];
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  }

  /** Identities of the workers that polled the task queue for workflow tasks within LIVE_POLLER_MS. */
  async livePollers(now: number): Promise<string[]> {
    const queue = await this.client.workflowService.describeTaskQueue({
      namespace: this.namespace,
      taskQueue: { name: this.taskQueue, kind: 1 }, // TASK_QUEUE_KIND_NORMAL
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return (queue.pollers ?? [])
      .filter((p) => now - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < LIVE_POLLER_MS)
      .map((p) => p.identity ?? '')
      .filter(Boolean);
  }
}

/** Pure: which version each live worker runs, and whether they (and this process) agree. */
export function joinWorkerPacks(entries: readonly WorkerEntry[], livePollers: readonly string[], thisVersion: string): WorkerPacksView {
  const byIdentity = new Map(entries.map((e) => [e.identity, e]));
  const workers = [...new Set(livePollers)].sort().map((identity) => {
    const e = byIdentity.get(identity);
    return { identity, version: e?.packVersion ?? null, reportedAt: e?.reportedAt ?? null };
  });
  const versions = new Map<string, string[]>();
  for (const w of workers) if (w.version !== null) versions.set(w.version, [...(versions.get(w.version) ?? []), w.identity]);
  if (!versions.has(thisVersion)) versions.set(thisVersion, []);
  const list = [...versions].map(([version, ids]) => ({ version, workers: ids, thisProcess: version === thisVersion }));
  const unreported = workers.filter((w) => w.version === null).length;
  if (list.length > 1) {
    return {
      status: 'mismatch',
      versions: list,
      workers,
      detail: `${list.length} policy pack versions in use: ${list.map((v) => `${v.version} (${v.workers.length} worker(s)${v.thisProcess ? ', this process' : ''})`).join(', ')}`,
    };
  }
  if (workers.length === 0 || unreported > 0) {
    return {
      status: 'unknown',
      versions: list,
      workers,
      detail: workers.length === 0 ? 'no live worker' : `${unreported} live worker(s) have not reported their pack version yet`,
    };
  }
  return { status: 'ok', versions: list, workers };
}
