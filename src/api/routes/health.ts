import { Router } from 'express';
import type { AppDeps } from '../deps';
import { HttpProblem, sendProblem } from '../http/problem';

export function healthRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/healthz', async (req, res) => {
    try {
      const { connection } = deps.client;
      await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace: deps.namespace }));
      res.json({ status: 'ok', temporal: 'reachable', namespace: deps.namespace, pack: deps.packs.current().version.id });
    } catch (err) {
      sendProblem(res, new HttpProblem(503, 'Temporal unreachable', err instanceof Error ? err.message : String(err)), req.originalUrl);
    }
  });
  return r;
}
