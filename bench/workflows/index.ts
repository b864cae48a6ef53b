// The two baselines Hearken is compared with: the least a Temporal workflow
// can do with an activity, on the same server, with the same worker options.
// Activity options match Hearken's assessPost (30 s start-to-close, default
// retry), so the difference measured is Hearken's own work.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from '../sut/baseline-activities';

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

/** Baseline A: one no-op activity. */
export async function baselineA(): Promise<void> {
  await noop();
}

/** Baseline B: a 1 s durable timer, then a no-op activity. */
export async function baselineB(): Promise<void> {
  await sleep(1000);
  await noop();
}

/**
 * Baseline C (memory only): one no-op activity, then a 24 h timer — the
 * least an open workflow waiting on a timer can hold in a worker's cache.
 */
export async function baselineC(): Promise<void> {
  await noop();
  await sleep('24 hours');
}
