// Erasing a customer (`hearken customer forget <channel> <authorId>`):
//  1. every run of every interaction of theirs is deleted from Temporal
//     (DeleteWorkflowExecution; a running one is terminated first, and its
//     history read for activities still on their way), which removes its
//     history, state, memo and visibility record;
//  2. visibility is polled until it no longer lists any of them (deletion is
//     asynchronous in Temporal), and each run is checked to be gone;
//  3. their lines in outbox.jsonl and notifications.jsonl (or their rows in
//     PostgreSQL, HEARKEN_DATABASE_URL) are redacted in place under the
//     ledger's lock: the texts go, the idempotency keys stay,
//     so a publish retried by a worker that has not heard yet sends nothing;
//     when a terminated run had an activity on its way (a reply being
//     published), once more after an attempt's longest time;
//  4. the erasure is recorded in the controls workflow: who, when, how many,
//     and nothing that identifies the customer (the receipt is its id).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { fileLedgers, LEDGER_NAMES, type LedgerLine, type LedgerStore, type LineFate } from '../channels/ledger';
import type { Actor } from '../shared/controls';
import { recordErasure } from './controls';
import { runsById } from './runs';
import { customerKeyOf, customerQuery, customerRuns, type CustomerRef, type RunRef } from './customer-data';

export interface ForgetOptions {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** The data folder whose outbox.jsonl and notifications.jsonl are redacted. */
  dataDir: string;
  /** Where the ledgers are when not in the data folder (HEARKEN_DATABASE_URL): redacted there instead. */
  ledgers?: LedgerStore;
  customer: CustomerRef;
  actor: Actor;
  /**
   * How long to wait for visibility to drop the deleted runs; default 120 s
   * (a cluster's queues persist their progress every 30 s by default, and a
   * closed run is deleted only after that; the embedded server does it every second).
   */
  timeoutMs?: number;
  /** When a terminated run had an activity on its way: how long it may still write (an attempt's limit); default 16 s. */
  inFlightMs?: number;
  /** Progress lines for the operator. */
  log?: (line: string) => void;
}

export interface ForgetReport {
  customer: string;
  interactions: number;
  runs: number;
  outboxLines: number;
  notificationLines: number;
  /** From the start until Temporal no longer listed or described any of the runs. */
  deletedMs: number;
  durationMs: number;
  /** The erasure's receipt in the controls workflow; null when it could not be recorded (see `recordError`). */
  erasureId: string | null;
  recordError?: string;
}

/** What is left of a line once its customer is forgotten: the key (so nothing is sent twice) and when; no text. */
export const REDACTED_AT = 'erasedAt';

export async function forgetCustomer(opts: ForgetOptions): Promise<ForgetReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const key = customerKeyOf(opts.customer);
  const runs = await customerRuns(opts.client, opts.customer);
  const ids = new Set(runs.map((r) => r.workflowId));
  log(`found ${ids.size} interaction${ids.size === 1 ? '' : 's'} (${runs.length} runs) of ${key}`);

  let inFlight = 0;
  const running = runs.filter((r) => r.status === 'RUNNING');
  for (const run of running) inFlight += await terminate(opts, run);
  // A run that just closed is deleted only once the server's queues have
  // persisted their progress past its close (every second on the embedded
  // server, src/runtime/temporal/dev-server.ts): asked sooner, the delete is retried with backoff.
  if (running.length > 0) await new Promise((r) => setTimeout(r, 1_500));
  for (const run of runs) await deleteRun(opts, run);
  await waitUntilGone(opts, runs, opts.timeoutMs ?? 120_000);
  const deletedMs = Date.now() - started;
  log(`deleted from Temporal in ${deletedMs} ms; visibility no longer lists them`);

  const redact = () => redactLedgers(opts.ledgers ?? fileLedgers(opts.dataDir), ids, new Date().toISOString());
  let counts = await redact();
  if (inFlight > 0) {
    log(
      `${inFlight} activit${inFlight === 1 ? 'y was' : 'ies were'} on their way when the interactions stopped: redacting again once they cannot land any more`,
    );
    // A terminated run's last publish may still land; its key is known, its text is not kept.
    await new Promise((r) => setTimeout(r, Math.max(0, (opts.inFlightMs ?? 16_000) - (Date.now() - started))));
    const late = await redact();
    counts = { outbox: counts.outbox + late.outbox, notifications: counts.notifications + late.notifications };
  }
  log(`redacted ${counts.outbox} outbox and ${counts.notifications} notification lines`);

  const report: ForgetReport = {
    customer: key,
    interactions: ids.size,
    runs: runs.length,
    outboxLines: counts.outbox,
    notificationLines: counts.notifications,
    deletedMs,
    durationMs: Date.now() - started,
    erasureId: null,
  };
  try {
    const { erasureId } = await opts.client.withDeadline(Date.now() + 15_000, () =>
      recordErasure(opts.client, opts.taskQueue, {
        actor: opts.actor,
        interactions: report.interactions,
        runs: report.runs,
        outboxLines: report.outboxLines,
        notificationLines: report.notificationLines,
        durationMs: report.durationMs,
      }),
    );
    report.erasureId = erasureId;
  } catch (err) {
    report.recordError = err instanceof Error ? err.message : String(err);
  }
  return report;
}

/**
 * Stops a running run before it is deleted, and returns how many of its
 * activities were on their way then (scheduled, not finished): their worker
 * may still write a line to a channel file.
 */
async function terminate(opts: ForgetOptions, run: RunRef): Promise<number> {
  const handle = opts.client.workflow.getHandle(run.workflowId, run.runId);
  try {
    await handle.terminate('customer data erased (hearken customer forget)');
  } catch (err) {
    // Closed meanwhile, or gone: its history says the same.
    if (!(err instanceof WorkflowNotFoundError) && (err as { code?: number }).code !== 5) throw err;
  }
  let history;
  try {
    history = await handle.fetchHistory();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return 0;
    throw err;
  }
  const open = new Set<string>();
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes) open.add(String(e.eventId));
    const done =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (done?.scheduledEventId !== undefined && done.scheduledEventId !== null) open.delete(String(done.scheduledEventId));
  }
  return open.size;
}

async function deleteRun(opts: ForgetOptions, run: RunRef): Promise<void> {
  try {
    await opts.client.workflowService.deleteWorkflowExecution({
      namespace: opts.namespace,
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: already gone
  }
}

/** Polls until visibility lists none of the runs and none can be described; throws when that takes longer than `timeoutMs`. */
async function waitUntilGone(opts: ForgetOptions, runs: RunRef[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ids = [...new Set(runs.map((r) => r.workflowId))];
  for (;;) {
    const { count } = await opts.client.workflowService.countWorkflowExecutions({
      namespace: opts.namespace,
      query: customerQuery(opts.customer).text,
    });
    let left = Number(count ?? 0);
    for (const id of ids) {
      for await (const _ of runsById(opts.client, id)) left++;
    }
    for (const run of runs) if (await exists(opts.client, run)) left++;
    if (left === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`Temporal still lists ${left} of the deleted runs after ${Math.round(timeoutMs / 1000)} s; run forget again`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function exists(client: Client, run: RunRef): Promise<boolean> {
  try {
    await client.workflow.getHandle(run.workflowId, run.runId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return false;
    throw err;
  }
}

/** Redacts the records of these interactions in both channel ledgers; returns how many changed in each. */
async function redactLedgers(
  ledgers: LedgerStore,
  ids: ReadonlySet<string>,
  at: string,
): Promise<{ outbox: number; notifications: number }> {
  const [outbox, notifications] = await Promise.all(
    LEDGER_NAMES.map((name) => ledgers.open<ChannelLine>(name).rewrite((line) => redacted(line, ids, at))),
  );
  return { outbox: outbox!.changed, notifications: notifications!.changed };
}

type ChannelLine = Record<string, unknown> & { idempotencyKey: string };

/** Keeps what makes a line a ledger entry (ids, key, times, how it went); drops every text. */
function redacted({ record, raw }: LedgerLine<ChannelLine>, ids: ReadonlySet<string>, at: string): LineFate<ChannelLine> {
  if (record === null) {
    // A torn line: drop it when it names one of these interactions.
    return [...ids].some((id) => raw.includes(JSON.stringify(id))) ? 'drop' : 'keep';
  }
  if (typeof record.interactionId !== 'string' || !ids.has(record.interactionId) || record[REDACTED_AT] !== undefined) return 'keep';
  const kept = [
    'interactionId',
    'postId',
    'channel',
    'inReplyTo',
    'idempotencyKey',
    'messageId',
    'publishedAt',
    'team',
    'kind',
    'via',
    'sentAt',
  ];
  const out: ChannelLine = { idempotencyKey: record.idempotencyKey };
  for (const k of kept) if (record[k] !== undefined) out[k] = record[k];
  // The ledgers' readers expect a text field: empty, not absent.
  if ('text' in record) out.text = '';
  if ('message' in record) out.message = '';
  out[REDACTED_AT] = at;
  return { replace: out };
}
