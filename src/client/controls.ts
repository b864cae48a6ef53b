// The Temporal client side of the pause switch: change it (Updates on the
// controls workflow, started on first use), read it whole (a query), and the
// publish path's cheap read (the workflow's memo through describe, answered by
// the server without any worker, cached per process for PAUSE_READ_TTL_MS).
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { CONTROLS_WORKFLOW_ID, EMPTY_PAUSE_STATE, type PauseState } from '../shared/controls';
import {
  controlsQuery,
  erasureUpdate,
  pauseUpdate,
  resumeUpdate,
  type ControlsView,
  type ErasureInput,
  type PauseInput,
  type PauseResult,
  type ResumeInput,
  type ResumeResult,
} from '../workflows/controls-messages';
import type { controls } from '../workflows/controls';

/**
 * How stale a worker's view of the switch may be. A pause stops automatic
 * replies on every worker within this long (plus one publish already past
 * the check); each worker reads the switch at most once per period, and only
 * while it publishes.
 */
export const PAUSE_READ_TTL_MS = 2_000;

/** The switch as the publish activity reads it: fresh within `ttlMs`, one read at a time. */
export class PauseReader {
  private cache: { at: number; state: PauseState } | null = null;
  private reading: Promise<PauseState> | null = null;

  constructor(
    private readonly client: Client,
    private readonly ttlMs = PAUSE_READ_TTL_MS,
  ) {}

  current(): Promise<PauseState> {
    if (this.cache && Date.now() - this.cache.at < this.ttlMs) return Promise.resolve(this.cache.state);
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<PauseState> {
    // Aged from when the read began: the answer is at least that old.
    const at = Date.now();
    const state = await readPauseState(this.client);
    this.cache = { at, state };
    return state;
  }
}

/**
 * The pauses in force, from the controls workflow's memo. No controls
 * workflow yet: nothing was ever paused. Any other failure throws, so the
 * publish activity retries instead of publishing unchecked.
 */
export async function readPauseState(client: Client): Promise<PauseState> {
  try {
    const d = await client.withDeadline(Date.now() + 5_000, () => client.workflow.getHandle(CONTROLS_WORKFLOW_ID).describe());
    const memo = d.memo?.pauses as PauseState | undefined;
    return memo && Array.isArray(memo.pauses) ? memo : EMPTY_PAUSE_STATE;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return EMPTY_PAUSE_STATE;
    throw err;
  }
}

function startControls(taskQueue: string): WithStartWorkflowOperation<typeof controls> {
  return new WithStartWorkflowOperation<typeof controls>('controls', {
    workflowId: CONTROLS_WORKFLOW_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

export function pausePublishing(client: Client, taskQueue: string, input: PauseInput): Promise<PauseResult> {
  return client.workflow.executeUpdateWithStart(pauseUpdate, { args: [input], startWorkflowOperation: startControls(taskQueue) });
}

export function resumePublishing(client: Client, taskQueue: string, input: ResumeInput): Promise<ResumeResult> {
  return client.workflow.executeUpdateWithStart(resumeUpdate, { args: [input], startWorkflowOperation: startControls(taskQueue) });
}

export function recordErasure(client: Client, taskQueue: string, input: ErasureInput): Promise<{ erasureId: string }> {
  return client.workflow.executeUpdateWithStart(erasureUpdate, { args: [input], startWorkflowOperation: startControls(taskQueue) });
}

/** The whole switch: pauses with how many interactions wait under each, and the latest changes. */
export async function readControls(client: Client): Promise<ControlsView> {
  try {
    return await client.workflow.getHandle(CONTROLS_WORKFLOW_ID).query(controlsQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) {
      return { version: 0, pauses: [], log: [], erasures: 0 };
    }
    throw err;
  }
}
