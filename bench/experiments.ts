// `npm run bench -- --experiments`: Hearken under other worker options and
// proposed changes, each against "as shipped" on the same server in the same
// run, for the before/after figures of a proposed src change. Not part of
// the regular run (it restarts the Hearken worker once per variant).
//
// Per variant: throughput at the as-shipped saturation concurrency (and at
// twice it, in case the variant moves the knee), latency at half the
// as-shipped saturation rate, and the history of three posts per policy
// path. A variant with other server flags gets a fresh dev server. Then the
// worker's memory per open workflow, bare Temporal against Hearken.
// BENCH_VARIANTS="name,name" runs only those (plus "as shipped").
import os from 'node:os';
import path from 'node:path';
import type { BenchSizes } from './config';
import { baselineDriver, closeHttp, hearkenDriver } from './lib/drivers';
import { historyCost, type HistoryCost } from './lib/history';
import { describeMachine, type Machine } from './lib/machine';
import { findSaturation, measureClosed, measureOpen } from './lib/measure';
import type { PostMix } from './lib/posts';
import { rssOf } from './lib/procs';
import { writeResults } from './lib/report';
import { median, medianPercentiles, round } from './lib/stats';
import { NAMESPACE, startStack, type Stack } from './lib/stack';
import { describeTuning, type Tuning } from './lib/tuning';

const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');

interface Variant {
  name: string;
  tuning: Tuning;
  why: string;
  /** Extra dev-server flags; a variant with other flags gets a fresh server. */
  serverFlags?: string[];
}

// The embedded dev server runs SQLite in WAL mode since this bench measured it
// (src/runtime/temporal/dev-server.ts); a later pragma overrides it, for the "before".
const ROLLBACK_JOURNAL = ['--sqlite-pragma', 'journal_mode=delete'];

const VARIANTS: Variant[] = [
  { name: 'as shipped', tuning: {}, why: 'src/runtime/temporal/worker.ts today: SDK defaults; dev server in WAL mode' },
  {
    name: 'assessPost as a local activity',
    tuning: { assessAsLocalActivity: true },
    why: 'no activity task round trip and one workflow task fewer per post',
  },
  { name: 'coalesced upserts', tuning: { coalesceUpserts: true }, why: 'one search-attribute and one memo upsert per workflow task' },
  { name: 'in-memory channel', tuning: { channel: 'memory' }, why: 'what the outbox file (lock + fsync per reply) costs; not a proposal' },
  { name: 'reuseV8Context=false', tuning: { reuseV8Context: false }, why: 'one V8 context per workflow (the pre-1.9 default)' },
  {
    name: 'workflow task slots 8, pollers 2+2',
    tuning: { maxConcurrentWorkflowTaskExecutions: 8, maxConcurrentWorkflowTaskPolls: 2, maxConcurrentActivityTaskPolls: 2 },
    why: 'fewer concurrent tasks and polls on 2 cores',
  },
  {
    name: 'local assessPost + coalesced upserts',
    tuning: { assessAsLocalActivity: true, coalesceUpserts: true },
    why: 'the workflow proposals together',
  },
  {
    name: 'dev server SQLite with the rollback journal',
    tuning: {},
    serverFlags: ROLLBACK_JOURNAL,
    why: 'the dev server before WAL mode: the journal syncs and locks the whole file per transaction',
  },
];

export async function runExperiments(sizes: BenchSizes, mix: PostMix, log: (l: string) => void): Promise<void> {
  const startedAt = new Date().toISOString();
  const only = process.env.BENCH_VARIANTS?.split(',').map((s) => s.trim());
  const variants = only ? VARIANTS.filter((v, i) => i === 0 || only.includes(v.name)) : VARIANTS;
  let stack: Stack | null = null;
  let machine: Machine | null = null;
  let stackFlags = '';
  const results: Array<Record<string, unknown>> = [];
  try {
    let concurrency = 0;
    let rate = 0;
    for (const v of variants) {
      log(`variant: ${v.name} (${describeTuning(v.tuning)}${v.serverFlags ? `; server ${v.serverFlags.join(' ')}` : ''})`);
      const flags = (v.serverFlags ?? []).join(' ');
      if (!stack || flags !== stackFlags) {
        await stack?.stop();
        stack = null;
        stack = await startStack({ tuning: v.tuning, baseline: false, bundles: ['hearken'], log, serverFlags: v.serverFlags ?? [] });
        stackFlags = flags;
        machine ??= describeMachine(stack.cli, stack.dir, process.env.TEMPORAL_ADDRESS);
      } else {
        await stack.restartHearkenWorker(v.tuning);
      }
      const st: Stack = stack;
      const pids = () => st.pids();
      const H = hearkenDriver(st.tracker, { apiUrl: st.api!.url, mix: mix.posts, prefix: `x${results.length}-${st.runId}` });
      await measureClosed(H, st.tracker, 4, sizes.warmupMs);
      if (concurrency === 0) {
        const sat = await findSaturation(H, st.tracker, {
          start: sizes.saturation.start,
          maxConcurrency: sizes.saturation.maxConcurrency,
          stepMs: sizes.saturation.stepMs,
          s2sLimitMs: 1000,
          minGain: 1.1,
          log,
          pids,
        });
        concurrency = sat.concurrency;
        log(`  as-shipped saturation at c=${concurrency} (${sat.stoppedBecause})`);
      }
      const at = async (c: number) => {
        const reps = [];
        for (let i = 0; i < sizes.reps; i++) reps.push(await measureClosed(H, st.tracker, c, sizes.saturation.repMs, pids));
        const mid = reps.slice().sort((a, b) => a.throughput - b.throughput)[Math.floor(reps.length / 2)]!;
        return {
          concurrency: c,
          throughput: round(median(reps.map((r) => r.throughput))),
          reps: reps.map((r) => r.throughput),
          s2sP95: round(median(reps.map((r) => r.s2sP95))),
          cpuMsPerItem: mid.cpuMsPerItem,
        };
      };
      const sat1 = await at(concurrency);
      const sat2 = await at(concurrency * 2);
      if (rate === 0) rate = round(Math.max(sizes.latency.minRate, sat1.throughput / 2));
      const lat = [];
      for (let i = 0; i < sizes.reps; i++) lat.push(await measureOpen(H, st.tracker, rate, sizes.latency.durationMs, pids));
      const hist: Record<string, HistoryCost> = {};
      for (const policy of ['overheard', 'addressed-default', 'customer-complaint']) {
        const ids = lat
          .flatMap((r) => r.items)
          .filter((i) => i.label === policy)
          .slice(0, 3)
          .map((i) => i.id);
        if (ids.length) hist[policy] = await historyCost(st.client, NAMESPACE, ids);
      }
      const row = {
        variant: v.name,
        why: v.why,
        tuning: v.tuning,
        serverFlags: v.serverFlags ?? [],
        throughput: sat1,
        throughputAtDoubleConcurrency: sat2,
        fixedRate: rate,
        captureAckMs: medianPercentiles(lat.map((r) => r.ackMs)),
        captureToFirstActivityMs: medianPercentiles(lat.map((r) => r.firstActivityMs)),
        captureToFirstReplyMs: medianPercentiles(lat.map((r) => r.firstReplyMs)),
        failed: lat.reduce((sum, r) => sum + r.failed + r.shed, 0),
        history: Object.fromEntries(
          Object.entries(hist).map(([k, h]) => [
            k,
            {
              events: h.historyEvents,
              stateTransitions: h.stateTransitions,
              workflowTasks: h.workflowTasks,
              activities: h.activities,
              localActivities: h.localActivities,
              bytes: h.historyBytes,
            },
          ]),
        ),
        workerRssMb: rssOf(st.hearkenWorker!.pid)?.rssMb ?? null,
      };
      results.push(row);
      log(
        `  ${sat1.throughput}/s at c=${concurrency}, ${sat2.throughput}/s at c=${concurrency * 2}; CPU ms/item ${JSON.stringify(sat1.cpuMsPerItem)}; at ${rate}/s: ack p50/p99 ${row.captureAckMs.p50}/${row.captureAckMs.p99} ms, first reply p50/p95 ${row.captureToFirstReplyMs.p50}/${row.captureToFirstReplyMs.p95} ms`,
      );
    }
  } finally {
    closeHttp();
    await stack?.stop();
  }
  if (!machine) return;
  const memory = await memoryPerOpenWorkflow(sizes, mix, log);
  machine.loadAtEnd = os.loadavg().map((x) => round(x, 2));
  const file = writeResults(
    { kind: sizes.name === 'smoke' ? 'experiments-smoke' : 'experiments', startedAt, machine, variants: results, memory },
    RESULTS_DIR,
  );
  console.log(
    [
      '',
      '| variant | throughput (c, 2c) | CPU ms per interaction (server / worker / API) | ack p50 / p99 | first activity p50 | first reply p50 / p95 | events (overheard / default / complaint) | WFTs (same) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...results.map((r) => {
        const t = r.throughput as { throughput: number; cpuMsPerItem: Record<string, number> };
        const cpu = ['temporalServer', 'hearkenWorker', 'api'].map((k) => t.cpuMsPerItem[k] ?? '–').join(' / ');
        const t2 = r.throughputAtDoubleConcurrency as { throughput: number };
        const a = r.captureAckMs as { p50: number; p99: number };
        const f = r.captureToFirstActivityMs as { p50: number };
        const rep = r.captureToFirstReplyMs as { p50: number; p95: number };
        const h = r.history as Record<string, { events: number; workflowTasks: number }>;
        const col = (k: 'events' | 'workflowTasks') =>
          ['overheard', 'addressed-default', 'customer-complaint'].map((p) => h[p]?.[k] ?? '–').join(' / ');
        return `| ${r.variant as string} | ${t.throughput}, ${t2.throughput}/s | ${cpu} | ${a.p50} / ${a.p99} ms | ${f.p50} ms | ${rep.p50} / ${rep.p95} ms | ${col('events')} | ${col('workflowTasks')} |`;
      }),
      '',
    ].join('\n'),
  );
  console.log(
    [
      '| open workflows waiting on timers (cache holds all) | worker RSS before → after | KB per open workflow |',
      '| --- | --- | --- |',
      ...memory.map(
        (m) => `| ${m.what}: ${m.openBefore} → ${m.openAfter} | ${m.rssBeforeMb} → ${m.rssAfterMb} MB | ${m.kbPerOpenWorkflow} |`,
      ),
      '',
    ].join('\n'),
  );
  log(`experiments written to ${path.relative(process.cwd(), file)}`);
}

/**
 * Where a worker's memory goes: the RSS slope per open, cached workflow for
 * bare Temporal (baseline C: an activity, then a 24 h timer) and for Hearken's
 * interaction, each in its own worker process, on a fresh server.
 */
async function memoryPerOpenWorkflow(sizes: BenchSizes, mix: PostMix, log: (l: string) => void) {
  const n = sizes.name === 'smoke' ? 20 : 600;
  const stack = await startStack({ tuning: { maxCachedWorkflows: 10_000 }, baseline: true, bundles: ['baseline', 'hearken'], log });
  try {
    const C = baselineDriver(stack.client, stack.tracker, {
      type: 'baselineC',
      taskQueue: stack.baselineQueue,
      prefix: `C-${stack.runId}`,
    });
    const H = hearkenDriver(stack.tracker, { apiUrl: stack.api!.url, mix: mix.posts, prefix: `m-${stack.runId}` });
    const out = [];
    for (const [what, driver, pid] of [
      ['bare Temporal (baseline C)', C, stack.baselineWorker!.pid],
      ['Hearken interaction (the mix)', H, stack.hearkenWorker!.pid],
    ] as const) {
      log(`memory: ${n} × ${what}`);
      await measureClosed(driver, stack.tracker, 4, sizes.warmupMs);
      const before = {
        open: await openCount(stack, driver === C ? stack.baselineQueue : stack.hearkenQueue),
        rss: rssOf(pid)?.rssMb ?? NaN,
      };
      let done = 0;
      const started = Date.now();
      const chunkMs = sizes.name === 'smoke' ? 1000 : 10_000;
      while (done < n && Date.now() - started < 5 * 60_000) done += (await measureClosed(driver, stack.tracker, 8, chunkMs)).completed;
      await new Promise((r) => setTimeout(r, 3000));
      const after = {
        open: await openCount(stack, driver === C ? stack.baselineQueue : stack.hearkenQueue),
        rss: rssOf(pid)?.rssMb ?? NaN,
      };
      const row = {
        what,
        openBefore: before.open,
        openAfter: after.open,
        rssBeforeMb: before.rss,
        rssAfterMb: after.rss,
        kbPerOpenWorkflow: round(((after.rss - before.rss) / Math.max(1, after.open - before.open)) * 1000, 1),
      };
      log(`  ${JSON.stringify(row)}`);
      out.push(row);
    }
    return out;
  } finally {
    closeHttp();
    await stack.stop();
  }
}

async function openCount(stack: Stack, queue: string): Promise<number> {
  return Number((await stack.client.workflow.count(`TaskQueue = "${queue}" AND ExecutionStatus = "Running"`)).count);
}
