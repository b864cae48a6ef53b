// The system under test of the fault-injection suite, every part its own
// process so each can be killed alone: an embedded Temporal dev server
// (startDevServer, as `npm start` runs it, SQLite file in a temporary folder),
// a Hearken worker (bench/chaos/sut/worker.ts: `npm run worker` with a
// controllable channel), Hearken's API exactly as `npm run api` runs it, and
// a team webhook this process answers. The server, worker and API can be
// SIGKILLed and restarted on the same SQLite file, port and data folder.
//
// With `cluster: true` (`npm run chaos -- --cluster`) Temporal is instead the
// four-service cluster on PostgreSQL (scripts/cluster/), and Hearken runs as
// two workers and two APIs: `server` is then the history service, `worker`
// and `api` the first of each (the ones the faults hit), and the load goes
// round-robin to both APIs (`apiUrls`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { readSettings } from '../../../src/runtime/config';
import { BINARY_SETTINGS, requireTemporalCli } from '../../../src/runtime/temporal/binaries';
import { startDevServer } from '../../../src/runtime/temporal/dev-server';
import { superviseDevServer, type SupervisedDevServer } from '../../../src/runtime/temporal/dev-server-supervisor';
import { pickFreePort } from '../../../src/runtime/temporal/ports';
import { bundleWorkflows } from '../../../src/runtime/temporal/worker';
import { SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';
import { binary, killService, spawnService, startCluster, stopCluster, waitUntilServing } from '../../../scripts/cluster/cluster';
import { startApiChild, track, type Child } from '../../lib/procs';
import { findPidByCmdline } from '../../lib/stack';
import type { InjectedFault } from '../sut/flaky-channel';
import type { WorkerControl, WorkerMessage } from '../sut/worker';
import { startWebhook, type Webhook } from './webhook';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const NAMESPACE = 'default';

export interface ChaosStack {
  dir: string;
  dataDir: string;
  /** Where every child's output goes; kept after the run. */
  logDir: string;
  /** The API's log (pino JSON lines), across its restarts. */
  apiLogFile: string;
  address: string;
  taskQueue: string;
  cli: string;
  client: Client;
  apiUrl: string;
  /** Every API of the stack (the load is spread over them); `apiUrl` is the first. */
  apiUrls: string[];
  /** 'dev-server', or 'cluster' (then `server` is the history service). */
  temporal: 'dev-server' | 'cluster';
  webhook: Webhook;
  /** Every fault the flaky channel injected, in every worker process so far. */
  channelFaults: InjectedFault[];
  server: {
    /** The `temporal` process itself (not its Node watchdog). */
    pid(): number | null;
    alive(): boolean;
    /** SIGKILL of the server process; resolves once it is gone. */
    kill(): Promise<void>;
    /** Restarts by Hearken's supervisor so far. */
    restarts(): number;
    /** Set once the supervisor gave up. */
    failure(): Error | null;
    /** A fresh supervised server on the same SQLite file and port (the suite's own repair). */
    start(): Promise<void>;
  };
  worker: {
    pid(): number | null;
    alive(): boolean;
    exitCode(): Promise<number | null> | null;
    kill(): Promise<void>;
    start(): Promise<void>;
    setChannelFailRate(rate: number): void;
  };
  api: {
    pid(): number | null;
    alive(): boolean;
    kill(): Promise<void>;
    start(): Promise<void>;
  };
  stop(): Promise<void>;
}

export async function startChaosStack(opts: { log: (l: string) => void; logDir: string; cluster?: boolean }): Promise<ChaosStack> {
  if (process.env.TEMPORAL_ADDRESS) {
    throw new Error('the chaos suite kills and restarts its own Temporal dev server: unset TEMPORAL_ADDRESS');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-chaos-'));
  const dataDir = path.join(dir, 'data');
  const serverDir = path.join(dir, 'temporal');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(opts.logDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const onCluster = opts.cluster === true;
    const clusterDir = path.join(dir, 'cluster');
    const cli = onCluster ? binary('temporal-server') : requireTemporalCli(readSettings(BINARY_SETTINGS));
    const [serverPort, apiPort, api2Port] = [await pickFreePort(), await pickFreePort(), await pickFreePort()];
    const address = `127.0.0.1:${serverPort}`;
    const taskQueue = `chaos-${Date.now().toString(36)}`;
    const logFile = (name: string) => path.join(opts.logDir, `${name}.log`);

    const bundling = bundleWorkflows().then((b) => {
      const file = path.join(dir, 'workflow-bundle.json');
      fs.writeFileSync(file, JSON.stringify({ code: b.code, sourceMap: b.sourceMap }));
      return file;
    });

    // The current process of each part (replaced on restart).
    const cur: {
      server: SupervisedDevServer | null;
      serverFailure: Error | null;
      worker: Child | null;
      workerProc: ChildProcess | null;
      api: Child | null;
    } = {
      server: null,
      serverFailure: null,
      worker: null,
      workerProc: null,
      api: null,
    };

    // --- the dev server, under Hearken's own supervisor (as `npm start` runs
    // it): restarted on the same SQLite file and port when it dies.
    const serverLog = fs.createWriteStream(logFile('temporal'), { flags: 'a' });
    cleanups.push(async () => void serverLog.end());
    const supervisorLogger = pino({ level: 'info' }, serverLog);
    const startServer = async (): Promise<void> => {
      serverLog.write(`--- ${new Date().toISOString()} start\n`);
      cur.serverFailure = null;
      const supervised = await superviseDevServer(
        () =>
          startDevServer({
            cli,
            dataDir: serverDir,
            port: serverPort,
            headless: true,
            searchAttributes: SEARCH_ATTRIBUTES,
            log: (line) => serverLog.write(`${line}\n`),
          }),
        { logger: supervisorLogger },
      );
      supervised.failed.catch((err: unknown) => {
        if (cur.server === supervised) cur.serverFailure = err instanceof Error ? err : new Error(String(err));
      });
      cur.server = supervised;
    };
    const historyPid = (): number | null => {
      const state = JSON.parse(fs.readFileSync(path.join(clusterDir, 'cluster.json'), 'utf8')) as { pids: { history?: number } };
      return state.pids.history ?? null;
    };
    if (onCluster) {
      opts.log('starting a fresh four-service Temporal cluster on PostgreSQL (scripts/cluster/)');
      await startCluster({ dir: clusterDir, frontendPort: serverPort, say: (l) => opts.log(`  cluster: ${l}`) });
      cleanups.push(() => stopCluster({ dir: clusterDir }));
    } else {
      opts.log('starting a fresh Temporal dev server (SQLite file in a temporary folder)');
      await startServer();
      cleanups.push(async () => cur.server?.stop());
    }
    const serverPid = () => (onCluster ? historyPid() : findPidByCmdline(serverDir));

    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });
    const webhook = await startWebhook();
    cleanups.push(() => webhook.close());

    const common = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: taskQueue,
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: path.join(ROOT, 'policies'),
      // teams.yaml: security notifies `${SECURITY_WEBHOOK_URL}`; this process answers it.
      SECURITY_WEBHOOK_URL: webhook.url,
      LOG_LEVEL: 'warn',
    };

    // --- the worker
    const bundleFile = await bundling;
    let channelFailRate = 0;
    let workerStarts = 0;
    const channelFaults: InjectedFault[] = [];
    const launchWorker = async (name: string): Promise<{ child: Child; proc: ChildProcess }> => {
      const log = fs.openSync(logFile(name), 'a');
      fs.writeSync(log, `--- ${new Date().toISOString()} start #${++workerStarts}\n`);
      const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/chaos/sut/worker.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...common, CHAOS_WORKFLOW_BUNDLE: bundleFile, CHAOS_CHANNEL_FAIL_RATE: String(channelFailRate) },
        stdio: ['ignore', log, log, 'ipc'],
      });
      fs.closeSync(log);
      const child = track(name, proc);
      proc.on('message', (m: WorkerMessage) => {
        if ('fault' in m) channelFaults.push(m.fault);
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('worker: not ready within 90 s')), 90_000);
        proc.on('message', (m: WorkerMessage) => {
          if ('ready' in m) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`worker exited during start-up (code ${code}); see ${logFile(name)}`));
        });
      });
      return { child, proc };
    };
    const startWorker = async (): Promise<void> => {
      const { child, proc } = await launchWorker('worker');
      cur.worker = child;
      cur.workerProc = proc;
    };
    const killWorker = async (): Promise<void> => {
      const w = cur.worker;
      if (!w) return;
      try {
        process.kill(w.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await w.exited;
    };
    cleanups.push(async () => cur.worker?.stop());

    // --- the API
    const startApi = async (): Promise<void> => {
      cur.api = await startApiChild(
        // The shipped default (6,000/min per client IP) would answer the burst
        // with 429: the suite measures what faults do, not the limiter.
        { ...common, HEARKEN_CAPTURE_RATE_LIMIT: '100000000' },
        apiPort,
        { logFile: logFile('api') },
      );
    };
    cleanups.push(async () => cur.api?.stop());

    opts.log(onCluster ? 'starting two worker and two API processes' : 'starting the worker and API processes');
    await Promise.all([startWorker(), startApi()]);
    const apiUrls = [`http://127.0.0.1:${apiPort}`];
    if (onCluster) {
      // The second worker and API: never the target of a fault, they carry the load while the first is down.
      const [spare, spareApi] = await Promise.all([
        launchWorker('worker-2'),
        startApiChild({ ...common, HEARKEN_CAPTURE_RATE_LIMIT: '100000000' }, api2Port, { logFile: logFile('api-2') }),
      ]);
      cleanups.push(async () => spare.child.stop());
      cleanups.push(async () => spareApi.stop());
      apiUrls.push(spareApi.url);
    }

    const isAlive = (pid: number | null | undefined): boolean => {
      if (!pid) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const running = (p: ChildProcess | null): boolean => p !== null && p.exitCode === null && p.signalCode === null;

    return {
      dir,
      dataDir,
      logDir: opts.logDir,
      apiLogFile: logFile('api'),
      address,
      taskQueue,
      cli,
      client,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      apiUrls,
      temporal: onCluster ? 'cluster' : 'dev-server',
      webhook,
      channelFaults,
      server: {
        pid: serverPid,
        alive: () => isAlive(serverPid()),
        async kill() {
          if (onCluster) return killService(clusterDir, 'history', 'SIGKILL');
          const pid = serverPid();
          if (!pid) throw new Error('no dev server process to kill');
          process.kill(pid, 'SIGKILL');
          while (isAlive(pid)) await sleep(20);
        },
        restarts: () => cur.server?.restarts() ?? 0,
        failure: () => cur.serverFailure,
        async start() {
          if (onCluster) {
            // What a process supervisor (systemd, Kubernetes) does for a died service: start it again, same config.
            spawnService(clusterDir, 'history');
            return waitUntilServing(clusterDir);
          }
          await cur.server?.stop();
          await startServer();
        },
      },
      worker: {
        pid: () => cur.worker?.pid ?? null,
        alive: () => running(cur.workerProc),
        exitCode: () => cur.worker?.exited ?? null,
        kill: killWorker,
        async start() {
          if (running(cur.workerProc)) throw new Error('worker still running');
          await startWorker();
        },
        setChannelFailRate(rate) {
          channelFailRate = rate;
          const control: WorkerControl = { channelFailRate: rate };
          if (cur.workerProc?.connected) cur.workerProc.send(control);
        },
      },
      api: {
        pid: () => cur.api?.pid ?? null,
        alive: () => isAlive(cur.api?.pid),
        async kill() {
          const a = cur.api;
          if (!a) return;
          try {
            process.kill(a.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await a.exited;
        },
        async start() {
          await startApi();
        },
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
