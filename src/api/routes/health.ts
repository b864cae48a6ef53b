// GET /healthz: what Hearken needs, part by part, so a load balancer stops
// sending traffic when captures could not be served and an operator sees why.
//  - temporal: describe namespace answers within the probe deadline (2 s).
//  - worker: a worker polls the task queue for workflow tasks. Without one,
//    Temporal still takes a capture's update-with-start but nothing accepts
//    it, so the capture would only end at its deadline.
//  - pack: this process's last policy reload succeeded. A failed reload
//    keeps the last good pack in force, so it degrades the answer (200,
//    status "degraded") rather than failing it: interactions are served.
//  - packs: the pack version every live worker reported (worker registry).
//    Two versions in use degrade the answer too: the same post could get
//    different answers depending on which worker takes it.
// 503 (problem+json, with the same checks) when Temporal or the worker is
// missing. Each answer is computed afresh: everything recovers by itself.
import { isGrpcServiceError } from '@temporalio/client';
import { formatPackError } from '../../policy/pack/load-pack';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { sendProblem, temporalOutage, unavailable } from '../http/problem';
import type { HealthChecks } from '../types.generated';

/**
 * A poller counts as a live worker when it polled this recently. Workers
 * long-poll for up to a minute (measured: the age of an idle worker's
 * poller climbs to ~60 s), and Temporal lists a gone worker's pollers for
 * minutes, so a dead worker shows as missing within about 90 s.
 */
const LIVE_POLLER_MS = 90_000;

export function healthHandlers(deps: AppDeps): Pick<RouteHandlers, 'health'> {
  return {
    health: async (req, res) => {
      const checks = await check(deps);
      const down = [
        checks.temporal.status !== 'ok' && `Temporal unreachable: ${checks.temporal.detail ?? ''}`,
        checks.worker.status === 'missing' && `no worker polls task queue ${checks.worker.taskQueue}`,
      ].filter((x): x is string => typeof x === 'string');
      if (down.length) {
        sendProblem(res, unavailable(down.join('; '), { checks }), req.originalUrl);
        return;
      }
      res.json({
        status: checks.pack.status === 'ok' && checks.packs?.status !== 'mismatch' ? 'ok' : 'degraded',
        temporal: 'reachable',
        namespace: deps.namespace,
        pack: checks.pack.version,
        checks,
      });
    },
  };
}

async function check(deps: AppDeps): Promise<HealthChecks> {
  const { workflowService } = deps.client.connection;
  const [namespace, queue, packs] = await Promise.allSettled([
    workflowService.describeNamespace({ namespace: deps.namespace }),
    workflowService.describeTaskQueue({
      namespace: deps.namespace,
      taskQueue: { name: deps.taskQueue, kind: 1 }, // TASK_QUEUE_KIND_NORMAL
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    }),
    deps.workerPacks?.read(deps.packs.current().version.id),
  ]);
  const temporal: HealthChecks['temporal'] =
    namespace.status === 'fulfilled'
      ? { status: 'ok', namespace: deps.namespace }
      : { status: 'unreachable', namespace: deps.namespace, detail: reason(namespace.reason) };
  let worker: HealthChecks['worker'];
  if (queue.status === 'rejected' || temporal.status !== 'ok') {
    const detail = queue.status === 'rejected' ? reason(queue.reason) : 'Temporal is unreachable';
    worker = { status: 'unknown', taskQueue: deps.taskQueue, pollers: 0, detail };
  } else {
    const now = Date.now();
    const live = (queue.value.pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < LIVE_POLLER_MS;
    }).length;
    worker = live
      ? { status: 'ok', taskQueue: deps.taskQueue, pollers: live }
      : {
          status: 'missing',
          taskQueue: deps.taskQueue,
          pollers: 0,
          detail: `no worker polled task queue ${deps.taskQueue} within ${LIVE_POLLER_MS / 1000} s`,
        };
  }
  const lastError = deps.packs.lastError();
  const pack: HealthChecks['pack'] = lastError
    ? {
        status: 'error',
        version: deps.packs.current().version.id,
        lastError: { at: lastError.at, errors: lastError.errors.map(formatPackError) },
      }
    : { status: 'ok', version: deps.packs.current().version.id };
  if (!deps.workerPacks) return { temporal, worker, pack };
  return {
    temporal,
    worker,
    pack,
    packs:
      packs.status === 'fulfilled' && packs.value
        ? packs.value
        : {
            status: 'unknown',
            versions: [],
            workers: [],
            detail: packs.status === 'rejected' ? `cannot read the worker registry: ${reason(packs.reason)}` : 'not read',
          },
  };
}

function reason(err: unknown): string {
  const outage = temporalOutage(err);
  if (outage) return outage;
  if (isGrpcServiceError(err)) return err.details || err.message;
  return err instanceof Error ? err.message : String(err);
}
