// GET /healthz: 200 when the API reaches Temporal (a describeNamespace within
// two seconds), else 503, so a load balancer stops sending traffic.
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem, sendProblem } from '../http/problem';

export function healthHandlers(deps: AppDeps): Pick<RouteHandlers, 'health'> {
  return {
    health: async (req, res) => {
      try {
        const { connection } = deps.client;
        await connection.withDeadline(Date.now() + 2_000, () =>
          connection.workflowService.describeNamespace({ namespace: deps.namespace }),
        );
        res.json({ status: 'ok', temporal: 'reachable', namespace: deps.namespace, pack: deps.packs.current().version.id });
      } catch (err) {
        sendProblem(res, new HttpProblem(503, 'Temporal unreachable', err instanceof Error ? err.message : String(err)), req.originalUrl);
      }
    },
  };
}
