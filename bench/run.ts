// `npm run bench` (full, < 15 min on a 2-core box) and `npm run bench:smoke`
// (about a minute, CI; most of it starting the server and three Node
// processes): Hearken against bare Temporal and a rule-engine peer, side by
// side, in one run. Phases, in order:
//   1. micro-benchmarks in this process, before anything else runs:
//      triage posts/s, policy selection vs json-rules-engine;
//   2. a fresh Temporal dev server, a baseline worker, a Hearken worker and
//      Hearken's API, each its own process;
//   3. throughput at saturation of baseline A, baseline B, Hearken;
//   4. latency at a fixed arrival rate (half of Hearken's saturation) for all three;
//   5. history events and state transitions per workflow / policy path;
//   6. memory: RSS with N open interactions waiting on timers.
// Every figure is the median of `reps` repetitions after a warm-up. Results go
// to bench/results/<timestamp>.json and a markdown table on stdout.
// Flags: `--experiments` instead measures worker options and proposed changes
// (bench/experiments.ts); `--memory-full` lets the memory phase run until the target is reached;
// `--cache N` sets the workers' maxCachedWorkflows (default: Hearken's own default);
// `--cluster` / `--temporal host:port` runs Hearken and baseline A on a Temporal cluster (bench/cluster.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPack } from '../src/policy/pack/load-pack';
import { compilePolicies, type CompiledPolicy } from '../src/policy/engine/select';
import type { PolicyPack } from '../src/policy/types';
import { FULL, SMOKE, type BenchSizes } from './config';
import { baselineDriver, closeHttp, hearkenDriver, type Driver } from './lib/drivers';
import { historyCost, type HistoryCost } from './lib/history';
import { describeMachine, sampleLoad } from './lib/machine';
import { findSaturation, measureClosed, measureOpen, type ClosedStep, type OpenRun, type Saturation } from './lib/measure';
import { buildMix, type PostMix } from './lib/posts';
import { rssOf } from './lib/procs';
import { markdown, writeResults, type BenchResults, type Target } from './lib/report';
import { median, medianPercentiles, round } from './lib/stats';
import { NAMESPACE, startStack, type Stack } from './lib/stack';
import { DEFAULT_MAX_CACHED_WORKFLOWS, describeTuning, workerOptionsFor, type Tuning } from './lib/tuning';
import { runClusterBench } from './cluster';
import { runExperiments } from './experiments';
import { loadPack20 } from './micro/pack-20';
import { benchSelector } from './micro/selector';
import { benchTriage } from './micro/triage';

const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');
/** A hard stop, so a wedged run can never hang CI or the box. */
const OVERALL_LIMIT_MS = { full: 20 * 60_000, smoke: 3 * 60_000 };

const t0 = Date.now();
function log(line: string): void {
  console.log(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${line}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const report = argv.indexOf('--report');
  if (report >= 0) {
    // Prints the table of an earlier results file (for the README).
    const file = argv[report + 1] ?? '';
    console.log(markdown(JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults));
    return;
  }
  const sizes = argv.includes('--smoke') ? SMOKE : FULL;
  const limitMs = argv.includes('--memory-full') || argv.includes('--experiments') ? 90 * 60_000 : OVERALL_LIMIT_MS[sizes.name];
  setTimeout(() => {
    console.error(`bench: over the ${limitMs / 60_000} min limit, giving up`);
    process.exit(2);
  }, limitMs).unref();

  const loaded = await loadPack(path.resolve(import.meta.dirname, '../policies'));
  if (!loaded.ok) throw new Error('the default pack does not load: run `hearken policy check policies`');
  const pack = loaded.pack;
  const compiled = compilePolicies(pack.policies);
  const mix = buildMix(pack, compiled, sizes.mixSize);
  log(`post mix from ${mix.source}: ${JSON.stringify(mix.buckets)}`);

  if (argv.includes('--experiments')) {
    await runExperiments(sizes, mix, log);
    return;
  }
  if (argv.includes('--cluster') || argv.includes('--temporal')) {
    await runClusterBench(sizes, mix, argv, log);
    return;
  }
  await runBench(sizes, mix, pack, compiled, argv);
}

async function runBench(sizes: BenchSizes, mix: PostMix, pack: PolicyPack, compiled: CompiledPolicy[], argv: string[]): Promise<void> {
  const startedAt = new Date().toISOString();
  // Before the bench adds its own load: what else was running.
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  const loadSampler = sampleLoad();

  log('micro-benchmarks: triage');
  const triage = benchTriage(pack, compiled, mix.posts, { reps: sizes.reps, ms: sizes.micro.triageMs });
  log(`  triage ${triage.postsPerSec} posts/s (whole assessPost ${triage.assessPerSec}/s)`);
  log('micro-benchmarks: policy selection vs json-rules-engine (20-policy pack)');
  const selector = await benchSelector(await loadPack20(), mix.posts, { reps: sizes.reps, ms: sizes.micro.selectorMs });
  log(
    `  Hearken ${selector.hearkenPerSec}/s, json-rules-engine ${selector.jsonRulesEnginePerSec}/s → ${selector.ratio}×, agreement ${selector.agreement}`,
  );

  // The product's own defaults (HEARKEN_MAX_CACHED_WORKFLOWS=auto), so the
  // figures are what a user gets; `--cache N` measures another cache size.
  const cacheArg = argv.indexOf('--cache');
  const maxCachedWorkflows = cacheArg >= 0 ? Number(argv[cacheArg + 1]) : DEFAULT_MAX_CACHED_WORKFLOWS;
  if (!Number.isInteger(maxCachedWorkflows) || maxCachedWorkflows < 2) throw new Error('--cache needs a whole number >= 2');
  const tuning: Tuning = cacheArg >= 0 ? { maxCachedWorkflows } : {};
  const stack = await startStack({ tuning, baseline: true, bundles: ['baseline', 'hearken'], log });
  const machine = describeMachine(stack.cli, stack.dir, process.env.TEMPORAL_ADDRESS);
  machine.loadAtStart = loadBefore;
  try {
    const rssIdle = { worker: rssOf(stack.hearkenWorker!.pid), api: rssOf(stack.api!.pid) };
    const A = baselineDriver(stack.client, stack.tracker, {
      type: 'baselineA',
      taskQueue: stack.baselineQueue,
      prefix: `A-${stack.runId}`,
    });
    const B = baselineDriver(stack.client, stack.tracker, {
      type: 'baselineB',
      taskQueue: stack.baselineQueue,
      prefix: `B-${stack.runId}`,
    });
    const H = hearkenDriver(stack.tracker, { apiUrl: stack.api!.url, mix: mix.posts, prefix: `h-${stack.runId}` });

    log('warm-up');
    for (const d of [A, H]) await measureClosed(d, stack.tracker, 4, sizes.warmupMs);

    const sat = {
      A: await saturate(A, stack, sizes, sizes.saturation.start, sizes.saturation.stepMs, sizes.saturation.repMs),
      B: await saturate(B, stack, sizes, sizes.saturation.startB, sizes.saturation.stepMsB, sizes.saturation.repMsB),
      H: await saturate(H, stack, sizes, sizes.saturation.start, sizes.saturation.stepMs, sizes.saturation.repMs),
    };

    // One arrival rate for all three, half of Hearken's saturation: Hearken's
    // reply latency "at half saturation", and the baselines at the same load.
    const rate = round(Math.max(sizes.latency.minRate, sat.H.throughput / 2));
    log(`latency at a fixed arrival rate of ${rate}/s`);
    const lat = {
      H: await repeatOpen(H, stack, sizes, rate),
      A: await repeatOpen(A, stack, sizes, rate),
      B: await repeatOpen(B, stack, sizes, rate),
    };

    log('history events and state transitions per workflow');
    const pick = (runs: OpenRun[], label?: string) =>
      runs
        .flatMap((r) => r.items)
        .filter((i) => label === undefined || i.label === label)
        .slice(0, sizes.history.perLabel)
        .map((i) => i.id);
    const histA = await historyCost(stack.client, NAMESPACE, pick(lat.A));
    const histB = await historyCost(stack.client, NAMESPACE, pick(lat.B));
    const histByPolicy: Record<string, HistoryCost> = {};
    for (const policy of Object.keys(mix.policies).sort()) {
      const ids = pick(lat.H, policy);
      if (ids.length > 0) histByPolicy[policy] = await historyCost(stack.client, NAMESPACE, ids);
    }
    const weighted = (f: (h: HistoryCost) => number) => {
      let sum = 0;
      let n = 0;
      for (const [policy, h] of Object.entries(histByPolicy)) {
        sum += f(h) * (mix.policies[policy] ?? 0);
        n += mix.policies[policy] ?? 0;
      }
      return round(sum / n);
    };

    // Whatever time is left of the run's budget goes to the memory phase.
    const budgetMs = argv.includes('--memory-full')
      ? 60 * 60_000
      : Math.max(sizes.memory.minMs, sizes.budgetMs - (Date.now() - t0) - 30_000);
    const memory = await measureMemory(stack, sizes, H, sat.H.concurrency, rssIdle, budgetMs);
    machine.loadAtEnd = os.loadavg().map((x) => round(x, 2));
    machine.meanLoadDuringRun = loadSampler.stop();
    // The bench alone keeps about `cpus` runnable processes busy (server, workers, API, load generator).
    if (machine.meanLoadDuringRun > machine.cpus * 1.5 || machine.loadAtStart[0]! > machine.cpus * 0.5) {
      machine.busyNote = `the box was busy: other processes competed for the ${machine.cpus} cores (load ${machine.loadAtStart[0]} before the bench started, ${machine.meanLoadDuringRun} on average during it, where the bench alone adds about ${machine.cpus}); read the absolute numbers as a floor, the ratios and CPU ms per item hold better`;
    }

    const results: BenchResults = {
      kind: sizes.name,
      startedAt,
      durationSec: Math.round((Date.now() - t0) / 1000),
      machine,
      workerOptions: { tuning: describeTuning(tuning), ...workerOptionsFor(tuning) },
      mix: { source: mix.source, buckets: mix.buckets, policies: mix.policies },
      baselineA: suiteFigures(sat.A, lat.A, histA),
      baselineB: suiteFigures(sat.B, lat.B, histB),
      hearken: {
        ...suiteFigures(sat.H, lat.H, null),
        captureAckMs: medianPercentiles(lat.H.map((r) => r.ackMs)),
        captureToFirstActivityMs: medianPercentiles(lat.H.map((r) => r.firstActivityMs)),
        captureToFirstReplyMs: medianPercentiles(lat.H.map((r) => r.firstReplyMs)),
        captureAckAtSaturationMs: medianPercentiles(sat.H.reps.map((r) => r.ackMs)),
        halfSaturationRate: rate,
        stateTransitionsPerInteraction: {
          mix: weighted((h) => h.stateTransitions),
          byPolicy: mapValues(histByPolicy, (h) => h.stateTransitions),
        },
        historyEventsPerInteraction: { mix: weighted((h) => h.historyEvents), byPolicy: mapValues(histByPolicy, (h) => h.historyEvents) },
        workflowTasksPerInteraction: { mix: weighted((h) => h.workflowTasks), byPolicy: mapValues(histByPolicy, (h) => h.workflowTasks) },
        historyBytesPerInteraction: { mix: weighted((h) => h.historyBytes), byPolicy: mapValues(histByPolicy, (h) => h.historyBytes) },
        historyByPolicy: histByPolicy,
      },
      ratios: {},
      selector,
      triage,
      memory,
      targets: [],
    };
    const A50 = results.baselineA.startToFirstActivityMs.p50;
    results.ratios = {
      throughputVsBaselineA: round(results.hearken.throughput / results.baselineA.throughput, 2),
      throughputBaselineBVsBaselineA: round(results.baselineB.throughput / results.baselineA.throughput, 2),
      firstActivityP50VsBaselineA: round(results.hearken.captureToFirstActivityMs.p50 / A50, 2),
      ackP50VsBaselineA: round(results.hearken.captureAckMs.p50 / (results.baselineA.startAckMs as { p50: number }).p50, 2),
      historyEventsVsBaselineA: round(results.hearken.historyEventsPerInteraction.mix / histA.historyEvents, 2),
      stateTransitionsVsBaselineA: round(results.hearken.stateTransitionsPerInteraction.mix / histA.stateTransitions, 2),
      cpuPerItemVsBaselineA: round(sutCpu(sat.H.reps, 'hearkenWorker') / sutCpu(sat.A.reps, 'baselineWorker'), 2),
    };
    results.targets = targets(results);
    const file = writeResults(results, RESULTS_DIR);
    console.log(`\n${markdown(results)}\n`);
    log(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    closeHttp();
    await stack.stop();
  }
}

interface SuiteRun {
  saturation: Saturation;
  reps: ClosedStep[];
  throughput: number;
  concurrency: number;
}

async function saturate(d: Driver, stack: Stack, sizes: BenchSizes, start: number, stepMs: number, repMs: number): Promise<SuiteRun> {
  log(`${d.name}: looking for saturation (concurrency doubled from ${start})`);
  const pids = () => stack.pids();
  const saturation = await findSaturation(d, stack.tracker, {
    start,
    maxConcurrency: sizes.saturation.maxConcurrency,
    stepMs,
    s2sLimitMs: 1000,
    minGain: 1.1,
    log,
    pids,
  });
  log(`  saturation at c=${saturation.concurrency} (${saturation.stoppedBecause}); ${sizes.reps} repetitions`);
  const reps: ClosedStep[] = [];
  for (let i = 0; i < sizes.reps; i++) reps.push(await measureClosed(d, stack.tracker, saturation.concurrency, repMs, pids));
  const throughput = round(median(reps.map((r) => r.throughput)));
  log(
    `  ${d.name}: ${throughput}/s (reps ${reps.map((r) => r.throughput).join(', ')}); CPU ms per item ${JSON.stringify(medianCpu(reps))}`,
  );
  return { saturation, reps, throughput, concurrency: saturation.concurrency };
}

async function repeatOpen(d: Driver, stack: Stack, sizes: BenchSizes, rate: number): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  for (let i = 0; i < sizes.reps; i++) runs.push(await measureOpen(d, stack.tracker, rate, sizes.latency.durationMs, () => stack.pids()));
  const last = runs[runs.length - 1]!;
  log(
    `  ${d.name}: first activity p50 ${last.firstActivityMs.p50} ms, p99 ${last.firstActivityMs.p99} ms; ack p99 ${last.ackMs.p99} ms${last.firstReplyMs.n ? `; first reply p50 ${last.firstReplyMs.p50} ms` : ''}${last.failed || last.shed ? `; ${last.failed} failed, ${last.shed} shed` : ''}`,
  );
  return runs;
}

function suiteFigures(sat: SuiteRun, lat: OpenRun[], hist: HistoryCost | null) {
  return {
    throughput: sat.throughput,
    concurrency: sat.concurrency,
    throughputReps: sat.reps.map((r) => r.throughput),
    saturationSearch: {
      stoppedBecause: sat.saturation.stoppedBecause,
      steps: sat.saturation.steps.map(({ concurrency, throughput, s2sP95, failed }) => ({ concurrency, throughput, s2sP95, failed })),
    },
    scheduleToStartP95AtSaturationMs: round(median(sat.reps.map((r) => r.s2sP95))),
    cpuMsPerItemAtSaturation: medianCpu(sat.reps),
    startToFirstActivityMs: medianPercentiles(lat.map((r) => r.firstActivityMs)),
    startAckMs: medianPercentiles(lat.map((r) => r.ackMs)),
    settledMs: medianPercentiles(lat.map((r) => r.settledMs)),
    fixedRate: lat[0]?.ratePerSec ?? null,
    latencyRuns: lat.map((r) => ({
      achievedPerSec: r.achievedPerSec,
      completed: r.completed,
      failed: r.failed,
      shed: r.shed,
      s2sP95: r.s2sP95,
      errors: r.errors,
    })),
    ...(hist
      ? {
          historyEvents: hist.historyEvents,
          stateTransitions: hist.stateTransitions,
          workflowTasks: hist.workflowTasks,
          historyBytes: hist.historyBytes,
          eventTypes: hist.eventTypes,
        }
      : {}),
  };
}

/**
 * Captures posts (the same mix) until `openInteractions` interactions are
 * open or the phase's time budget is spent, reading each process's RSS as it
 * goes. Where the budget runs out first (a busy 2-core box handles a few
 * interactions per second as shipped), the worker's RSS at the target is
 * projected from the measured MB per open interaction, and labelled so.
 */
async function measureMemory(
  stack: Stack,
  sizes: BenchSizes,
  H: Driver,
  concurrency: number,
  rssIdle: Record<string, unknown>,
  budgetMs: number,
) {
  const count = async () =>
    Number((await stack.client.workflow.count(`TaskQueue = "${stack.hearkenQueue}" AND ExecutionStatus = "Running"`)).count);
  const target = sizes.memory.openInteractions;
  const open0 = await count();
  log(
    `memory: ${open0} interactions open, capturing up to ${Math.max(0, target - open0)} more within ${Math.round(budgetMs / 1000)} s (c=${concurrency})`,
  );
  const points: Array<{ open: number; workerRssMb: number; apiRssMb: number }> = [];
  const sample = async () => {
    const open = await count();
    points.push({ open, workerRssMb: rssOf(stack.hearkenWorker!.pid)?.rssMb ?? NaN, apiRssMb: rssOf(stack.api!.pid)?.rssMb ?? NaN });
    return open;
  };
  await sample();
  const started = Date.now();
  let failed = 0;
  let open = open0;
  while (open < target && Date.now() - started < budgetMs) {
    const left = budgetMs - (Date.now() - started);
    const step = await measureClosed(H, stack.tracker, concurrency, Math.max(1000, Math.min(30_000, left - 2000)));
    failed += step.failed;
    open = await sample();
    log(`  ${open} open (+${step.completed} at ${step.throughput}/s), worker RSS ${points.at(-1)!.workerRssMb} MB`);
  }
  // Visibility is eventually consistent; give it and the worker a moment.
  await new Promise((r) => setTimeout(r, 3000));
  open = await sample();
  const last = points.at(-1)!;
  const server = stack.temporalServerRss();
  // The recent half of the points: once a bounded cache is full, RSS flattens,
  // and the projection should follow the flat part, not the ramp before it.
  const recent = points.slice(Math.floor(points.length / 2));
  const slope = slopeOf(recent.map((p) => [p.open, p.workerRssMb]));
  const apiSlope = slopeOf(recent.map((p) => [p.open, p.apiRssMb]));
  const reached = open >= target;
  const projected = reached ? last.workerRssMb : round(last.workerRssMb + slope * (target - open));
  log(
    `  ${open} open: worker RSS ${last.workerRssMb} MB, API RSS ${last.apiRssMb} MB, server RSS ${server?.rssMb ?? 'n/a'} MB` +
      (reached ? '' : `; projected worker RSS at ${target}: ${projected} MB (${round(slope * 1000, 1)} KB per open interaction)`),
  );
  return {
    openInteractions: open,
    target,
    reachedTarget: reached,
    maxCachedWorkflows: stack.tuning.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    workerRssMb: last.workerRssMb,
    apiRssMb: last.apiRssMb,
    workerPeakRssMb: rssOf(stack.hearkenWorker!.pid)?.peakRssMb ?? NaN,
    apiPeakRssMb: rssOf(stack.api!.pid)?.peakRssMb ?? NaN,
    temporalServerRssMb: server?.rssMb ?? null,
    baselineWorkerRssMb: stack.baselineWorker ? (rssOf(stack.baselineWorker.pid)?.rssMb ?? null) : null,
    /** RSS growth per open interaction over the recent half of the phase. */
    workerKbPerOpenInteraction: round(slope * 1000, 1),
    apiKbPerOpenInteraction: round(apiSlope * 1000, 1),
    projectedWorkerRssMbAtTarget: projected,
    points,
    rssIdle,
    topUpFailed: failed,
    waitingOn:
      'each interaction waits on durable timers: idle close (24 h) and, on the escalation paths, decision deadlines, reminders and commitment clocks',
  };
}

/** Least-squares slope of y over x (MB per open interaction); 0 with fewer than two distinct x. */
function slopeOf(xy: Array<[number, number]>): number {
  const pts = xy.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const n = pts.length;
  const mx = pts.reduce((s, [x]) => s + x, 0) / n;
  const my = pts.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return n < 2 || sxx === 0 ? 0 : pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

function targets(r: BenchResults): Target[] {
  return [
    {
      name: 'interaction throughput',
      goal: '≥ 0.5 × baseline A',
      value: `${r.ratios.throughputVsBaselineA}× (${r.hearken.throughput} vs ${r.baselineA.throughput}/s)`,
      met: (r.ratios.throughputVsBaselineA ?? 0) >= 0.5,
    },
    { name: 'capture ack p99', goal: '< 50 ms', value: `${r.hearken.captureAckMs.p99} ms`, met: r.hearken.captureAckMs.p99 < 50 },
    {
      name: 'capture → first reply p50 at half saturation',
      goal: '< 1 s',
      value: `${r.hearken.captureToFirstReplyMs.p50} ms at ${r.hearken.halfSaturationRate}/s`,
      met: r.hearken.captureToFirstReplyMs.p50 < 1000,
    },
    { name: 'selector vs json-rules-engine', goal: '≥ 50×', value: `${r.selector.ratio}×`, met: r.selector.ratio >= 50 },
    { name: 'triage', goal: '≥ 5,000 posts/s', value: `${r.triage.postsPerSec} posts/s`, met: r.triage.postsPerSec >= 5000 },
    r.memory.reachedTarget
      ? {
          name: `worker RSS, ${r.memory.openInteractions} open interactions`,
          goal: '< 1 GB',
          value: `${r.memory.workerRssMb} MB`,
          met: r.memory.workerRssMb < 1024,
        }
      : {
          name: `worker RSS, ${r.memory.target} open interactions (projected)`,
          goal: '< 1 GB',
          value: `${r.memory.projectedWorkerRssMbAtTarget as number} MB projected from ${r.memory.openInteractions} open (${r.memory.workerRssMb} MB, ${r.memory.workerKbPerOpenInteraction as number} KB each)`,
          met: (r.memory.projectedWorkerRssMbAtTarget as number) < 1024,
        },
  ];
}

/** CPU ms per item of the system under test: server, the suite's worker, the API (Hearken). */
function sutCpu(reps: ClosedStep[], worker: string): number {
  const c = medianCpu(reps);
  return (c.temporalServer ?? 0) + (c[worker] ?? 0) + (worker === 'hearkenWorker' ? (c.api ?? 0) : 0);
}

/** Per process, the median over repetitions of CPU ms per item. */
function medianCpu(reps: ReadonlyArray<{ cpuMsPerItem: Record<string, number> }>): Record<string, number> {
  const names = new Set(reps.flatMap((r) => Object.keys(r.cpuMsPerItem)));
  return Object.fromEntries([...names].map((n) => [n, round(median(reps.map((r) => r.cpuMsPerItem[n] ?? NaN)))]));
}

function mapValues<T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
