// The results file of a chaos run and its tables.
import fs from 'node:fs';
import path from 'node:path';
import type { Machine } from '../../lib/machine';
import type { DuplicatePublish } from './verdict';

export interface StalledGroup {
  /** The reason with numbers blanked, e.g. "notifyTeam retrying (attempt #): webhook … answered #". */
  reason: string;
  count: number;
  policies: Record<string, number>;
  examples: Array<{ interactionId: string; policy: string; status?: string; reason: string }>;
}

export interface ScenarioResult {
  name: string;
  what: string;
  sent: number;
  acknowledged: number;
  /** Acknowledged, but no interaction exists. */
  lost: number;
  /** Outbox lines after the first of an idempotency key, or of one step of one interaction. */
  duplicatePublishes: number;
  /** Not at rest `windowMs` after recovery, and their number no longer falling. */
  stalled: number;
  /** 5xx answers other than 503, over the whole scenario. */
  http5xx: number;
  http5xxDuringOutage: number;
  http503: number;
  http503WithRetryAfter: number;
  /** No answer within the connector's deadline. */
  noAnswer: number;
  /** Refused or cut off (an API that is down). */
  connectionErrors: number;
  rejected4xx: number;
  /** Answers slower than 5 s (the issue's bound for capture during an outage). */
  slowAnswers: number;
  answerMs: { ackP50: number | null; ackP99: number | null; max: number | null };
  /** Not acknowledged, yet an interaction exists: a connector's retry gets `duplicate: true`. */
  takenUnacknowledged: number;
  /**
   * 5xx answers (500 or 503) to POST /v1/posts in the API's error log — also those sent after the
   * connector had given up, which `http5xx` cannot see — by error message.
   */
  apiLogged5xx?: { count: number; byError: Record<string, number> };
  notAtRestAtWindow: number;
  /** At rest, with an activity failing beside the flow (not stalled: the flow waits on a decision or timer meanwhile). */
  failingBeside: { count: number; examples: string[] };
  /** This scenario's acknowledged interactions when the fault was injected, and all of the run's. */
  inFlightAtFault: number;
  openInteractionsAtFault: number;
  timing: {
    preloadS: number;
    faultToRecoveryS: number;
    /** When the task queue's backlog was first seen empty after recovery (null: not seen empty within the verdict). */
    backlogDrainedAfterRecoveryS: number | null;
    verdictAfterRecoveryS: number;
    totalS: number;
  };
  events: Array<{ atS: number; what: string }>;
  channelFaults?: { before: number; after: number; afterKeys: number; afterKeysOnceInOutbox: number; afterKeysMissingFromOutbox: number };
  webhook?: { calls: number; answered500: number; interactions: number };
  outboxTornLines: number;
  evidence: {
    lost: string[];
    duplicates: DuplicatePublish[];
    stalled: StalledGroup[];
    http5xx: Array<{ status?: number; atS: number; detail?: string }>;
  };
  /** What the suite had to repair after the scenario (a worker that exited, a server that was gone…). */
  notes: string[];
  ok: boolean;
}

export interface ChaosResults {
  kind: 'full' | 'short' | 'partial' | 'cluster';
  /** Which Temporal the run faulted (absent in runs before `--cluster`: the dev server). */
  temporal?: 'dev-server' | 'cluster';
  startedAt: string;
  durationSec: number;
  machine: Machine;
  meanLoadDuringRun?: number;
  sizes: Record<string, unknown>;
  saturation: { postsPerSec: number; source: string };
  steadyRatePerSec: number;
  mix: { source: string; buckets: Record<string, number> };
  logDir: string;
  scenarios: ScenarioResult[];
  /** Every acknowledged post of the run, inspected once more at the end. */
  finalSweep: {
    checked: number;
    lost: number;
    notAtRest: number;
    reasons: StalledGroup[];
    /** Over the whole outbox, for every acknowledged post of the run (later timers publish too). */
    duplicatePublishes?: number;
    outboxLines?: number;
    outboxTornLines?: number;
  };
  failed: boolean;
}

export function writeChaosResults(r: ChaosResults, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/gu, '-');
  const file = path.join(dir, `chaos-${stamp}${r.kind === 'full' ? '' : `-${r.kind}`}.json`);
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

export function chaosTable(r: ChaosResults): string {
  const head =
    '| scenario | sent | acknowledged | lost | duplicate publishes | stalled | 5xx (not 503) | 503 | no answer / refused | taken, not acknowledged | 5xx in the API log |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const mark = (n: number) => (n > 0 ? `**${n}**` : String(n));
  const rows = r.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.sent} | ${s.acknowledged} | ${mark(s.lost)} | ${mark(s.duplicatePublishes)} | ${mark(s.stalled)} | ${mark(s.http5xx)} | ${s.http503} | ${s.noAnswer} / ${s.connectionErrors} | ${s.takenUnacknowledged} | ${s.apiLogged5xx?.count ?? 'n/a'} |`,
  );
  return [head, rule, ...rows].join('\n');
}

/** The table plus, per failing scenario, what was seen. */
export function chaosReport(r: ChaosResults): string {
  const out = [
    `Chaos run (${r.kind}, ${r.temporal ?? 'dev-server'}), ${r.startedAt}, ${Math.round(r.durationSec)} s; saturation ${r.saturation.postsPerSec} posts/s (${r.saturation.source}), steady load ${r.steadyRatePerSec} posts/s`,
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, ${r.machine.node}; load ${r.machine.loadAtStart.join(' / ')} at start${r.meanLoadDuringRun !== undefined ? `, mean ${r.meanLoadDuringRun} during the run` : ''}`,
    '',
    chaosTable(r),
    '',
  ];
  for (const s of r.scenarios) {
    const problems: string[] = [];
    if (s.lost) problems.push(`  lost ${s.lost}: ${s.evidence.lost.slice(0, 5).join(', ')}`);
    for (const d of s.evidence.duplicates.slice(0, 5)) {
      problems.push(`  duplicate (${d.kind}) ${d.idempotencyKey}: ${d.texts.length}× at ${d.publishedAt.join(', ')}`);
    }
    for (const g of s.evidence.stalled) {
      const pol = Object.entries(g.policies)
        .map(([p, n]) => `${p} ${n}`)
        .join(', ');
      problems.push(`  stalled ${g.count} (${pol}): ${g.reason} — e.g. ${g.examples[0]?.interactionId ?? ''}`);
    }
    if (s.http5xx) {
      const byStatus = new Map<string, number>();
      for (const e of s.evidence.http5xx)
        byStatus.set(
          `${e.status}: ${e.detail ?? ''}`.slice(0, 160),
          (byStatus.get(`${e.status}: ${e.detail ?? ''}`.slice(0, 160)) ?? 0) + 1,
        );
      for (const [k, n] of byStatus) problems.push(`  5xx ${n}× (sampled) ${k}`);
    }
    for (const [msg, n] of Object.entries(s.apiLogged5xx?.byError ?? {})) {
      problems.push(`  API logged ${n}× "request failed" on POST /v1/posts: ${msg}`);
    }
    for (const n of s.notes) problems.push(`  note: ${n}`);
    if (problems.length) out.push(`${s.name}:`, ...problems);
  }
  const f = r.finalSweep;
  out.push(
    '',
    `Final sweep of all ${f.checked} acknowledged posts of the run: ${f.lost} lost, ${f.notAtRest} not at rest` +
      (f.duplicatePublishes !== undefined ? `, ${f.duplicatePublishes} duplicate publishes in ${f.outboxLines} outbox lines` : '') +
      (f.reasons.length ? ` (${f.reasons.map((g) => `${g.count}× ${g.reason}`).join('; ')})` : ''),
  );
  return out.join('\n');
}
