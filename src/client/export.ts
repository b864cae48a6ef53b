// Everything Hearken holds about one customer (`hearken customer export`):
// each interaction of theirs with every run, its state (the workflow's state
// query: posts, triage, policy, steps, commitments, replies, escalations, held
// replies) and its whole audit timeline, plus their lines in the channel
// files. A Hearken worker must be running to answer the queries.
import type { Client } from '@temporalio/client';
import { stateQuery, type InteractionState } from '../workflows/definitions';
import { buildTimeline, type TimelineEntry } from './timeline';
import type { LedgerName, LedgerStore } from '../channels/ledger';
import { channelLines, customerKeyOf, customerRuns, type CustomerRef, type RunRef } from './customer-data';

export interface CustomerExport {
  customer: CustomerRef & { key: string };
  exportedAt: string;
  interactions: Array<{
    interactionId: string;
    runs: Array<Omit<RunRef, 'workflowId'>>;
    state: InteractionState;
    timeline: TimelineEntry[];
  }>;
  /** Their lines of outbox.jsonl: the replies published to them. */
  outbox: unknown[];
  /** Their lines of notifications.jsonl: what teams were told about their interactions. */
  notifications: unknown[];
}

export async function exportCustomer(opts: {
  client: Client;
  dataDir: string;
  customer: CustomerRef;
  /** Where the ledgers are when not in the data folder (HEARKEN_DATABASE_URL). */
  ledgers?: LedgerStore;
}): Promise<CustomerExport> {
  const key = customerKeyOf(opts.customer);
  const runs = await customerRuns(opts.client, opts.customer);
  const ids = [...new Set(runs.map((r) => r.workflowId))];
  const interactions: CustomerExport['interactions'] = [];
  for (const interactionId of ids) {
    const [state, timeline] = await Promise.all([
      opts.client.workflow.getHandle(interactionId).query(stateQuery),
      buildTimeline(opts.client, interactionId),
    ]);
    interactions.push({
      interactionId,
      runs: runs.filter((r) => r.workflowId === interactionId).map(({ workflowId: _id, ...run }) => run),
      state,
      timeline,
    });
  }
  const idSet = new Set(ids);
  return {
    customer: { ...opts.customer, key },
    exportedAt: new Date().toISOString(),
    interactions,
    outbox: opts.ledgers ? await ledgerRecords(opts.ledgers, 'outbox', idSet) : channelLines(opts.dataDir, 'outbox.jsonl', idSet),
    notifications: opts.ledgers
      ? await ledgerRecords(opts.ledgers, 'notifications', idSet)
      : channelLines(opts.dataDir, 'notifications.jsonl', idSet),
  };
}

/** The records of a ledger that belong to these interactions. */
async function ledgerRecords(ledgers: LedgerStore, name: LedgerName, interactionIds: ReadonlySet<string>): Promise<unknown[]> {
  const all = await ledgers.open<{ idempotencyKey: string; interactionId?: unknown }>(name).all();
  return all.filter((r) => typeof r.interactionId === 'string' && interactionIds.has(r.interactionId));
}
