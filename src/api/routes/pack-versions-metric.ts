// Two gauges from the worker registry at scrape time, so an alert can say
// "the workers do not all run one policy pack" (`hearken_pack_versions > 1`):
// the number of distinct versions in use (live workers' and this API
// process's), and the live workers per version. Cached briefly, like the
// visibility gauges.
import { Gauge } from 'prom-client';
import { registry } from '../../runtime/metrics';
import type { AppDeps } from '../deps';
import type { WorkerPacksView } from '../../client/worker-registry';

const CACHE_MS = 10_000;

export function registerPackVersionGauges(deps: Pick<AppDeps, 'workerPacks' | 'packs'>): void {
  const workerPacks = deps.workerPacks;
  if (!workerPacks) return;
  // One read per scrape for both gauges (and none within CACHE_MS of the last).
  let cached: { at: number; view: Promise<WorkerPacksView> } | null = null;
  const read = (): Promise<WorkerPacksView> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.view;
    const view = workerPacks.read(deps.packs.current().version.id);
    cached = { at: Date.now(), view };
    view.catch(() => {
      cached = null;
    });
    return view;
  };
  registry.removeSingleMetric('hearken_pack_versions');
  registry.removeSingleMetric('hearken_pack_version_workers');
  new Gauge({
    name: 'hearken_pack_version_workers',
    help: 'Live workers (polling the task queue) per policy pack version they reported',
    labelNames: ['version'] as const,
    registers: [registry],
    async collect() {
      try {
        const view = await read();
        this.reset();
        for (const v of view.versions) this.set({ version: v.version }, v.workers.length);
      } catch {
        // Temporal unreachable: /healthz says so; keep the last values.
      }
    },
  });
  new Gauge({
    name: 'hearken_pack_versions',
    help: 'Distinct policy pack versions in use by the live workers and this API process; more than 1: they differ',
    registers: [registry],
    async collect() {
      try {
        this.set((await read()).versions.length);
      } catch {
        // As above.
      }
    },
  });
}
