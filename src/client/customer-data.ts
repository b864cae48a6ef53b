// Where one customer's data lives, for `hearken customer export` and
// `forget`: their interactions in Temporal (every run, found by the
// HearkenCustomer search attribute, then every run of each workflow id, so a
// run that did not carry the attribute is not missed) and their lines in the
// channel files of the data folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';

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

// Values go into a visibility query: only what ids are made of.
const SAFE = /^[^'"\\\s\p{Cc}]{1,300}$/u;

/** `<channel>:<authorId>`, as the HearkenCustomer search attribute holds it (src/client/capture.ts). */
export function customerKeyOf(c: CustomerRef): string {
  if (!SAFE.test(c.channel) || !SAFE.test(c.authorId)) {
    throw new Error('channel and authorId must be plain ids: no quotes, backslashes, spaces or control characters');
  }
  return `${c.channel}:${c.authorId}`;
}

export function customerQuery(c: CustomerRef): string {
  return `WorkflowType = 'interaction' AND HearkenCustomer = '${customerKeyOf(c)}'`;
}

/** Every run of every interaction of the customer, oldest first. */
export async function customerRuns(client: Client, c: CustomerRef): Promise<RunRef[]> {
  const ids = new Set<string>();
  for await (const wf of client.workflow.list({ query: customerQuery(c) })) ids.add(wf.workflowId);
  const runs: RunRef[] = [];
  for (const workflowId of ids) {
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/['\\]/gu, '\\$&')}'` })) {
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
