// The Temporal client side of the pulse and its crises: send a feeder's
// counts (signal-with-start: the first batch starts the brand's pulse), read
// the crisis in force from the pulse's memo (describe: answered by the server,
// no worker; cached per process for CRISIS_READ_TTL_MS), query the pulse,
// acknowledge and close crises (Updates whose validators check the caller).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { pulseWorkflowId, type ActiveCrisis, type Crisis, type CrisisActor } from '../shared/pulse';
import {
  acknowledgeCrisisUpdate,
  closeCrisisUpdate,
  pulseBatchSignal,
  pulseQuery,
  type PulseBatch,
  type PulseView,
} from '../workflows/pulse-messages';
import type { pulse } from '../workflows/pulse';

/** How stale an assessment's view of the crisis in force may be. */
export const CRISIS_READ_TTL_MS = 2_000;

export async function sendPulseBatch(client: Client, taskQueue: string, brand: string, batch: PulseBatch): Promise<void> {
  // A deadline: shutdown flushes, and must not hang on a Temporal that is gone.
  await client.withDeadline(Date.now() + 5_000, () =>
    client.workflow.signalWithStart<typeof pulse, [PulseBatch]>('pulse', {
      workflowId: pulseWorkflowId(brand),
      taskQueue,
      args: [{ brand }],
      signal: pulseBatchSignal,
      signalArgs: [batch],
    }),
  );
}

/** The crisis in force for `brand`, or null; no pulse yet: none. Other failures throw (the caller retries). */
export async function readActiveCrisis(client: Client, brand: string): Promise<ActiveCrisis | null> {
  try {
    const d = await client.withDeadline(Date.now() + 5_000, () => client.workflow.getHandle(pulseWorkflowId(brand)).describe());
    const c = d.memo?.crisis as ActiveCrisis | null | undefined;
    return c && typeof c.id === 'string' && Array.isArray(c.topic) ? c : null;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return null;
    throw err;
  }
}

/** The crisis in force as an assessment sees it: fresh within `ttlMs`, one read at a time. */
export class CrisisReader {
  private cache: { at: number; brand: string; crisis: ActiveCrisis | null } | null = null;
  private reading: Promise<ActiveCrisis | null> | null = null;

  constructor(
    private readonly client: Client,
    private readonly ttlMs = CRISIS_READ_TTL_MS,
  ) {}

  current(brand: string): Promise<ActiveCrisis | null> {
    const c = this.cache;
    if (c && c.brand === brand && Date.now() - c.at < this.ttlMs) return Promise.resolve(c.crisis);
    this.reading ??= this.read(brand).finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(brand: string): Promise<ActiveCrisis | null> {
    const at = Date.now();
    const crisis = await readActiveCrisis(this.client, brand);
    this.cache = { at, brand, crisis };
    return crisis;
  }
}

/** The pulse of `brand`; null when it has not started (nothing captured yet). */
export async function readPulse(client: Client, brand: string): Promise<PulseView | null> {
  try {
    return await client.workflow.getHandle(pulseWorkflowId(brand)).query(pulseQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return null;
    throw err;
  }
}

export async function crisisAction(
  client: Client,
  brand: string,
  action: 'acknowledge' | 'close',
  input: { crisisId: string; actor: CrisisActor; note?: string; topic?: string[] },
): Promise<Crisis> {
  const handle = client.workflow.getHandle(pulseWorkflowId(brand));
  return handle.executeUpdate(action === 'acknowledge' ? acknowledgeCrisisUpdate : closeCrisisUpdate, { args: [input] });
}
