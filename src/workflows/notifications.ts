// Team notifications from the workflow. Since PATCH.notifyBeside they run
// beside whatever asked for them: a webhook that is down never delays a
// decision, a reminder, a timeout chain or the next step. Retries are
// bounded; the activity gives a failing webhook up after
// NOTIFY_WEBHOOK_ATTEMPTS and writes the notification to notifications.jsonl
// instead, and the timeline records the failure when the outcome arrives.
// The activity looks the team's webhook up itself: no secret passes through
// the workflow.
import { ActivityFailure, CancellationScope, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities, NotifyInput, NotifyOutput } from '../activities';
import { PATCH } from './patches';

// The attempts after the webhook was given up only retry the file.
const { notifyTeam } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

/** What a notification needs of the run (RunContext). */
export interface NotifyingRun {
  readonly interactionId: string;
  /** Notifications still on their way; the run waits for none before it closes or continues as new. */
  notifying: number;
  idempotencyKey(path: string): string;
  record(type: string, detail?: Record<string, unknown>): void;
}

export async function notify(run: NotifyingRun, team: string, kind: string, message: string, path: string): Promise<void> {
  const input: NotifyInput = { interactionId: run.interactionId, team, kind, message, idempotencyKey: run.idempotencyKey(path) };
  if (patched(PATCH.notifyBeside)) {
    notifyBeside(run, input);
    return;
  }
  // Recorded before the patch: the caller waited for the notification.
  const out = await notifyTeam(input);
  run.record('notification.sent', { team, kind, message, via: out.via, idempotencyKey: input.idempotencyKey });
}

function notifyBeside(run: NotifyingRun, input: NotifyInput): void {
  const { team, kind, message, idempotencyKey } = input;
  run.notifying++;
  // Not cancellable: a takeover voids the plan, not what was already said.
  void CancellationScope.nonCancellable(() => notifyTeam(input))
    .then(
      (out: NotifyOutput) => {
        if (out.webhookError !== undefined) {
          run.record('notification.failed', {
            team,
            kind,
            idempotencyKey,
            error: out.webhookError,
            attempts: out.attempts,
            fallback: 'file',
          });
        }
        run.record('notification.sent', {
          team,
          kind,
          message,
          via: out.via,
          idempotencyKey,
          ...(out.webhookError ? { fallback: true } : {}),
        });
      },
      (err: unknown) => {
        // Even the file failed, every attempt: say so, the humans must know.
        const cause = err instanceof ActivityFailure ? err.cause : err;
        run.record('notification.failed', {
          team,
          kind,
          idempotencyKey,
          error: cause instanceof Error ? cause.message : String(cause),
          lost: true,
        });
      },
    )
    .finally(() => {
      run.notifying--;
    });
}
