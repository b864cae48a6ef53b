// The Hearken worker: interaction workflows plus their activities, on one task queue.
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { careMetricsSinks } from '../care-metrics-sinks';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/**
 * Part of the workflow code: histories recorded with them replay only with
 * them, so every bundle of WORKFLOWS_PATH must include them.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('../../workflows/coalesce-upserts.ts', import.meta.url))];

/** Bundles workflow code once; workers (and tests) reuse the bundle. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleWithSourceMap;
  maxCachedWorkflows?: number;
  /** The worker's Temporal identity (default: the SDK's, pid@host). */
  identity?: string;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  const workflowBundle = opts.workflowBundle ?? (await bundleWorkflows());
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle,
    activities: createActivities(opts.deps),
    sinks: careMetricsSinks(),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
    // Drain: running activities get this long to finish on SIGTERM.
    shutdownGraceTime: '10 seconds',
  });
}
