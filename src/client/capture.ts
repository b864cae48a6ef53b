// Capture: a post goes to the workflow of its thread by update-with-start,
// so the first post of a thread starts the interaction and later ones join it
// in one round trip; the workflow dedups posts by channel + id.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { interactionIdFor, type Post } from '../shared/post';
import { SA } from '../shared/search-attributes';
import { addPostUpdate, type AddPostResult } from '../workflows/definitions';
import type { interaction } from '../workflows/interaction';

export interface CaptureOptions {
  taskQueue: string;
  idleCloseMs: number;
  maxHistoryEvents: number;
}

export function customerKey(post: Post): string {
  return `${post.channel}:${post.author.id ?? post.author.handle ?? 'unknown'}`;
}

export async function capturePost(client: Client, opts: CaptureOptions, post: Post): Promise<AddPostResult> {
  const interactionId = interactionIdFor(post);
  const start = new WithStartWorkflowOperation<typeof interaction>('interaction', {
    workflowId: interactionId,
    taskQueue: opts.taskQueue,
    args: [{ interactionId, idleCloseMs: opts.idleCloseMs, maxHistoryEvents: opts.maxHistoryEvents }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: SA.status, value: 'triaging' },
      { key: SA.channel, value: post.channel },
      { key: SA.customer, value: customerKey(post) },
    ],
  });
  return client.workflow.executeUpdateWithStart(addPostUpdate, { args: [post], startWorkflowOperation: start });
}

/**
 * Capture, retried a few times when the thread's run closed (continue-as-new,
 * idle close) between the server routing the update and accepting it.
 */
export async function capturePostWithRetry(client: Client, opts: CaptureOptions, post: Post): Promise<AddPostResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await capturePost(client, opts, post);
    } catch (err) {
      if (attempt >= 5 || !isRunClosedRace(err)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

function isRunClosedRace(err: unknown): boolean {
  const text = `${String(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return /already completed|continued as new|workflow execution is closing|not found/iu.test(text);
}
