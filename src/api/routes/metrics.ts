// GET /metrics: Prometheus text. Besides the process's counters, a few
// gauges read from Temporal visibility at scrape time (cached briefly so a
// fast scraper does not turn into a visibility load).
import type { RequestHandler } from 'express';
import { Gauge } from 'prom-client';
import { vq } from '../../client/visibility-query';
import { metrics, registry } from '../../runtime/metrics';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';
import { registerPackVersionGauges } from './pack-versions-metric';

const CACHE_MS = 10_000;

export function metricsHandlers(deps: AppDeps): Pick<RouteHandlers, 'metrics'> {
  const counts = new Map<string, { at: number; value: number }>();
  const count = async (query: string): Promise<number> => {
    const hit = counts.get(query);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const res = await deps.client.workflowService.countWorkflowExecutions({ namespace: deps.namespace, query });
    const value = Number(res.count ?? 0);
    counts.set(query, { at: Date.now(), value });
    return value;
  };
  registry.removeSingleMetric('hearken_interactions');
  new Gauge({
    name: 'hearken_interactions',
    help: 'Interactions in Temporal visibility: open, awaiting a decision, with a breached commitment',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const [open, pending, breached] = await Promise.all([
          count(vq`WorkflowType = 'interaction' AND ExecutionStatus = 'Running'`.text),
          count(vq`WorkflowType = 'interaction' AND ExecutionStatus = 'Running' AND HearkenStatus = 'awaiting-decision'`.text),
          // One per interaction: not the runs it continued as new from.
          count(vq`WorkflowType = 'interaction' AND ExecutionStatus != 'ContinuedAsNew' AND HearkenBreached = true`.text),
        ]);
        this.set({ state: 'open' }, open);
        this.set({ state: 'awaiting-decision' }, pending);
        this.set({ state: 'breached' }, breached);
      } catch {
        // Temporal unreachable (or past the request's deadline, http/deadline.ts): /healthz says so; keep the last values.
      }
    },
  });
  registry.removeSingleMetric('hearken_escalations_open');
  new Gauge({
    name: 'hearken_escalations_open',
    help: "Escalations waiting for a decision, by the team that holds them (each team of the loaded pack's teams.yaml)",
    labelNames: ['team'] as const,
    registers: [registry],
    async collect() {
      // Visibility groups counts by ExecutionStatus only: one count per team.
      const teams = Object.keys(deps.packs.current().teams);
      try {
        const values = await Promise.all(
          teams.map((team) =>
            count(
              vq`WorkflowType = 'interaction' AND ExecutionStatus = 'Running' AND HearkenStatus = 'awaiting-decision' AND HearkenTeam = ${team}`
                .text,
            ),
          ),
        );
        this.reset();
        teams.forEach((team, i) => this.set({ team }, values[i]!));
      } catch {
        // As above: keep the last values.
      }
    },
  });
  registerPackVersionGauges(deps);
  return {
    metrics: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}

/** Times every request, labelled by its route pattern (never the raw path: ids would explode the label set). */
export function requestTimer(): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpRequests.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
