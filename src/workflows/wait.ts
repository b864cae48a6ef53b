// A bounded wait on a workflow condition, shared by escalations and commitments.
import { condition } from '@temporalio/workflow';

/** Waits until `fn` holds or `ms` pass; true when it held. */
export function waitFor(fn: () => boolean, ms: number, summary: string): Promise<boolean> {
  if (fn()) return Promise.resolve(true);
  if (ms <= 0) return Promise.resolve(false);
  return condition(fn, ms, { summary });
}
