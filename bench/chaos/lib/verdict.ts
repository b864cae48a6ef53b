// What happened to each post, read from outside: Temporal's own description of
// each interaction (does it exist, is it closed, what is pending and on which
// attempt, which status it upserted) and the channel's outbox file. Nothing
// here asks the worker (no queries), so a broken worker cannot make the
// verdict look better.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
// CommonJS package: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { SA } from '../../../src/shared/search-attributes';
import type { Sent } from './capture';
import { NAMESPACE } from './stack';

export interface Inspection {
  interactionId: string;
  exists: boolean;
  /** At rest: triaged, nothing failing or waiting long; it waits on timers or people (or is done). */
  atRest: boolean;
  /** Why it is not at rest (or why it could not be inspected). */
  reason?: string;
  status?: string;
  execution?: string;
  /** At rest, with an activity failing beside the flow (e.g. a notification retried while the decision timer runs). */
  background?: string;
  historyLength?: number;
}

type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
function tsMs(ts: Ts): number | null {
  if (!ts) return null;
  const s = ts.seconds as number | { toNumber(): number } | string | null | undefined;
  const sec = typeof s === 'number' ? s : typeof s === 'string' ? Number(s) : s ? s.toNumber() : 0;
  return sec * 1000 + Math.round((ts.nanos ?? 0) / 1e6);
}

/**
 * One interaction, from DescribeWorkflowExecution. Work that is merely young
 * (an activity or workflow task scheduled less than `freshMs` ago, first
 * attempt) counts as at rest: a timer may just have fired.
 */
export async function inspect(client: Client, interactionId: string, freshMs: number): Promise<Inspection> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const d = await client.connection.withDeadline(Date.now() + 10_000, () => client.workflow.getHandle(interactionId).describe());
      const now = Date.now();
      const status = d.typedSearchAttributes.get(SA.status);
      const base = { interactionId, exists: true, status, execution: d.status.name, historyLength: d.historyLength };
      if (!['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW'].includes(d.status.name)) {
        return { ...base, atRest: false, reason: `workflow ${d.status.name}` };
      }
      const wft = d.raw.pendingWorkflowTask;
      if (wft) {
        const since = tsMs(wft.originalScheduledTime ?? wft.scheduledTime);
        if ((wft.attempt ?? 1) > 1) return { ...base, atRest: false, reason: `workflow task failing (attempt ${wft.attempt})` };
        if (since !== null && now - since > freshMs) {
          return {
            ...base,
            atRest: false,
            reason: `workflow task not picked up or not completed for ${Math.round((now - since) / 1000)} s`,
          };
        }
      }
      let stuck: string | null = null;
      const activities = d.raw.pendingActivities ?? [];
      for (const a of activities) {
        const type = a.activityType?.name ?? 'activity';
        const failure = a.lastFailure?.message ? `: ${a.lastFailure.message.slice(0, 160)}` : '';
        const since = tsMs(a.scheduledTime) ?? tsMs(a.lastStartedTime);
        if ((a.attempt ?? 1) > 1) stuck = `${type} retrying (attempt ${a.attempt})${failure}`;
        else if (since !== null && now - since > freshMs) {
          const state = proto.temporal.api.enums.v1.PendingActivityState[a.state ?? 0] ?? String(a.state);
          stuck = `${type} pending ${Math.round((now - since) / 1000)} s (${state})`;
        }
        if (stuck) break;
      }
      if (status === undefined || status === 'triaging') {
        // Young: its triage is running right now. Else nothing moves it on.
        if (stuck === null && activities.length > 0) return { ...base, atRest: true };
        return { ...base, atRest: false, reason: `status ${status ?? 'unset'}, not triaged${stuck ? `: ${stuck}` : ', nothing pending'}` };
      }
      if (stuck === null) return { ...base, atRest: true };
      // A failing activity is harmless to the flow when the flow waits on
      // something else meanwhile: a decision, a reminder, a follow-up, the idle
      // close (a notification retried beside an escalation). It blocks the flow
      // when nothing but commitment clocks is pending besides it.
      const timers = await pendingTimers(client, interactionId);
      const flow = timers.filter((t) => !COMMITMENT_CLOCK.test(t));
      if (flow.length > 0) return { ...base, atRest: true, background: `${stuck} (beside ${flow[0]})` };
      return { ...base, atRest: false, reason: `${stuck}; no step timer pending, so the flow waits on it` };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { interactionId, exists: false, atRest: false, reason: 'no such workflow' };
      lastErr = err;
      await sleep(500 * attempt);
    }
  }
  // Could not tell: counted as not at rest, never as lost.
  return { interactionId, exists: true, atRest: false, reason: `describe failed: ${String(lastErr).slice(0, 200)}` };
}

/** Commitment clocks (src/workflows/commitments.ts) run beside every plan; they say nothing about the step flow. */
const COMMITMENT_CLOCK = /^(firstResponse|nextResponse|periodicUpdate|resolution) deadline /u;

/** Summaries of the timers started and neither fired nor cancelled (a timer without a summary is "(no summary)"). */
async function pendingTimers(client: Client, interactionId: string): Promise<string[]> {
  const history = await client.connection.withDeadline(Date.now() + 15_000, () => client.workflow.getHandle(interactionId).fetchHistory());
  const open = new Map<string, string>();
  for (const ev of history.events ?? []) {
    const started = ev.timerStartedEventAttributes;
    if (started?.timerId) {
      const data = ev.userMetadata?.summary?.data;
      let summary = '(no summary)';
      if (data) {
        try {
          summary = String(JSON.parse(Buffer.from(data).toString('utf8')));
        } catch {
          summary = Buffer.from(data).toString('utf8');
        }
      }
      open.set(started.timerId, summary);
    }
    const closed = ev.timerFiredEventAttributes?.timerId ?? ev.timerCanceledEventAttributes?.timerId;
    if (closed) open.delete(closed);
  }
  return [...open.values()];
}

export async function inspectAll(client: Client, ids: readonly string[], freshMs: number, concurrency = 12): Promise<Inspection[]> {
  const out: Inspection[] = new Array(ids.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await inspect(client, ids[i]!, freshMs);
      }
    }),
  );
  return out;
}

/** Approximate backlog of the task queue (workflow + activity tasks), or null where the server cannot tell. */
export async function backlog(client: Client, taskQueue: string): Promise<number | null> {
  try {
    let total = 0;
    for (const taskQueueType of [
      proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    ]) {
      const res = await client.connection.withDeadline(Date.now() + 5_000, () =>
        client.workflowService.describeTaskQueue({
          namespace: NAMESPACE,
          taskQueue: { name: taskQueue },
          taskQueueType,
          reportStats: true,
        }),
      );
      const n = res.stats?.approximateBacklogCount;
      if (n === undefined || n === null) return null;
      total += Number(n);
    }
    return total;
  } catch {
    return null;
  }
}

/** Workers polling the task queue (seen by the server within the last minute). */
export async function pollers(client: Client, taskQueue: string): Promise<number | null> {
  try {
    const res = await client.connection.withDeadline(Date.now() + 5_000, () =>
      client.workflowService.describeTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue } }),
    );
    const now = Date.now();
    return (res.pollers ?? []).filter((p) => {
      const at = tsMs(p.lastAccessTime);
      return at === null || now - at < 60_000;
    }).length;
  } catch {
    return null;
  }
}

export interface OutboxLine {
  interactionId: string;
  idempotencyKey: string;
  text: string;
  publishedAt: string;
}

/** Every whole, parsable line of the outbox; torn lines (a crash mid-append) are counted, not returned. */
export function readOutbox(dataDir: string): { lines: OutboxLine[]; torn: number } {
  const file = path.join(dataDir, 'outbox.jsonl');
  if (!fs.existsSync(file)) return { lines: [], torn: 0 };
  const lines: OutboxLine[] = [];
  let torn = 0;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    try {
      lines.push(JSON.parse(raw) as OutboxLine);
    } catch {
      torn++;
    }
  }
  return { lines, torn };
}

export interface DuplicatePublish {
  interactionId: string;
  idempotencyKey: string;
  /** sameKey: the key is on two lines; sameStep: one step of one interaction published under two keys. */
  kind: 'sameKey' | 'sameStep';
  texts: string[];
  publishedAt: string[];
}

/**
 * Replies published twice: a key on more than one line, or one step of one
 * interaction under two keys. Keys are `<interaction>/<post>/<step path>`;
 * each interaction of the suite has one post, so the step path names the step.
 */
export function duplicatePublishes(lines: readonly OutboxLine[], interactions: ReadonlySet<string>): DuplicatePublish[] {
  const byKey = new Map<string, OutboxLine[]>();
  const byStep = new Map<string, OutboxLine[]>();
  for (const l of lines) {
    if (!interactions.has(l.interactionId)) continue;
    byKey.set(l.idempotencyKey, [...(byKey.get(l.idempotencyKey) ?? []), l]);
    const step = `${l.interactionId}|${stepOf(l)}`;
    byStep.set(step, [...(byStep.get(step) ?? []), l]);
  }
  const out: DuplicatePublish[] = [];
  const seen = new Set<OutboxLine>();
  const add = (group: OutboxLine[], kind: DuplicatePublish['kind']) => {
    // Every line after the first is one duplicate publish.
    for (const l of group.slice(1)) seen.add(l);
    out.push({
      interactionId: group[0]!.interactionId,
      idempotencyKey: group[0]!.idempotencyKey,
      kind,
      texts: group.map((g) => g.text.slice(0, 120)),
      publishedAt: group.map((g) => g.publishedAt),
    });
  };
  for (const group of byKey.values()) if (group.length > 1) add(group, 'sameKey');
  for (const group of byStep.values()) {
    if (group.length > 1 && group.slice(1).some((l) => !seen.has(l))) add(group, 'sameStep');
  }
  return out;
}

/** Duplicate lines (every line after a step's first) — the table's figure. */
export function countDuplicateLines(lines: readonly OutboxLine[], interactions: ReadonlySet<string>): number {
  const firsts = new Set<string>();
  let dup = 0;
  for (const l of lines) {
    if (!interactions.has(l.interactionId)) continue;
    const keyId = `k|${l.idempotencyKey}`;
    const stepId = `s|${l.interactionId}|${stepOf(l)}`;
    if (firsts.has(keyId) || firsts.has(stepId)) dup++;
    firsts.add(keyId);
    firsts.add(stepId);
  }
  return dup;
}

function stepOf(l: OutboxLine): string {
  const prefix = `${l.interactionId}/`;
  const rest = l.idempotencyKey.startsWith(prefix) ? l.idempotencyKey.slice(prefix.length) : l.idempotencyKey;
  // Drop the post id: one post per interaction here.
  const slash = rest.indexOf('/');
  return slash >= 0 ? rest.slice(slash + 1) : rest;
}

export interface Verdict {
  lost: string[];
  stalled: Inspection[];
  /** Not at rest at the first look (recovery + firstLookMs, or once the backlog drained). */
  notAtRestAtWindow: number;
  /** Not acknowledged, yet an interaction exists (a connector's retry would get `duplicate: true`). */
  takenUnacknowledged: number;
  /** At rest, with an activity failing beside the flow: how many, and an example each of the first few. */
  failingBeside: { count: number; examples: string[] };
  /** When the verdict was reached, ms after recovery. */
  verdictAfterRecoveryMs: number;
  /** When the task queue's backlog was empty, ms after recovery (null: not within the cap, or unknown). */
  backlogDrainedAfterMs: number | null;
  /** [ms after recovery, approximate backlog] every 5 s while waiting for it to drain. */
  backlogSamples: Array<[number, number | null]>;
}

/**
 * Waits while the task queue has a backlog that still changes: falling (being
 * worked off) or rising (still being fed — e.g. by captures the API goes on
 * with after their callers gave up). Stops when it is empty, when it has not
 * moved for `windowMs` (nothing consumes it: the inspection will say why), or
 * at `until`.
 */
export async function waitForDrain(
  client: Client,
  taskQueue: string,
  opts: { since: number; windowMs: number; until: number; log: (l: string) => void },
): Promise<{ drainedAfterMs: number | null; samples: Array<[number, number | null]> }> {
  const samples: Array<[number, number | null]> = [];
  let last: number | null = null;
  let movedAt = Date.now();
  for (;;) {
    const n = await backlog(client, taskQueue);
    samples.push([Date.now() - opts.since, n]);
    if (n === null) return { drainedAfterMs: null, samples };
    if (n === 0) return { drainedAfterMs: Date.now() - opts.since, samples };
    if (Date.now() > opts.until) return { drainedAfterMs: null, samples };
    if (last === null || Math.abs(n - last) > Math.max(1, last * 0.01)) {
      last = n;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > opts.windowMs) return { drainedAfterMs: null, samples };
    if (samples.length % 6 === 1) opts.log(`  task-queue backlog ${n}: waiting while it drains`);
    await sleep(5_000);
  }
}

/**
 * The verdict on one scenario's posts. Waits first for the task queue's
 * backlog to drain while it still shrinks (a burst leaves minutes of queued
 * work that is slow, not stuck), then until `firstLookMs` after recovery; then
 * inspects every acknowledged post. Those not at rest are inspected again
 * every 5 s until `windowMs` after recovery, and beyond while their number
 * still falls; once it has not fallen for `freshMs`, what remains is stalled.
 */
export async function judge(
  client: Client,
  taskQueue: string,
  sent: readonly Sent[],
  opts: { recoveredAt: number; windowMs: number; firstLookMs: number; freshMs: number; capMs: number; log: (l: string) => void },
): Promise<Verdict> {
  const cap = opts.recoveredAt + opts.capMs;
  const drain = await waitForDrain(client, taskQueue, { since: opts.recoveredAt, windowMs: opts.windowMs, until: cap, log: opts.log });
  const wait = opts.recoveredAt + opts.firstLookMs - Date.now();
  if (wait > 0) await sleep(wait);

  const acked = sent.filter((s) => s.outcome === 'ack').map((s) => s.interactionId);
  const first = await inspectAll(client, acked, opts.freshMs);
  const lost = first.filter((i) => !i.exists).map((i) => i.interactionId);
  const latest = new Map(first.map((i) => [i.interactionId, i]));
  let pending = first.filter((i) => i.exists && !i.atRest);
  const notAtRestAtWindow = pending.length;
  let lastFall = Date.now();
  const stallAt = opts.recoveredAt + opts.windowMs;
  while (pending.length > 0 && (Date.now() < stallAt || Date.now() - lastFall < opts.freshMs) && Date.now() < cap) {
    await sleep(5_000);
    const again = await inspectAll(
      client,
      pending.map((p) => p.interactionId),
      opts.freshMs,
    );
    for (const i of again) latest.set(i.interactionId, i);
    const still = again.filter((i) => !i.atRest);
    if (still.length < pending.length) lastFall = Date.now();
    pending = still;
  }
  const beside = [...latest.values()].filter((i) => i.atRest && i.background);

  const unacked = sent.filter((s) => s.outcome !== 'ack').map((s) => s.interactionId);
  const taken = (await inspectAll(client, unacked, opts.freshMs)).filter((i) => i.exists).length;
  return {
    lost,
    stalled: pending,
    notAtRestAtWindow,
    takenUnacknowledged: taken,
    failingBeside: { count: beside.length, examples: beside.slice(0, 5).map((i) => `${i.interactionId}: ${i.background}`) },
    verdictAfterRecoveryMs: Date.now() - opts.recoveredAt,
    backlogDrainedAfterMs: drain.drainedAfterMs,
    backlogSamples: drain.samples,
  };
}
