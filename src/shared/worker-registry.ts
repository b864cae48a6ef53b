// Which policy pack each worker runs: the plain data the worker registry
// workflow keeps (src/workflows/worker-registry.ts) and the API reads back from
// its memo. Workflow-safe.

/** The registry's workflow id for a task queue: one registry per Hearken installation. */
export function workerRegistryId(taskQueue: string): string {
  return `hearken-workers:${taskQueue}`;
}

/** The memo field holding the registry's entries. */
export const WORKERS_MEMO = 'workers';

/** What a worker reports about itself. */
export interface WorkerReport {
  /** The worker's Temporal identity (`pid@host`), as DescribeTaskQueue lists its pollers. */
  identity: string;
  /** Version id of the policy pack it loaded (PackVersion.id). */
  packVersion: string;
}

/** A report as the registry keeps it. */
export interface WorkerEntry extends WorkerReport {
  /** When the registry heard it (ISO 8601, the registry's workflow time). */
  reportedAt: string;
}
