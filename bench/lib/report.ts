// The results file (bench/results/<timestamp>.json) and the markdown table
// printed at the end of a run; the README's Performance section quotes it.
import fs from 'node:fs';
import path from 'node:path';
import type { SelectorResult } from '../micro/selector';
import type { TriageResult } from '../micro/triage';
import type { Machine } from './machine';
import type { Percentiles } from './stats';

export interface Target {
  name: string;
  goal: string;
  value: string;
  met: boolean;
}

/** The shape written to disk: the issue's required keys plus details. */
export interface BenchResults {
  kind: 'full' | 'smoke';
  startedAt: string;
  durationSec: number;
  machine: Machine;
  workerOptions: Record<string, unknown>;
  mix: { source: string; buckets: Record<string, number>; policies: Record<string, number> };
  baselineA: SuiteFigures;
  baselineB: SuiteFigures;
  hearken: SuiteFigures & {
    captureAckMs: Percentiles;
    captureToFirstReplyMs: Percentiles;
    captureToFirstActivityMs: Percentiles;
    stateTransitionsPerInteraction: { mix: number; byPolicy: Record<string, number> };
    historyEventsPerInteraction: { mix: number; byPolicy: Record<string, number> };
    halfSaturationRate: number;
  };
  ratios: Record<string, number>;
  selector: SelectorResult;
  triage: TriageResult;
  memory: { openInteractions: number; workerRssMb: number; apiRssMb: number } & Record<string, unknown>;
  targets: Target[];
  [key: string]: unknown;
}

export interface SuiteFigures {
  /** Median over the repetitions of items settled per second at the saturation concurrency. */
  throughput: number;
  startToFirstActivityMs: Percentiles;
  [key: string]: unknown;
}

export function writeResults(results: { kind: string; startedAt: string; [key: string]: unknown }, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/gu, '-');
  const file = path.join(dir, `${stamp}${results.kind === 'full' ? '' : `-${results.kind}`}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

const ms = (p: Percentiles | undefined) => (p && Number.isFinite(p.p50) ? `${fmt(p.p50)} / ${fmt(p.p95)} / ${fmt(p.p99)}` : 'n/a');
function fmt(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** `server + worker + API = total` CPU ms per item (the load generator's share is left out). */
function cpu(suite: SuiteFigures, worker: string): string {
  const c = suite.cpuMsPerItemAtSaturation as Record<string, number> | undefined;
  if (!c) return 'n/a';
  const parts = [c.temporalServer ?? 0, c[worker] ?? 0, worker === 'hearkenWorker' ? (c.api ?? 0) : 0];
  return `${parts.map((x) => Math.round(x)).join(' + ')} = ${Math.round(parts.reduce((a, b) => a + b, 0))}`;
}

/** For results files written before the ratio was stored. */
function cpuRatio(r: BenchResults): number {
  const total = (s: SuiteFigures, w: string) => Number(cpu(s, w).split('= ')[1]);
  return Math.round((total(r.hearken, 'hearkenWorker') / total(r.baselineA, 'baselineWorker')) * 100) / 100;
}

export function markdown(r: BenchResults): string {
  const m = r.machine;
  const hist = r.hearken.historyEventsPerInteraction;
  const st = r.hearken.stateTransitionsPerInteraction;
  const lines = [
    `### Hearken benchmark (${r.kind}, ${r.startedAt}, ${r.durationSec} s)`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}; ${m.temporalCli}; ${m.temporalServerDevMode}, ${m.sqliteMode}.`,
    `Load average before the bench ${m.loadAtStart.join(' / ')}, mean during the run ${m.meanLoadDuringRun ?? 'n/a'}${m.busyNote ? ` — ${m.busyNote}` : ''}.`,
    `Worker options (all suites): ${JSON.stringify(r.workerOptions)}. Post mix: ${r.mix.source}, ${Object.entries(r.mix.buckets)
      .map(([k, v]) => `${k} ${Math.round(v * 100)} %`)
      .join(', ')}.`,
    '',
    '| figure | baseline A (1 activity) | baseline B (1 s timer + activity) | Hearken | Hearken ÷ A |',
    '| --- | --- | --- | --- | --- |',
    `| throughput at saturation (items/s, median of ${r.kind === 'smoke' ? 'smoke' : '3'} reps) | ${r.baselineA.throughput} (c=${r.baselineA.concurrency}) | ${r.baselineB.throughput} (c=${r.baselineB.concurrency}) | ${r.hearken.throughput} (c=${r.hearken.concurrency}) | ${r.ratios.throughputVsBaselineA}× |`,
    `| start → first activity p50 / p95 / p99 (ms) at ${r.hearken.halfSaturationRate}/s | ${ms(r.baselineA.startToFirstActivityMs)} | ${ms(r.baselineB.startToFirstActivityMs)} | ${ms(r.hearken.captureToFirstActivityMs)} | ${r.ratios.firstActivityP50VsBaselineA}× (p50) |`,
    `| start / capture acknowledged p50 / p95 / p99 (ms) | ${ms(r.baselineA.startAckMs as Percentiles)} | ${ms(r.baselineB.startAckMs as Percentiles)} | ${ms(r.hearken.captureAckMs)} | ${r.ratios.ackP50VsBaselineA}× (p50) |`,
    `| capture → first public reply p50 / p95 / p99 (ms) | — | — | ${ms(r.hearken.captureToFirstReplyMs)} | — |`,
    `| CPU ms per item at saturation: server + worker + API = total | ${cpu(r.baselineA, 'baselineWorker')} | ${cpu(r.baselineB, 'baselineWorker')} | ${cpu(r.hearken, 'hearkenWorker')} | ${r.ratios.cpuPerItemVsBaselineA ?? cpuRatio(r)}× |`,
    `| history events per workflow (Hearken: mix-weighted) | ${r.baselineA.historyEvents} | ${r.baselineB.historyEvents} | ${hist.mix} | ${r.ratios.historyEventsVsBaselineA}× |`,
    `| state transitions per workflow (Hearken: mix-weighted) | ${r.baselineA.stateTransitions} | ${r.baselineB.stateTransitions} | ${st.mix} | ${r.ratios.stateTransitionsVsBaselineA}× |`,
    '',
    '| Hearken policy path | share of mix | history events | state transitions | workflow tasks | activities | history KB |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(
      r.hearken.historyByPolicy as Record<
        string,
        {
          historyEvents: number;
          stateTransitions: number;
          workflowTasks: number;
          activities: number;
          localActivities: number;
          historyBytes: number;
        }
      >,
    ).map(
      ([policy, h]) =>
        `| ${policy} | ${Math.round(((r.mix.policies[policy] ?? 0) / Object.values(r.mix.policies).reduce((a, b) => a + b, 0)) * 100)} % | ${h.historyEvents} | ${h.stateTransitions} | ${h.workflowTasks} | ${h.activities}${h.localActivities ? ` + ${h.localActivities} local` : ''} | ${Math.round(h.historyBytes / 102.4) / 10} |`,
    ),
    '',
    '| micro-benchmark (one process, one core) | result |',
    '| --- | --- |',
    `| policy selection, ${r.selector.policies}-policy pack: Hearken vs json-rules-engine (decisions/s) | ${r.selector.hearkenPerSec} vs ${r.selector.jsonRulesEnginePerSec} → **${r.selector.ratio}×** (vs json-rules-engine with a plain path resolver: ${r.selector.ratioVsFastPaths}×; same winner on ${Math.round(r.selector.agreement * 1000) / 10} % of posts) |`,
    `| triage (posts/s) | ${r.triage.postsPerSec} (triage + selection + plan, the whole assessPost: ${r.triage.assessPerSec}/s) |`,
    `| memory: ${r.memory.openInteractions} open interactions waiting on timers, maxCachedWorkflows=${String(r.memory.maxCachedWorkflows)} | worker RSS ${r.memory.workerRssMb} MB, API RSS ${r.memory.apiRssMb} MB, Temporal dev server RSS ${(r.memory.temporalServerRssMb as number | null) ?? 'n/a'} MB |`,
    '',
    '| target | goal | measured | met |',
    '| --- | --- | --- | --- |',
    ...r.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`),
  ];
  return lines.join('\n');
}
