// The system under test: one Temporal server (a fresh embedded dev server
// in a temporary folder, or TEMPORAL_ADDRESS), a baseline worker, a Hearken
// worker and Hearken's API, each its own process, all on 127.0.0.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readSettings } from '../../src/runtime/config';
import { BINARY_SETTINGS, requireTemporalCli } from '../../src/runtime/temporal/binaries';
import { startDevServer, type DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { hearkenBundleName, writeBundle, type BundleName } from './bundles';
import { rssOf, startApiChild, startWorkerChild, type Child } from './procs';
import { Tracker } from './tracker';
import type { Tuning } from './tuning';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const NAMESPACE = 'default';

export interface Stack {
  dir: string;
  address: string;
  cli: string;
  client: Client;
  tracker: Tracker;
  runId: string;
  /** The worker options the stack started with. */
  tuning: Tuning;
  baselineQueue: string;
  hearkenQueue: string;
  bundles: Partial<Record<BundleName, { path: string; bytes: number }>>;
  baselineWorker: Child | null;
  hearkenWorker: Child | null;
  api: (Child & { url: string }) | null;
  /** (Re)starts the Hearken worker with other options (experiments). */
  restartHearkenWorker(tuning: Tuning): Promise<void>;
  temporalServerRss(): { rssMb: number; peakRssMb: number } | null;
  /** The pids whose CPU time the bench accounts: server (embedded only), workers, API, this process. */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

export interface StackOptions {
  tuning: Tuning;
  baseline: boolean;
  bundles: BundleName[];
  log: (l: string) => void;
  /** Extra `temporal server start-dev` flags (experiments: SQLite pragmas). */
  serverFlags?: string[];
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-bench-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const cli = requireTemporalCli(readSettings(BINARY_SETTINGS));
    const external = process.env.TEMPORAL_ADDRESS;
    let server: DevServer | null = null;
    const bundling = Promise.all(opts.bundles.map(async (b) => [b, await writeBundle(b, dir)] as const));
    if (!external) {
      opts.log('starting a fresh Temporal dev server (SQLite file in a temporary folder)');
      server = await startDevServer({
        dataDir: path.join(dir, 'temporal'),
        port: await pickFreePort(),
        headless: true,
        searchAttributes: SEARCH_ATTRIBUTES,
        cli: opts.serverFlags?.length ? cliWithFlags(cli, opts.serverFlags, dir) : cli,
      });
      cleanups.push(() => server!.stop());
    }
    const address = external ?? server!.address;
    const bundles: Stack['bundles'] = Object.fromEntries(await bundling);
    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });
    const tracker = new Tracker();
    const runId = Date.now().toString(36);
    const baselineQueue = `bench-baseline-${runId}`;
    const hearkenQueue = `bench-hearken-${runId}`;
    const onEvents = tracker.onEvents.bind(tracker);
    let cachedServerPid: number | null = null;
    const serverPid = (): number | null => (server ? (cachedServerPid ??= findPidByCmdline(path.join(dir, 'temporal'))) : null);
    const common = { address, namespace: NAMESPACE, policiesDir: path.join(ROOT, 'policies'), dataDir };

    const stack: Stack = {
      dir,
      address,
      cli,
      client,
      tracker,
      runId,
      tuning: opts.tuning,
      baselineQueue,
      hearkenQueue,
      bundles,
      baselineWorker: null,
      hearkenWorker: null,
      api: null,
      async restartHearkenWorker(tuning) {
        await stack.hearkenWorker?.stop();
        // Experiments bundle their variant on first use.
        const name = hearkenBundleName(tuning);
        const bundle = (bundles[name] ??= await writeBundle(name, dir));
        stack.hearkenWorker = await startWorkerChild(
          'hearken-worker',
          { ...common, suite: 'hearken', taskQueue: hearkenQueue, bundlePath: bundle.path, tuning },
          onEvents,
        );
      },
      temporalServerRss() {
        const pid = serverPid();
        return pid ? rssOf(pid) : null;
      },
      pids() {
        const out: Record<string, number> = { bench: process.pid };
        const pid = serverPid();
        if (pid) out.temporalServer = pid;
        if (stack.baselineWorker) out.baselineWorker = stack.baselineWorker.pid;
        if (stack.hearkenWorker) out.hearkenWorker = stack.hearkenWorker.pid;
        if (stack.api) out.api = stack.api.pid;
        return out;
      },
      stop,
    };
    cleanups.push(async () => {
      await Promise.all([stack.api?.stop(), stack.hearkenWorker?.stop(), stack.baselineWorker?.stop()]);
    });
    opts.log('starting the worker and API processes');
    // In parallel: each child spends seconds compiling TypeScript (tsx).
    const [baselineWorker, hearkenWorker, api] = await Promise.allSettled([
      opts.baseline
        ? startWorkerChild(
            'baseline-worker',
            { ...common, suite: 'baseline', taskQueue: baselineQueue, bundlePath: bundles.baseline!.path, tuning: opts.tuning },
            onEvents,
          )
        : null,
      stack.restartHearkenWorker(opts.tuning),
      startApiChild(
        {
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: NAMESPACE,
          TEMPORAL_TASK_QUEUE: hearkenQueue,
          HEARKEN_DATA_DIR: dataDir,
          HEARKEN_POLICIES_DIR: path.join(ROOT, 'policies'),
          // The shipped default (6,000/min per client IP) would cap one load
          // generator at 100 posts/s; the bench measures the engine, not the limiter.
          HEARKEN_CAPTURE_RATE_LIMIT: '100000000',
          LOG_LEVEL: 'warn',
        },
        await pickFreePort(),
      ),
    ]);
    // Keep whatever started, so stop() ends it, before reporting a failure.
    if (baselineWorker.status === 'fulfilled') stack.baselineWorker = baselineWorker.value;
    if (api.status === 'fulfilled') stack.api = api.value;
    for (const r of [baselineWorker, hearkenWorker, api]) if (r.status === 'rejected') throw r.reason;
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The dev server's pid: the process whose command line names our SQLite folder (not its Node watchdog). */
export function findPidByCmdline(marker: string): number | null {
  for (const entry of fs.readdirSync('/proc', { withFileTypes: true })) {
    if (!/^\d+$/u.test(entry.name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry.name}/cmdline`, 'utf8');
      if (cmd.includes(marker) && cmd.includes('start-dev') && !cmd.split('\0')[0]!.includes('node')) return Number(entry.name);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** startDevServer runs one binary with its own flags: a tiny wrapper adds ours (exec keeps one process). */
function cliWithFlags(cli: string, flags: string[], dir: string): string {
  const quote = (s: string) => `'${s.replace(/'/gu, `'\\''`)}'`;
  const file = path.join(dir, 'temporal-with-flags.sh');
  fs.writeFileSync(file, `#!/bin/sh\nexec ${quote(cli)} "$@" ${flags.map(quote).join(' ')}\n`, { mode: 0o755 });
  return file;
}
