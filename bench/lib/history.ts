// What one interaction costs Temporal: history events (by type), workflow
// tasks, activities, history bytes and the server's own state-transition
// count (DescribeWorkflowExecution), per policy path. Taken after the item
// settled, so an open interaction is counted up to the point where it waits
// on timers or people — the cost of handling its post.
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { median, round } from './stats';

export interface HistoryCost {
  samples: number;
  historyEvents: number;
  stateTransitions: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  timersStarted: number;
  historyBytes: number;
  /** Event type → median count, for the reader who wants to see where the events come from. */
  eventTypes: Record<string, number>;
}

const { temporal } = proto;
const EventType = temporal.api.enums.v1.EventType;

export async function historyCost(client: Client, namespace: string, workflowIds: readonly string[]): Promise<HistoryCost> {
  const rows = await Promise.all(
    workflowIds.map(async (workflowId) => {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const described = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
      const events = history.events ?? [];
      const types: Record<string, number> = {};
      for (const e of events) {
        const name = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/u, '');
        types[name] = (types[name] ?? 0) + 1;
      }
      return {
        events: events.length,
        transitions: Number(described.workflowExecutionInfo?.stateTransitionCount ?? NaN),
        bytes: temporal.api.history.v1.History.encode(history).finish().length,
        types,
      };
    }),
  );
  const med = (f: (r: (typeof rows)[number]) => number) => round(median(rows.map(f)));
  const allTypes = new Set(rows.flatMap((r) => Object.keys(r.types)));
  const eventTypes: Record<string, number> = {};
  for (const t of [...allTypes].sort()) eventTypes[t] = med((r) => r.types[t] ?? 0);
  return {
    samples: rows.length,
    historyEvents: med((r) => r.events),
    stateTransitions: med((r) => r.transitions),
    workflowTasks: med((r) => r.types.WORKFLOW_TASK_COMPLETED ?? 0),
    activities: med((r) => r.types.ACTIVITY_TASK_SCHEDULED ?? 0),
    localActivities: med((r) => r.types.MARKER_RECORDED ?? 0),
    timersStarted: med((r) => r.types.TIMER_STARTED ?? 0),
    historyBytes: med((r) => r.bytes),
    eventTypes,
  };
}
