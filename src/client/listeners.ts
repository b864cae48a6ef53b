// Starts the listener workflow of every connected account (one per account,
// id listener:<account id>); starting one that runs already is a no-op, so
// any number of workers may call this at start and on each pack reload. A
// listener whose account left the pack stops by itself at its next round.
import type { Client } from '@temporalio/client';
import { accountId, isConnected } from '../policy/pack/channel-checks';
import type { PolicyPack } from '../policy/types';
import { listenerWorkflowId, type ListenerInput } from '../workflows/listener-definitions';
import type { listener } from '../workflows/listener';

export interface EnsureListenersOptions {
  taskQueue: string;
  /** Length of one listen round; tests shorten it. */
  runMs?: number;
}

export async function ensureListeners(client: Client, pack: PolicyPack, opts: EnsureListenersOptions): Promise<string[]> {
  const started: string[] = [];
  for (const account of pack.accounts.filter(isConnected)) {
    if (account.webhook) continue; // pushed to us: nothing to listen to
    const id = accountId(account);
    const input: ListenerInput = {
      accountId: id,
      since: new Date().toISOString(),
      ...(opts.runMs !== undefined ? { runMs: opts.runMs } : {}),
    };
    await client.workflow.start<typeof listener>('listener', {
      workflowId: listenerWorkflowId(id),
      taskQueue: opts.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    started.push(id);
  }
  return started;
}
