// GET /v1/channels: each connected account with its listener's state: the
// listener workflow's own state (rounds done) merged with the running listen
// activity's heartbeat (the round in progress), which the server keeps in the
// workflow's pending activities, so nothing but Temporal is asked.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { accountId } from '../../policy/pack/channel-checks';
import type { AccountSpec } from '../../policy/types';
import type { Connectors } from '../../channels/connectors';
import { listenerStateQuery, listenerWorkflowId, type ListenerState, type ListenProgress } from '../../workflows/listener-definitions';
import type { ChannelList } from '../types.generated';

type Channel = ChannelList['channels'][number];
type Listener = NonNullable<Channel['listener']>;

export async function channelStatus(client: Client, connectors: Connectors): Promise<ChannelList> {
  return { channels: await Promise.all(connectors.accounts().map((a) => accountStatus(client, connectors, a))) };
}

async function accountStatus(client: Client, connectors: Connectors, account: AccountSpec): Promise<Channel> {
  const id = accountId(account);
  const kind = account.bluesky ? 'bluesky' : account.mastodon ? 'mastodon' : 'webhook';
  const warnings: string[] = [];
  let textLimit: Channel['textLimit'] = null;
  try {
    textLimit = (await connectors.forAccount(id)?.textLimit()) ?? null;
  } catch (err) {
    warnings.push((err as Error).message);
  }
  const base = { id, channel: account.channel, handle: account.handle, kind, textLimit, warnings } as const;
  if (kind === 'webhook') return { ...base, webhook: { path: `/v1/channels/webhook/${id}` }, listener: null };
  const listener = await listenerStatus(client, id);
  warnings.push(...listener.warnings);
  return { ...base, listener: listener.status };
}

async function listenerStatus(client: Client, id: string): Promise<{ status: Listener; warnings: string[] }> {
  const workflowId = listenerWorkflowId(id);
  const empty: Listener = {
    workflowId,
    status: 'not-started',
    cursor: null,
    lastPost: null,
    lagMs: null,
    lastError: null,
    waiting: null,
    lastHeartbeatAt: null,
    totals: { captured: 0, duplicates: 0, echoes: 0, brandReplies: 0 },
  };
  const handle = client.workflow.getHandle(workflowId);
  let desc;
  try {
    desc = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { status: empty, warnings: [] };
    throw err;
  }
  if (desc.status.name !== 'RUNNING') return { status: { ...empty, status: 'stopped' }, warnings: [] };
  const state: ListenerState | null = await handle.query(listenerStateQuery).catch(() => null);
  const pending = desc.raw.pendingActivities?.find((a) => a.activityType?.name === 'listenAccount');
  const payload = pending?.heartbeatDetails?.payloads?.[0];
  const live = payload ? (defaultPayloadConverter.fromPayload(payload) as ListenProgress) : undefined;
  const lastPost = live?.lastPost ?? state?.lastPost ?? null;
  const failure = pending?.lastFailure?.message;
  const waiting = live?.waiting && Date.parse(live.waiting.until) > Date.now() ? live.waiting : null;
  const heartbeat = pending?.lastHeartbeatTime?.seconds;
  const t = state?.totals ?? empty.totals;
  const l = live?.totals ?? empty.totals;
  return {
    warnings: live?.warnings ?? [],
    status: {
      workflowId,
      status: failure || waiting ? 'waiting' : 'listening',
      cursor: live?.cursor ?? state?.cursor ?? null,
      lastPost,
      lagMs: lastPost ? Math.max(0, Date.parse(lastPost.capturedAt) - Date.parse(lastPost.at)) : null,
      lastError: failure ? { message: failure, attempt: pending?.attempt ?? 1 } : null,
      waiting,
      lastHeartbeatAt: heartbeat ? new Date(Number(heartbeat) * 1000).toISOString() : null,
      totals: {
        captured: t.captured + l.captured,
        duplicates: t.duplicates + l.duplicates,
        echoes: t.echoes + l.echoes,
        brandReplies: t.brandReplies + l.brandReplies,
      },
    },
  };
}
