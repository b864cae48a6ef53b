// `npm run bench -- --cluster` (a fresh four-service Temporal cluster on
// PostgreSQL, scripts/cluster/, stopped at the end) or `npm run bench --
// --temporal <host:port>` (a cluster that is already running, with Hearken's
// search attributes registered): Hearken and bare-Temporal baseline A side by
// side on a real cluster, first with one worker of each, then with two.
// Worker options as shipped. Results: bench/results/<timestamp>-cluster.json
// and a table on stdout. Add `--smoke` for tiny sizes (proves the harness).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICES } from '../scripts/cluster/server-config';
import { pickFreePort } from '../src/runtime/temporal/ports';
import { startCluster, stopCluster, type ClusterInfo } from '../scripts/cluster/cluster';
import type { BenchSizes } from './config';
import { baselineDriver, closeHttp, hearkenDriver, type Driver } from './lib/drivers';
import { describeMachine, sampleLoad } from './lib/machine';
import { findSaturation, measureClosed, measureOpen, type ClosedStep } from './lib/measure';
import type { PostMix } from './lib/posts';
import { rssOf, startWorkerChild, type Child } from './lib/procs';
import { writeResults } from './lib/report';
import { median, medianPercentiles, round } from './lib/stats';
import { NAMESPACE, startStack, type Stack } from './lib/stack';
import type { Tuning } from './lib/tuning';

const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');
const ROOT = path.resolve(import.meta.dirname, '..');

interface SuiteFigures {
  throughput: number;
  concurrency: number;
  throughputReps: number[];
  stoppedBecause: string;
  cpuMsPerItem: Record<string, number>;
}

interface WorkerCountFigures {
  workers: number;
  baselineA: SuiteFigures;
  hearken: SuiteFigures & {
    fixedRate: number;
    captureAckMs: ReturnType<typeof medianPercentiles>;
    captureToFirstActivityMs: ReturnType<typeof medianPercentiles>;
    captureToFirstReplyMs: ReturnType<typeof medianPercentiles>;
  };
  throughputVsBaselineA: number;
}

/** The cluster's own processes (when this run started it), for CPU accounting. */
function clusterPids(cluster: ClusterInfo | null): Record<string, number> {
  if (!cluster) return {};
  const state = JSON.parse(fs.readFileSync(path.join(cluster.dir, 'cluster.json'), 'utf8')) as { pids: Record<string, number> };
  return Object.fromEntries(SERVICES.filter((s) => state.pids[s]).map((s) => [`temporal-${s}`, state.pids[s]!]));
}

export async function runClusterBench(sizes: BenchSizes, mix: PostMix, argv: string[], log: (l: string) => void): Promise<void> {
  const startedAt = new Date().toISOString();
  const given = argv[argv.indexOf('--temporal') + 1];
  const external = argv.includes('--temporal') ? given : undefined;
  if (argv.includes('--temporal') && !given?.includes(':')) throw new Error('--temporal needs host:port');
  const loadSampler = sampleLoad();
  const loadAtStart = os.loadavg().map((x) => round(x, 2));

  let cluster: ClusterInfo | null = null;
  let clusterStartS: number | null = null;
  if (!external) {
    log('starting a fresh four-service Temporal cluster on PostgreSQL (scripts/cluster/)');
    const t = Date.now();
    cluster = await startCluster({
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-bench-cluster-')),
      // Not 7233: a user's own dev server or cluster may want it.
      frontendPort: await pickFreePort(),
      say: (l) => log(`  ${l}`),
    });
    clusterStartS = round((Date.now() - t) / 1000, 1);
    log(`  cluster serving in ${clusterStartS} s at ${cluster.address}`);
  }
  const address = external ?? cluster!.address;
  // bench/lib/stack.ts uses an external server when TEMPORAL_ADDRESS is set.
  process.env.TEMPORAL_ADDRESS = address;
  const tuning: Tuning = {};
  const extra: Child[] = [];
  let stack: Stack | null = null;
  try {
    stack = await startStack({ tuning, baseline: true, bundles: ['baseline', 'hearken'], log });
    const s = stack;
    const pids = () => {
      const out: Record<string, number> = { ...s.pids(), ...clusterPids(cluster) };
      extra.forEach((c) => (out[c.name] = c.pid));
      return out;
    };
    const A = baselineDriver(s.client, s.tracker, { type: 'baselineA', taskQueue: s.baselineQueue, prefix: `cA-${s.runId}` });
    const H = hearkenDriver(s.tracker, { apiUrl: s.api!.url, mix: mix.posts, prefix: `ch-${s.runId}` });
    const byWorkers: WorkerCountFigures[] = [];
    for (const workers of [1, 2]) {
      if (workers === 2) {
        log('starting a second baseline worker and a second Hearken worker on the same task queues');
        const common = {
          address,
          namespace: NAMESPACE,
          policiesDir: path.join(ROOT, 'policies'),
          dataDir: path.join(s.dir, 'data'),
          tuning,
        };
        const onEvents = s.tracker.onEvents.bind(s.tracker);
        extra.push(
          ...(await Promise.all([
            startWorkerChild(
              'baselineWorker2',
              { ...common, suite: 'baseline', taskQueue: s.baselineQueue, bundlePath: s.bundles.baseline!.path },
              onEvents,
            ),
            startWorkerChild(
              'hearkenWorker2',
              { ...common, suite: 'hearken', taskQueue: s.hearkenQueue, bundlePath: s.bundles.hearken!.path },
              onEvents,
            ),
          ])),
        );
      }
      log(`${workers} worker(s) per suite: warm-up`);
      for (const d of [A, H]) await measureClosed(d, s.tracker, 4, sizes.warmupMs);
      const a = await saturate(A, s, sizes, pids, log);
      const h = await saturate(H, s, sizes, pids, log);
      const rate = round(Math.max(sizes.latency.minRate, h.throughput / 2));
      log(`  Hearken latency at ${rate}/s`);
      const runs = [];
      for (let i = 0; i < sizes.reps; i++) runs.push(await measureOpen(H, s.tracker, rate, sizes.latency.durationMs, pids));
      byWorkers.push({
        workers,
        baselineA: a,
        hearken: {
          ...h,
          fixedRate: rate,
          captureAckMs: medianPercentiles(runs.map((r) => r.ackMs)),
          captureToFirstActivityMs: medianPercentiles(runs.map((r) => r.firstActivityMs)),
          captureToFirstReplyMs: medianPercentiles(runs.map((r) => r.firstReplyMs)),
        },
        throughputVsBaselineA: round(h.throughput / a.throughput, 2),
      });
    }
    const machine = describeMachine(cluster ? path.join(ROOT, '.tools/bin/temporal-server') : s.cli, s.dir, address);
    machine.loadAtStart = loadAtStart;
    machine.meanLoadDuringRun = loadSampler.stop();
    const rss = Object.fromEntries(Object.entries(pids()).map(([name, pid]) => [name, rssOf(pid)?.rssMb ?? null]));
    const results = {
      kind: sizes.name === 'smoke' ? 'cluster-smoke' : 'cluster',
      startedAt,
      durationSec: Math.round((Date.now() - Date.parse(startedAt)) / 1000),
      machine,
      temporal: cluster
        ? {
            kind: 'four-service cluster started by this run (scripts/cluster/)',
            address,
            numHistoryShards: cluster.numHistoryShards,
            persistence: 'PostgreSQL (persistence + advanced visibility), same box',
            startSeconds: clusterStartS,
          }
        : { kind: 'external (--temporal)', address },
      workerOptions: 'as shipped',
      mix: { source: mix.source, buckets: mix.buckets },
      byWorkers,
      rssMbAtEnd: rss,
      bound:
        `${os.cpus().length} cores for everything: PostgreSQL, the four Temporal services, the workers, the API and the load generator. ` +
        'A second worker adds polling capacity but no core, so it shows coordination cost rather than scale-out; on separate hosts each worker brings its own cores.',
    };
    const file = writeResults(results, RESULTS_DIR);
    console.log(`\n${clusterMarkdown(results)}\n`);
    log(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    closeHttp();
    await Promise.all(extra.map((c) => c.stop()));
    await stack?.stop();
    if (cluster) await stopCluster({ dir: cluster.dir });
  }
}

async function saturate(
  d: Driver,
  s: Stack,
  sizes: BenchSizes,
  pids: () => Record<string, number>,
  log: (l: string) => void,
): Promise<SuiteFigures> {
  const sat = await findSaturation(d, s.tracker, {
    start: sizes.saturation.start,
    maxConcurrency: sizes.saturation.maxConcurrency,
    stepMs: sizes.saturation.stepMs,
    s2sLimitMs: 1000,
    minGain: 1.1,
    log,
    pids,
  });
  const reps: ClosedStep[] = [];
  for (let i = 0; i < sizes.reps; i++) reps.push(await measureClosed(d, s.tracker, sat.concurrency, sizes.saturation.repMs, pids));
  const throughput = round(median(reps.map((r) => r.throughput)));
  log(`  ${d.name}: ${throughput}/s at c=${sat.concurrency} (reps ${reps.map((r) => r.throughput).join(', ')})`);
  const names = new Set(reps.flatMap((r) => Object.keys(r.cpuMsPerItem)));
  return {
    throughput,
    concurrency: sat.concurrency,
    throughputReps: reps.map((r) => r.throughput),
    stoppedBecause: sat.stoppedBecause,
    cpuMsPerItem: Object.fromEntries([...names].map((n) => [n, round(median(reps.map((r) => r.cpuMsPerItem[n] ?? NaN)))])),
  };
}

/** The README's table for one results file (also `npm run bench -- --report <file>` shows the main table only). */
export function clusterMarkdown(r: {
  startedAt: string;
  durationSec: number;
  byWorkers: WorkerCountFigures[];
  temporal: object;
  bound: string;
}): string {
  const p = (x: { p50: number; p99: number }) => `${round(x.p50)} / ${round(x.p99)}`;
  const cpuSum = (c: Record<string, number>, prefix: string) =>
    Math.round(
      Object.entries(c)
        .filter(([k]) => k.startsWith(prefix))
        .reduce((sum, [, v]) => sum + v, 0),
    );
  return [
    `### On the cluster (${r.startedAt}, ${r.durationSec} s)`,
    '',
    '| workers per suite | baseline A (items/s) | Hearken (posts/s) | Hearken ÷ A | Hearken capture ack p50 / p99 (ms) | capture → first activity p50 / p99 (ms) | capture → first reply p50 / p99 (ms) | CPU ms per post: Temporal services / Hearken workers |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.byWorkers.map(
      (w) =>
        `| ${w.workers} | ${w.baselineA.throughput} (c=${w.baselineA.concurrency}) | ${w.hearken.throughput} (c=${w.hearken.concurrency}) | ${w.throughputVsBaselineA}× | ${p(w.hearken.captureAckMs)} | ${p(w.hearken.captureToFirstActivityMs)} | ${p(w.hearken.captureToFirstReplyMs)} | ${cpuSum(w.hearken.cpuMsPerItem, 'temporal-')} / ${cpuSum(w.hearken.cpuMsPerItem, 'hearkenWorker')} |`,
    ),
    '',
    `Bound: ${r.bound}`,
  ].join('\n');
}
