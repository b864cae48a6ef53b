// The worker registry: one long-lived workflow per task queue
// (`hearken-workers:<queue>`) to which each worker reports the policy pack
// version it runs, at start, on every reload and every few minutes. Why:
// interactions record the version they started with, but nothing showed that
// two workers run different packs (a half-finished deploy, one host whose
// checkout did not update), so the same post could get different answers
// depending on which worker took it. The registry's memo holds the reports;
// the API reads it with describe (answered by the server, no worker needed)
// and joins it with the task queue's live pollers (GET /healthz, GET
// /v1/policies, /metrics). Temporal is the store: no file, no process memory.
import { allHandlersFinished, condition, continueAsNew, defineSignal, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { WORKERS_MEMO, type WorkerEntry, type WorkerReport } from '../shared/worker-registry';

export const workerReportSignal = defineSignal<[WorkerReport]>('workerReport');

export interface WorkerRegistryInput {
  /** Carried over continue-as-new. */
  workers?: WorkerEntry[];
  /** History length at which it continues as new (default 2,000; tests use less). */
  maxHistoryEvents?: number;
}

/** A worker not heard from for this long is dropped (a restarted worker has a new identity). */
const FORGET_AFTER_MS = 24 * 3_600_000;
/** At most this many entries, the latest reports first: the memo stays small. */
const MAX_ENTRIES = 200;

export async function workerRegistry(input: WorkerRegistryInput = {}): Promise<void> {
  const workers = new Map<string, WorkerEntry>((input.workers ?? []).map((w) => [w.identity, w]));
  const maxEvents = input.maxHistoryEvents ?? 2_000;
  let changed = true;
  setHandler(workerReportSignal, (report) => {
    workers.set(report.identity, { identity: report.identity, packVersion: report.packVersion, reportedAt: new Date().toISOString() });
    changed = true;
  });
  for (;;) {
    await condition(() => changed);
    changed = false;
    const now = Date.now();
    const kept = [...workers.values()]
      .filter((w) => now - Date.parse(w.reportedAt) < FORGET_AFTER_MS)
      .sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))
      .slice(0, MAX_ENTRIES);
    workers.clear();
    for (const w of kept) workers.set(w.identity, w);
    upsertMemo({ [WORKERS_MEMO]: kept });
    const info = workflowInfo();
    if (info.historyLength >= maxEvents || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof workerRegistry>({ workers: [...workers.values()], maxHistoryEvents: maxEvents });
    }
  }
}
