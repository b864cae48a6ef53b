// The audit timeline of an interaction, built from two records that cannot
// drift apart because both come from Temporal's event history:
//  - the raw events (posts as received, timers with their purpose and
//    deadline, decisions as requested, runs started / continued / closed);
//  - the workflow's own journal (triage, policy, steps, commitments,
//    escalations, replies, notifications), read with a query, which Temporal
//    answers by replaying that same history.
// Every run of the interaction (continue-as-new, a thread reopened after it
// closed) is included, oldest first.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
// @temporalio/proto is CommonJS without static named exports (tsx/Node ESM
// cannot import { temporal }): take the namespace off the default export.
import proto, { type temporal } from '@temporalio/proto';
import { timelineQuery, type TimelineEvent } from '../workflows/definitions';
import { runsById } from './runs';

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;
type History = temporal.api.history.v1.IHistory;

const PRODUCED_BY_TASK = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
]);

/** Within one instant: what came in, then what the workflow made of it, then what it set in motion. */
function rank(e: TimelineEntry): number {
  if (e.source === 'workflow') return 1;
  return ['post.captured', 'post.duplicate', 'decision.received', 'run.started', 'run.continued', 'timer.fired'].includes(e.type) ? 0 : 2;
}

/** Journal entries that the raw history states with more authority. */
const FROM_HISTORY = new Set(['post.captured', 'post.duplicate', 'timer.set', 'timer.fired']);

export interface TimelineEntry extends TimelineEvent {
  source: 'temporal' | 'workflow';
  runId: string;
}

export async function buildTimeline(client: Client, interactionId: string): Promise<TimelineEntry[]> {
  const runs = await runsOf(client, interactionId);
  const all: TimelineEntry[] = [];
  for (const { runId, history: known } of runs) {
    const handle = client.workflow.getHandle(interactionId, runId);
    const [history, journal] = await Promise.all([known ?? handle.fetchHistory(), handle.query(timelineQuery)]);
    const merged = [
      ...fromHistory(history.events ?? [], runId),
      ...journal.filter((e) => !FROM_HISTORY.has(e.type)).map((e): TimelineEntry => ({ ...e, source: 'workflow', runId })),
    ];
    merged.sort((a, b) => a.at.localeCompare(b.at) || rank(a) - rank(b));
    all.push(...merged);
  }
  return all;
}

interface Run {
  runId: string;
  start: number;
  history?: History;
}

/** Runs, oldest first: the continue-as-new chain back from the latest run, plus other runs found in visibility. */
async function runsOf(client: Client, workflowId: string): Promise<Run[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const chain: Run[] = [];
  let runId: string | undefined = latest.runId;
  const seen = new Set<string>();
  while (runId && !seen.has(runId)) {
    seen.add(runId);
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started: HistoryEvent | undefined = history.events?.[0];
    chain.push({ runId, start: started?.eventTime ? tsToMs(started.eventTime) : 0, history });
    runId = started?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  for await (const wf of runsById(client, workflowId)) {
    if (!seen.has(wf.runId)) {
      seen.add(wf.runId);
      chain.push({ runId: wf.runId, start: wf.startTime.getTime() });
    }
  }
  return chain.sort((a, b) => a.start - b.start);
}

function decode(p: Payload | null | undefined): unknown {
  return p ? defaultPayloadConverter.fromPayload(p as never) : undefined;
}

/** When the local activity a `core_local_activity` marker records completed; null for other markers. */
function localActivityCompletedAt(e: HistoryEvent): number | null {
  const a = e.markerRecordedEventAttributes;
  if (a?.markerName !== 'core_local_activity') return null;
  const data = decode(a.details?.data?.payloads?.[0]) as { complete_time?: { seconds?: number | string; nanos?: number } } | undefined;
  const t = data?.complete_time;
  return t?.seconds === undefined ? null : Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** A post as the history holds it: the start's `firstPost` or an `addPost` update's argument. */
interface CapturedPost {
  id?: string;
  author?: unknown;
  text?: string;
  createdAt?: string;
  channel?: string;
  threadId?: string;
}

function fromHistory(events: HistoryEvent[], runId: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const accepted = new Map<string, { name: string; args: unknown[] }>();
  // Events a workflow task produced (accepted updates, timers set, the run's
  // end) carry the time that task started: the same clock the workflow's
  // journal uses, so causes and effects sort in the order they happened.
  let taskStartedAt = 0;
  const entry = (e: HistoryEvent, type: string, detail: Record<string, unknown>, actor?: string): TimelineEntry => {
    const recorded = e.eventTime ? tsToMs(e.eventTime) : 0;
    const logical = PRODUCED_BY_TASK.has(e.eventType ?? 0) && taskStartedAt ? taskStartedAt : recorded;
    return {
      at: new Date(logical).toISOString(),
      type,
      ...(actor ? { actor } : {}),
      ...detail,
      eventId: Number(e.eventId),
      recordedAt: new Date(recorded).toISOString(),
      source: 'temporal',
      runId,
    };
  };
  const capturedEntry = (e: HistoryEvent, post: CapturedPost): TimelineEntry =>
    entry(e, 'post.captured', {
      postId: post.id,
      channel: post.channel,
      threadId: post.threadId,
      author: post.author,
      text: post.text,
      createdAt: post.createdAt,
    });
  for (const e of events) {
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        taskStartedAt = e.eventTime ? tsToMs(e.eventTime) : taskStartedAt;
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        // A local activity (assessPost) finished within the task: the
        // workflow's clock moved to its completion time, and what the task did
        // after it (timers set after triage) happened then.
        const done = localActivityCompletedAt(e);
        if (done !== null && done > taskStartedAt) taskStartedAt = done;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const a = e.workflowExecutionStartedEventAttributes;
        out.push(
          entry(
            e,
            a?.continuedExecutionRunId ? 'run.continued' : 'run.started',
            a?.continuedExecutionRunId ? { previousRunId: a.continuedExecutionRunId } : {},
          ),
        );
        // A thread's first post can come with the start (src/client/capture.ts).
        const first = (decode(a?.input?.payloads?.[0]) as { firstPost?: CapturedPost } | undefined)?.firstPost;
        if (first) out.push(capturedEntry(e, first));
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const a = e.workflowExecutionUpdateAcceptedEventAttributes;
        const id = a?.acceptedRequest?.meta?.updateId ?? '';
        const input = a?.acceptedRequest?.input;
        const args = (input?.args?.payloads ?? []).map(decode);
        accepted.set(id, { name: input?.name ?? '', args });
        if (input?.name === 'decide') {
          const d = args[0] as { decision?: string; note?: string; decider?: { name?: string; role?: string } } | undefined;
          out.push(
            entry(e, 'decision.received', { decision: d?.decision, note: d?.note, role: d?.decider?.role, updateId: id }, d?.decider?.name),
          );
        }
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        const req = accepted.get(a?.meta?.updateId ?? '');
        if (req?.name !== 'addPost') break;
        const result = decode(a?.outcome?.success?.payloads?.[0]) as { duplicate?: boolean } | undefined;
        const post = req.args[0] as CapturedPost | undefined;
        out.push(result?.duplicate ? entry(e, 'post.duplicate', { postId: post?.id }) : capturedEntry(e, post ?? {}));
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const a = e.timerStartedEventAttributes;
        // The timer runs from the workflow's clock (its task's start), like its deadline.
        const at = taskStartedAt || (e.eventTime ? tsToMs(e.eventTime) : 0);
        const ms = a?.startToFireTimeout ? tsToMs(a.startToFireTimeout) : 0;
        out.push(entry(e, 'timer.set', { timerId: a?.timerId, purpose: summaryOf(e), deadline: new Date(at + ms).toISOString() }));
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED:
        out.push(entry(e, 'timer.fired', { timerId: e.timerFiredEventAttributes?.timerId }));
        break;
      case EventType.EVENT_TYPE_TIMER_CANCELED:
        out.push(entry(e, 'timer.cancelled', { timerId: e.timerCanceledEventAttributes?.timerId }));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        out.push(entry(e, 'activity.failed', { error: e.activityTaskFailedEventAttributes?.failure?.message }));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        out.push(entry(e, 'activity.timed-out', {}));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        out.push(entry(e, 'run.continued-as-new', { newRunId: e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId }));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        out.push(entry(e, 'run.completed', { result: decode(e.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]) }));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        out.push(entry(e, 'run.ended', { how: EventType[e.eventType] }));
        break;
      default:
        break;
    }
  }
  return out;
}

function summaryOf(e: HistoryEvent): string | undefined {
  const s = decode(e.userMetadata?.summary);
  return typeof s === 'string' ? s : undefined;
}
