// Worker options under test. `workerOptionsFor({})` is exactly what
// src/runtime/temporal/worker.ts createWorker passes with the default
// configuration (SDK defaults, Hearken's default cache size, a 10 s shutdown
// grace), so "before" figures are Hearken as a user gets it; every other
// field is an experiment the bench can measure without editing src.
import type { WorkerOptions } from '@temporalio/worker';
import { readSettings } from '../../src/runtime/config';

/** HEARKEN_MAX_CACHED_WORKFLOWS as the product defaults it on this machine. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = readSettings(['maxCachedWorkflows'], {}).maxCachedWorkflows;

export interface Tuning {
  maxCachedWorkflows?: number;
  reuseV8Context?: boolean;
  workflowThreadPoolSize?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  maxConcurrentActivityTaskPolls?: number;
  /** Hearken only: publish to the outbox file (default, as shipped) or to memory. */
  channel?: 'outbox' | 'memory';
  /** Hearken only: run assessPost as a local activity (a workflow interceptor reroutes it). */
  assessAsLocalActivity?: boolean;
  /** Hearken only: one search-attribute and one memo upsert per workflow task (a workflow interceptor merges them). */
  coalesceUpserts?: boolean;
}

type TunableOptions = Omit<WorkerOptions, 'connection' | 'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath'>;

export function workerOptionsFor(t: Tuning): TunableOptions {
  return {
    // As in src/runtime/temporal/worker.ts.
    shutdownGraceTime: '10 seconds',
    maxCachedWorkflows: t.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(t.reuseV8Context !== undefined ? { reuseV8Context: t.reuseV8Context } : {}),
    ...(t.workflowThreadPoolSize !== undefined ? { workflowThreadPoolSize: t.workflowThreadPoolSize } : {}),
    ...(t.maxConcurrentWorkflowTaskExecutions !== undefined
      ? { maxConcurrentWorkflowTaskExecutions: t.maxConcurrentWorkflowTaskExecutions }
      : {}),
    ...(t.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: t.maxConcurrentActivityTaskExecutions }
      : {}),
    ...(t.maxConcurrentLocalActivityExecutions !== undefined
      ? { maxConcurrentLocalActivityExecutions: t.maxConcurrentLocalActivityExecutions }
      : {}),
    ...(t.maxConcurrentWorkflowTaskPolls !== undefined
      ? { workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: t.maxConcurrentWorkflowTaskPolls } }
      : {}),
    ...(t.maxConcurrentActivityTaskPolls !== undefined
      ? { activityTaskPollerBehavior: { type: 'simple-maximum', maximum: t.maxConcurrentActivityTaskPolls } }
      : {}),
  } as TunableOptions;
}

/** A short label for tables: the fields that differ from as-shipped. */
export function describeTuning(t: Tuning): string {
  const parts = Object.entries(t).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'as shipped';
}
