// Capture: the post that opens a thread starts its interaction with the post
// in the start request; later posts join the running interaction by
// update-with-start; the workflow dedups posts by channel + id.
//
// Why two paths: an update answers only once a worker has run the handler
// (a whole workflow-task round trip, ~40 ms at p50 and over 100 ms at p99 on
// a busy box), while a start answers as soon as the server has written the
// started event. Most posts open a thread, and for those the start alone is a
// correct `duplicate: false`: Temporal lets only one run of an id start
// (conflict policy FAIL), so of two captures of the same post, in one process
// or in two, exactly one starts the run; the other is refused and goes the
// update path, where the run (which took its first post before any update)
// answers `duplicate: true`. A refused start costs one cheap round trip on
// posts that join a thread.
//
// A post stays one post after its interaction closed, for `dedupMs` (30 days
// by default): connectors redeliver hours or days later. Temporal is the
// system of record, so the closed runs themselves answer "seen before?"
// (the seenPost query, which a worker answers by replaying that run's
// history) rather than a second store of post keys. A search attribute
// holding the keys was the alternative; it was not taken because its size is
// capped (a few KB per value) while a long thread carries thousands of keys.
// The price is paid only on the rare path: update-with-start refuses to start
// a new run while a closed one exists (WorkflowIdReusePolicy
// REJECT_DUPLICATE), and only then are the closed runs asked. Closed runs
// exist as long as the namespace's retention, so it must be at least
// `dedupMs` (the embedded dev server is set so; a cluster must be).
import { QueryNotRegisteredError, WithStartWorkflowOperation, type Client, type WorkflowIdReusePolicy } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { interactionIdFor, postKey, type Post } from '../shared/post';
import { SA } from '../shared/search-attributes';
import { addPostUpdate, seenPostQuery, stateQuery, type AddPostResult } from '../workflows/definitions';
import type { interaction } from '../workflows/interaction';
import { runsById } from './runs';
import { vq } from './visibility-query';
import { observeCaptured } from '../pulse/feed';

export interface CaptureOptions {
  taskQueue: string;
  idleCloseMs: number;
  maxHistoryEvents: number;
  /** How long after its interaction closed the same channel + id is still the same post; 0: not at all. */
  dedupMs: number;
}

/** At most this many closed runs of one thread are asked whether they saw a post. */
const MAX_CLOSED_RUNS_ASKED = 20;

export function customerKey(post: Post): string {
  return `${post.channel}:${post.author.id ?? post.author.handle ?? 'unknown'}`;
}

export async function capturePost(client: Client, opts: CaptureOptions, post: Post): Promise<AddPostResult> {
  if (await startsThread(client, opts, post)) return { interactionId: interactionIdFor(post), postId: post.id, duplicate: false };
  try {
    return await updateWithStart(client, opts, post, 'REJECT_DUPLICATE');
  } catch (err) {
    // Refused: no run of this thread is open, and a closed one exists.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  if (await seenByClosedRun(client, opts, post)) return { interactionId: interactionIdFor(post), postId: post.id, duplicate: true };
  return updateWithStart(client, opts, post, 'ALLOW_DUPLICATE');
}

/**
 * Starts the thread's interaction with the post as its first, if no run of
 * the thread exists, open or closed (closed ones must be asked whether they
 * saw the post). True: started, the post is durable in the start event.
 * A post the workflow's validator would refuse takes the update path, which
 * refuses it with the validator's message.
 */
async function startsThread(client: Client, opts: CaptureOptions, post: Post): Promise<boolean> {
  if (!wellFormed(post)) return false;
  const interactionId = interactionIdFor(post);
  try {
    await client.workflow.start<typeof interaction>('interaction', {
      workflowId: interactionId,
      taskQueue: opts.taskQueue,
      args: [{ ...interactionInput(opts, interactionId), firstPost: post }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: startAttributes(post),
    });
    return true;
  } catch (err) {
    // Refused: a run of this thread is open, or a closed one exists.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** What the interaction's `addPost` validator accepts (src/workflows/interaction.ts validatePost). */
function wellFormed(post: Post): boolean {
  return (
    typeof post?.channel === 'string' &&
    typeof post.id === 'string' &&
    typeof post.text === 'string' &&
    !Number.isNaN(Date.parse(post.createdAt))
  );
}

function interactionInput(opts: CaptureOptions, interactionId: string) {
  return { interactionId, idleCloseMs: opts.idleCloseMs, maxHistoryEvents: opts.maxHistoryEvents };
}

function startAttributes(post: Post) {
  return [
    { key: SA.status, value: 'triaging' },
    { key: SA.channel, value: post.channel },
    { key: SA.customer, value: customerKey(post) },
  ];
}

function updateWithStart(client: Client, opts: CaptureOptions, post: Post, reuse: WorkflowIdReusePolicy): Promise<AddPostResult> {
  const interactionId = interactionIdFor(post);
  const start = new WithStartWorkflowOperation<typeof interaction>('interaction', {
    workflowId: interactionId,
    taskQueue: opts.taskQueue,
    args: [interactionInput(opts, interactionId)],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: reuse,
    typedSearchAttributes: startAttributes(post),
  });
  return client.workflow.executeUpdateWithStart(addPostUpdate, { args: [post], startWorkflowOperation: start });
}

/**
 * Whether a run of this thread that closed within `dedupMs` saw the post:
 * the latest run first (describe is consistent at once, visibility may lag a
 * moment behind a close), then earlier ones (a thread reopened by a new post
 * and closed again) from visibility. Continued-as-new runs are skipped: the
 * run they continued into carries their keys.
 */
async function seenByClosedRun(client: Client, opts: CaptureOptions, post: Post): Promise<boolean> {
  if (opts.dedupMs <= 0) return false;
  const interactionId = interactionIdFor(post);
  const key = postKey(post);
  const since = Date.now() - opts.dedupMs;
  const asked = new Set<string>();
  const ask = async (runId: string): Promise<boolean> => {
    asked.add(runId);
    const handle = client.workflow.getHandle(interactionId, runId);
    try {
      return await handle.query(seenPostQuery, key);
    } catch (err) {
      // A worker from before the seenPost query: the state lists the run's posts (the latest 100 of a long thread).
      if (!(err instanceof QueryNotRegisteredError)) throw err;
      const state = await handle.query(stateQuery);
      return state.posts.some((p) => postKey(p) === key);
    }
  };
  const latest = await client.workflow.getHandle(interactionId).describe();
  if (latest.closeTime && latest.closeTime.getTime() >= since && (await ask(latest.runId))) return true;
  const closed = vq`ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew' AND CloseTime >= ${new Date(since)}`;
  for await (const run of runsById(client, interactionId, closed)) {
    if (asked.has(run.runId)) continue;
    if (asked.size >= MAX_CLOSED_RUNS_ASKED) break;
    if (await ask(run.runId)) return true;
  }
  return false;
}

/**
 * Capture, retried a few times when the thread's run closed (continue-as-new,
 * idle close) between the server routing the update and accepting it.
 */
export async function capturePostWithRetry(client: Client, opts: CaptureOptions, post: Post): Promise<AddPostResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await capturePost(client, opts, post);
      if (!result.duplicate) observeCaptured(post); // the brand's pulse counts it (README "Pulse and crises")
      return result;
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
