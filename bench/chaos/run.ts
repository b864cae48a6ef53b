// `npm run chaos` (full, ~21 min on a 2-core box) and `npm run chaos -- --short`
// (CI, ~4 min on a busy 2-core box): faults injected into a running Hearken — worker, API and
// Temporal dev server each its own process, on the real dev server — while
// posts keep arriving through POST /v1/posts, then a verdict per scenario read
// from Temporal and the outbox: posts sent, acknowledged, lost, duplicate
// publishes, stalled interactions, 5xx answers other than 503.
// Results: bench/results/chaos-<timestamp>.json (short and partial runs get a
// suffix and are git-ignored), the table on stdout.
// Flags: --short, --cluster (the four-service Temporal cluster on PostgreSQL,
// two workers and two APIs; its scenarios kill a worker, an API and the
// history service with ~200 interactions in flight), --only a,b (scenario names), --report-only (exit 0 whatever
// was found), --saturation N (posts/s; default: the latest full bench run),
// --report <file> (print the tables of an earlier run).
// Exit code: 1 when any scenario lost, published twice, stalled or answered a
// 5xx other than 503 (unless --report-only); 2 when the harness itself failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { compilePolicies } from '../../src/policy/engine/select';
import { loadPack } from '../../src/policy/pack/load-pack';
import { describeMachine, sampleLoad } from '../lib/machine';
import { buildMix, mulberry32, type PostMix } from '../lib/posts';
import { CLUSTER, FULL, SHORT, type ChaosSizes } from './config';
import { Capturer, startLoad, type Sent } from './lib/capture';
import { chaosReport, writeChaosResults, type ChaosResults, type ScenarioResult, type StalledGroup } from './lib/report';
import { startChaosStack, type ChaosStack } from './lib/stack';
import {
  countDuplicateLines,
  duplicatePublishes,
  inspectAll,
  judge,
  pollers,
  readOutbox,
  waitForDrain,
  type Inspection,
} from './lib/verdict';
import { SCENARIOS, type Scenario, type ScenarioContext } from './scenarios';

const RESULTS_DIR = path.resolve(import.meta.dirname, '../results');
const t0 = Date.now();
function log(line: string): void {
  console.log(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${line}`);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? '') : undefined;
  };
  const reportFile = flag('--report');
  if (reportFile !== undefined) {
    console.log(chaosReport(JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ChaosResults));
    return 0;
  }
  const onCluster = argv.includes('--cluster');
  const sizes = argv.includes('--short') ? (onCluster ? { ...SHORT, inFlight: 60 } : SHORT) : onCluster ? CLUSTER : FULL;
  const reportOnly = argv.includes('--report-only');
  const only = flag('--only')?.split(',').filter(Boolean);
  const temporal = onCluster ? 'cluster' : 'dev-server';
  const scenarios = only
    ? SCENARIOS.filter((s) => only.includes(s.name))
    : SCENARIOS.filter((s) =>
        onCluster ? s.only === 'cluster' || ['worker-sigkill', 'api-sigkill'].includes(s.name) : s.only !== 'cluster',
      );
  if (only && scenarios.length !== only.length) {
    throw new Error(`unknown scenario in --only; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  setTimeout(() => {
    console.error(`chaos: over the ${sizes.limitMs / 60_000} min limit, giving up`);
    process.exit(2);
  }, sizes.limitMs).unref();

  const saturation = saturationFigure(flag('--saturation'));
  const rate = Math.round(saturation.postsPerSec * sizes.rateFactor * 10) / 10;
  const loaded = await loadPack(path.resolve(import.meta.dirname, '../../policies'));
  if (!loaded.ok) throw new Error('the default pack does not load: run `hearken policy check policies`');
  const mix = buildMix(loaded.pack, compilePolicies(loaded.pack.policies), sizes.name === 'full' ? 2000 : 400);
  const startedAt = new Date().toISOString();
  const logDir = path.join(os.tmpdir(), `hearken-chaos-logs-${startedAt.replace(/[:.]/gu, '-')}`);
  log(
    `${sizes.name} run: ${scenarios.length} scenarios; saturation ${saturation.postsPerSec}/s (${saturation.source}), steady load ${rate}/s`,
  );
  log(`post mix from ${mix.source}: ${JSON.stringify(mix.buckets)}; logs of every process in ${logDir}`);

  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const loadSampler = sampleLoad();
  const stack = await startChaosStack({ log, logDir, cluster: onCluster });
  // Ctrl-C or a CI cancel: stop every child (the API would outlive us) and the server.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`chaos: ${signal}, stopping the stack`);
      void stack.stop().finally(() => process.exit(130));
    });
  }
  const machine = describeMachine(stack.cli, stack.dir, undefined);
  machine.loadAtStart = loadBefore;
  const results: ScenarioResult[] = [];
  const allAcked: Sent[] = [];
  let finalSweep: ChaosResults['finalSweep'] = {
    checked: 0,
    lost: 0,
    notAtRest: 0,
    reasons: [],
    duplicatePublishes: 0,
    outboxLines: 0,
    outboxTornLines: 0,
  };
  const rand = mulberry32(Date.now() % 2 ** 31);
  try {
    for (const s of scenarios) {
      log(`scenario ${s.name}: ${s.what(sizes, saturation.postsPerSec)}`);
      const r = await runScenario(s, { stack, sizes, saturation: saturation.postsPerSec, rate, rand, mix, openBefore: allAcked.length });
      allAcked.push(...r.sent.filter((x) => x.outcome === 'ack'));
      results.push(r.result);
      log(
        `  → sent ${r.result.sent}, acknowledged ${r.result.acknowledged}, lost ${r.result.lost}, duplicate publishes ${r.result.duplicatePublishes}, ` +
          `stalled ${r.result.stalled}, 5xx ${r.result.http5xx} (503: ${r.result.http503}, no answer ${r.result.noAnswer}, refused ${r.result.connectionErrors}) in ${r.result.timing.totalS} s`,
      );
    }
    log(`final sweep: every acknowledged post of the run (${allAcked.length}), once the task queue has drained`);
    await waitForDrain(stack.client, stack.taskQueue, {
      since: Date.now(),
      windowMs: sizes.windowMs,
      until: Date.now() + sizes.verdictCapMs,
      log,
    });
    const sweep = await inspectAll(
      stack.client,
      allAcked.map((a) => a.interactionId),
      sizes.freshMs,
    );
    const policyOf = new Map(allAcked.map((a) => [a.interactionId, a.policy]));
    const notAtRest = sweep.filter((i) => i.exists && !i.atRest);
    const outbox = readOutbox(stack.dataDir);
    finalSweep = {
      checked: sweep.length,
      duplicatePublishes: countDuplicateLines(outbox.lines, new Set(allAcked.map((a) => a.interactionId))),
      outboxLines: outbox.lines.length,
      outboxTornLines: outbox.torn,
      lost: sweep.filter((i) => !i.exists).length,
      notAtRest: notAtRest.length,
      reasons: groupStalled(notAtRest, policyOf),
    };
  } finally {
    await stack.stop();
  }

  const failed = results.some((r) => !r.ok);
  const out: ChaosResults = {
    kind: only ? 'partial' : sizes.name,
    temporal,
    startedAt,
    durationSec: Math.round((Date.now() - t0) / 1000),
    machine,
    meanLoadDuringRun: loadSampler.stop(),
    sizes: { ...sizes },
    saturation,
    steadyRatePerSec: rate,
    mix: { source: mix.source, buckets: mix.buckets },
    logDir,
    scenarios: results,
    finalSweep,
    failed,
  };
  const file = writeChaosResults(out, RESULTS_DIR);
  console.log(`\n${chaosReport(out)}\n\nResults: ${path.relative(process.cwd(), file)}; process logs: ${logDir}`);
  return failed && !reportOnly ? 1 : 0;
}

interface RunEnv {
  stack: ChaosStack;
  sizes: ChaosSizes;
  saturation: number;
  rate: number;
  rand: () => number;
  mix: PostMix;
  /** Acknowledged posts of earlier scenarios (open interactions). */
  openBefore: number;
}

async function runScenario(s: Scenario, env: RunEnv): Promise<{ result: ScenarioResult; sent: Sent[] }> {
  const { stack, sizes } = env;
  const start = Date.now();
  const at = () => Math.round((Date.now() - start) / 100) / 10;
  const events: ScenarioResult['events'] = [];
  const event = (what: string) => {
    events.push({ atS: at(), what });
    log(`  ${what}`);
  };
  const base = { stack, sizes, saturation: env.saturation, rate: env.rate, rand: env.rand, log, event };
  const capturer = new Capturer(stack.apiUrls, sizes.requestTimeoutMs);
  const prefix = `chaos-${start.toString(36)}-${s.name}`;
  const faultsBefore = stack.channelFaults.length;
  const apiLogFrom = fs.existsSync(stack.apiLogFile) ? fs.statSync(stack.apiLogFile).size : 0;
  const hitsBefore = stack.webhook.hits.length;

  await s.before?.(base);
  const load = startLoad(capturer, env.mix.posts, prefix, env.rate);
  const ctx: ScenarioContext = { ...base, load };
  if (!(await load.untilAcked(sizes.inFlight, sizes.preloadCapMs))) {
    event(`only ${load.acked()} of ${sizes.inFlight} posts acknowledged within ${sizes.preloadCapMs / 1000} s; injecting anyway`);
  }
  const inFlightAtFault = load.acked();
  const faultAt = Date.now();
  let recoveredAt: number;
  try {
    recoveredAt = await s.inject(ctx);
  } catch (err) {
    event(`fault injection failed: ${String(err)}`);
    recoveredAt = Date.now();
  }
  await sleep(sizes.tailMs);
  await load.stop();
  event(`load stopped: ${load.count()} sent, ${load.acked()} acknowledged`);
  capturer.close();
  const sent = capturer.sent;

  log(`  verdict: inspecting ${load.acked()} interactions ${sizes.firstLookMs / 1000} s after recovery`);
  const verdict = await judge(stack.client, stack.taskQueue, sent, {
    recoveredAt,
    windowMs: sizes.windowMs,
    firstLookMs: sizes.firstLookMs,
    freshMs: sizes.freshMs,
    capMs: sizes.verdictCapMs,
    log,
  });
  const ids = new Set(sent.map((x) => x.interactionId));
  const outbox = readOutbox(stack.dataDir);
  const dupLines = countDuplicateLines(outbox.lines, ids);
  const policyOf = new Map(sent.map((x) => [x.interactionId, x.policy]));

  const faults = stack.channelFaults.slice(faultsBefore).filter((f) => ids.has(f.interactionId));
  const keyLines = new Map<string, number>();
  for (const l of outbox.lines) keyLines.set(l.idempotencyKey, (keyLines.get(l.idempotencyKey) ?? 0) + 1);
  const afterKeys = [...new Set(faults.filter((f) => f.when === 'after').map((f) => f.key))];
  const hits = stack.webhook.hits.slice(hitsBefore).filter((h) => ids.has(h.interactionId));

  await s.after?.(base);
  const notes = await heal(stack);
  const apiErrors = apiLoggedCaptureErrors(stack.apiLogFile, apiLogFrom);
  for (const n of notes) event(`repair: ${n}`);

  const answered = sent.filter((x) => x.outcome !== 'timeout' && x.outcome !== 'connection');
  const ackMs = sent
    .filter((x) => x.outcome === 'ack')
    .map((x) => x.answeredAt - x.sentAt)
    .sort((a, b) => a - b);
  const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : null);
  const outageEnd = recoveredAt + sizes.tailMs;
  const e5xx = sent.filter((x) => x.outcome === 'error5xx');
  const result: ScenarioResult = {
    name: s.name,
    what: s.what(sizes, env.saturation),
    sent: sent.length,
    acknowledged: sent.filter((x) => x.outcome === 'ack').length,
    lost: verdict.lost.length,
    duplicatePublishes: dupLines,
    stalled: verdict.stalled.length,
    http5xx: e5xx.length,
    http5xxDuringOutage: e5xx.filter((x) => x.answeredAt >= faultAt && x.answeredAt <= outageEnd).length,
    http503: sent.filter((x) => x.outcome === 'unavailable').length,
    http503WithRetryAfter: sent.filter((x) => x.outcome === 'unavailable' && x.retryAfter !== undefined).length,
    noAnswer: sent.filter((x) => x.outcome === 'timeout').length,
    connectionErrors: sent.filter((x) => x.outcome === 'connection').length,
    rejected4xx: sent.filter((x) => x.outcome === 'rejected').length,
    slowAnswers: answered.filter((x) => x.answeredAt - x.sentAt > 5_000).length,
    answerMs: {
      ackP50: pct(ackMs, 50),
      ackP99: pct(ackMs, 99),
      max: answered.length ? Math.max(...answered.map((x) => x.answeredAt - x.sentAt)) : null,
    },
    takenUnacknowledged: verdict.takenUnacknowledged,
    apiLogged5xx: apiErrors,
    notAtRestAtWindow: verdict.notAtRestAtWindow,
    failingBeside: verdict.failingBeside,
    inFlightAtFault,
    openInteractionsAtFault: env.openBefore + inFlightAtFault,
    timing: {
      preloadS: Math.round((faultAt - start) / 100) / 10,
      faultToRecoveryS: Math.round((recoveredAt - faultAt) / 100) / 10,
      verdictAfterRecoveryS: Math.round(verdict.verdictAfterRecoveryMs / 100) / 10,
      backlogDrainedAfterRecoveryS: verdict.backlogDrainedAfterMs === null ? null : Math.round(verdict.backlogDrainedAfterMs / 100) / 10,
      totalS: at(),
    },
    events,
    ...(faults.length
      ? {
          channelFaults: {
            before: faults.filter((f) => f.when === 'before').length,
            after: faults.filter((f) => f.when === 'after').length,
            afterKeys: afterKeys.length,
            afterKeysOnceInOutbox: afterKeys.filter((k) => keyLines.get(k) === 1).length,
            afterKeysMissingFromOutbox: afterKeys.filter((k) => !keyLines.has(k)).length,
          },
        }
      : {}),
    ...(hits.length
      ? {
          webhook: {
            calls: hits.length,
            answered500: hits.filter((h) => h.status === 500).length,
            interactions: new Set(hits.map((h) => h.interactionId)).size,
          },
        }
      : {}),
    outboxTornLines: outbox.torn,
    evidence: {
      lost: verdict.lost,
      duplicates: duplicatePublishes(outbox.lines, ids),
      stalled: groupStalled(verdict.stalled, policyOf),
      http5xx: e5xx.slice(0, 20).map((x) => ({ status: x.status, atS: Math.round((x.answeredAt - start) / 100) / 10, detail: x.detail })),
    },
    notes,
    ok: false,
  };
  result.ok = result.lost === 0 && result.duplicatePublishes === 0 && result.stalled === 0 && result.http5xx === 0;
  return { result, sent };
}

/**
 * The API's own record of the 5xx it answered on POST /v1/posts since
 * `from` (its error middleware logs every answer >= 500 as "request failed"):
 * also those whose caller had already given up, which no client sees.
 */
function apiLoggedCaptureErrors(file: string, from: number): ScenarioResult['apiLogged5xx'] {
  const byError: Record<string, number> = {};
  let count = 0;
  if (fs.existsSync(file)) {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      fs.readSync(fd, buf, 0, buf.length, from);
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.includes('"request failed"')) continue;
        try {
          const j = JSON.parse(line) as { msg?: string; url?: string; err?: { message?: string } };
          if (j.msg !== 'request failed' || !j.url?.startsWith('/v1/posts')) continue;
          count++;
          const key = (j.err?.message ?? 'unknown').slice(0, 120);
          byError[key] = (byError[key] ?? 0) + 1;
        } catch {
          // not a log line of ours
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return { count, byError };
}

/** Stalled interactions grouped by reason (numbers blanked), with the policies they ran and a few examples. */
function groupStalled(stalled: readonly Inspection[], policyOf: ReadonlyMap<string, string>): StalledGroup[] {
  const groups = new Map<string, StalledGroup>();
  for (const i of stalled) {
    const reason = (i.reason ?? 'unknown').replace(/\d+/gu, '#');
    const g = groups.get(reason) ?? { reason, count: 0, policies: {}, examples: [] };
    const policy = policyOf.get(i.interactionId) ?? '?';
    g.count++;
    g.policies[policy] = (g.policies[policy] ?? 0) + 1;
    if (g.examples.length < 5) {
      g.examples.push({ interactionId: i.interactionId, policy, reason: i.reason ?? 'unknown', ...(i.status ? { status: i.status } : {}) });
    }
    groups.set(reason, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/**
 * After a scenario: every part running and usable again before the next one,
 * and a note for each thing the suite had to repair (that is a finding too:
 * in production nobody would have restarted it).
 */
async function heal(stack: ChaosStack): Promise<string[]> {
  const notes: string[] = [];
  if (!stack.server.alive()) {
    notes.push('the dev server was not running: restarted it on the same SQLite file');
    await stack.server.start();
  }
  if (!stack.worker.alive()) {
    const code = await stack.worker.exitCode();
    notes.push(`the worker process had exited (code ${code}): restarted it`);
    await stack.worker.start();
  } else {
    let n = await pollers(stack.client, stack.taskQueue);
    for (let i = 0; i < 15 && !n; i++) {
      await sleep(2_000);
      n = await pollers(stack.client, stack.taskQueue);
    }
    if (n === 0) {
      notes.push('the worker process was alive but no worker polled the task queue for 30 s: SIGKILLed and restarted it');
      await stack.worker.kill();
      await stack.worker.start();
    }
  }
  if (!stack.api.alive()) {
    notes.push('the API process had exited: restarted it');
    await stack.api.start();
  } else if (!(await healthy(stack.apiUrl))) {
    notes.push('the API was alive but /healthz did not answer 200 within 30 s');
  }
  return notes;
}

async function healthy(apiUrl: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok) return true;
    } catch {
      // retry
    }
    await sleep(1_000);
  }
  return false;
}

/** Posts/s at saturation: --saturation, else Hearken's figure in the newest full bench result. */
function saturationFigure(arg: string | undefined): { postsPerSec: number; source: string } {
  if (arg !== undefined) {
    const n = Number(arg);
    if (!(n > 0)) throw new Error('--saturation needs a positive number (posts/s)');
    return { postsPerSec: n, source: '--saturation' };
  }
  const files = fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => /^\d{4}-.*Z\.json$/u.test(f))
    .sort()
    .reverse();
  for (const f of files) {
    try {
      const r = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as { kind?: string; hearken?: { throughput?: number } };
      if (r.kind === 'full' && typeof r.hearken?.throughput === 'number') {
        return { postsPerSec: r.hearken.throughput, source: `bench/results/${f}` };
      }
    } catch {
      // not a bench result
    }
  }
  return { postsPerSec: 10, source: 'default (no full bench result found)' };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
