// The listener: one long-lived workflow per connected account. It runs the
// listen activity in rounds; the activity streams or polls the platform,
// captures every post addressed to the account the way POST /v1/posts does,
// and heartbeats its cursor, so a worker killed mid-round is replaced by a
// retry that resumes from the last heartbeat. Each finished round's cursor
// is in this workflow's history: the cursor survives a restart of everything.
// The workflow continues as new before its history grows long.
import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { listenerStateQuery, NO_TOTALS, type ListenerInput, type ListenerState } from './listener-definitions';

const { listenAccount } = proxyActivities<Activities>({
  // A round runs runMs (5 minutes by default); a dead worker is noticed within the heartbeat timeout.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '10 seconds',
  // Platform errors back off up to two minutes between attempts, forever: a
  // listener waits out an outage, then catches up from its cursor.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

const MAX_ROUNDS_PER_RUN = 200;

export async function listener(input: ListenerInput): Promise<{ status: 'stopped' }> {
  const state: ListenerState = {
    accountId: input.accountId,
    status: 'listening',
    since: input.since,
    cursor: input.cursor ?? null,
    totals: { ...(input.totals ?? NO_TOTALS) },
    lastPost: input.lastPost ?? null,
    rounds: 0,
    runs: input.runs ?? 0,
  };
  setHandler(listenerStateQuery, () => state);

  for (;;) {
    const out = await listenAccount({
      accountId: input.accountId,
      since: input.since,
      ...(state.cursor !== null ? { cursor: state.cursor } : {}),
      ...(input.runMs !== undefined ? { runMs: input.runMs } : {}),
    });
    state.rounds++;
    if (out.cursor !== undefined) state.cursor = out.cursor;
    state.totals = {
      captured: state.totals.captured + out.totals.captured,
      duplicates: state.totals.duplicates + out.totals.duplicates,
      echoes: state.totals.echoes + out.totals.echoes,
      brandReplies: state.totals.brandReplies + out.totals.brandReplies,
    };
    if (out.lastPost) state.lastPost = out.lastPost;
    if (out.disconnected) {
      state.status = 'stopped';
      return { status: 'stopped' };
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || state.rounds >= MAX_ROUNDS_PER_RUN) {
      return continueAsNew<typeof listener>({
        ...input,
        ...(state.cursor !== null ? { cursor: state.cursor } : {}),
        totals: state.totals,
        runs: state.runs + 1,
        ...(state.lastPost ? { lastPost: state.lastPost } : {}),
      });
    }
  }
}
