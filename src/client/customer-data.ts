// Where one customer's data lives, for `hearken customer export` and
// `forget`: their interactions in Temporal (every run, found by the
// HearkenCustomer search attribute, then every run of each workflow id, so a
// run that did not carry the attribute is not missed) and their lines in the
// channel files of the data folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { runsById } from './runs';
import { canMatch, vq, type VisibilityQuery } from './visibility-query';

export interface CustomerRef {
  channel: string;
  /** The author's id, or their handle when the channel has no ids (as capture keys them). */
  authorId: string;
}

export interface RunRef {
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
}

/** The channel files that may name a customer's interactions (src/channels). */
export const CHANNEL_FILES = ['outbox.jsonl', 'notifications.jsonl'] as const;

/** `<channel>:<authorId>`, as the HearkenCustomer search attribute holds it (src/client/capture.ts). */
export function customerKeyOf(c: CustomerRef): string {
  const key = `${c.channel}:${c.authorId}`;
  // Visibility cannot find such a key (src/client/visibility-query.ts): say so instead of finding nothing.
  if (!canMatch(key)) throw new Error('channel and authorId must not hold backslashes, double quotes or control characters');
  return key;
}

export function customerQuery(c: CustomerRef): VisibilityQuery {
  return vq`WorkflowType = 'interaction' AND HearkenCustomer = ${customerKeyOf(c)}`;
}

/** Every run of every interaction of the customer, oldest first. */
export async function customerRuns(client: Client, c: CustomerRef): Promise<RunRef[]> {
  const ids = new Set<string>();
  for await (const wf of client.workflow.list({ query: customerQuery(c).text })) ids.add(wf.workflowId);
  const runs: RunRef[] = [];
  for (const workflowId of ids) {
    for await (const wf of runsById(client, workflowId)) {
      runs.push({
        workflowId,
        runId: wf.runId,
        status: wf.status.name,
        startTime: wf.startTime.toISOString(),
        closeTime: wf.closeTime?.toISOString() ?? null,
      });
    }
  }
  return runs.sort((a, b) => a.startTime.localeCompare(b.startTime));
}

/** The lines of a channel file that belong to these interactions (absent file: none). */
export function channelLines(dataDir: string, file: (typeof CHANNEL_FILES)[number], interactionIds: ReadonlySet<string>): unknown[] {
  const full = path.join(dataDir, file);
  if (!fs.existsSync(full)) return [];
  const out: unknown[] = [];
  for (const raw of fs.readFileSync(full, 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    try {
      const rec = JSON.parse(raw) as { interactionId?: unknown };
      if (typeof rec.interactionId === 'string' && interactionIds.has(rec.interactionId)) out.push(rec);
    } catch {
      // A torn line from a crash: not a record.
    }
  }
  return out;
}
