// `npm run bench:scale -- --open 10000 [--minutes 40]`: many open
// interactions on one box, with Hearken's default configuration. Captures the
// bench's post mix through the API (as `npm run bench` does) until `--open`
// interactions are open or `--minutes` are spent, sampling as it goes: open
// interactions, worker / API / dev-server RSS, the SQLite file (with its WAL).
// Then it restarts everything on the same SQLite file and times it: the
// server until it answers, the worker and API until ready, that every
// interaction is still open, and the first post into an old (not cached)
// thread and into a new one. Results go to bench/results/scale-<timestamp>.json,
// rewritten after every step, so a run cut short keeps what it measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadPack } from '../src/policy/pack/load-pack';
import { compilePolicies } from '../src/policy/engine/select';
import { readSettings } from '../src/runtime/config';
import { BINARY_SETTINGS, requireTemporalCli } from '../src/runtime/temporal/binaries';
import { startDevServer, type DevServer } from '../src/runtime/temporal/dev-server';
import { pickFreePort } from '../src/runtime/temporal/ports';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { writeBundle } from './lib/bundles';
import { closeHttp, hearkenDriver } from './lib/drivers';
import { measureClosed } from './lib/measure';
import { buildMix } from './lib/posts';
import { rssOf, startApiChild, startWorkerChild, type Child } from './lib/procs';
import { findPidByCmdline } from './lib/stack';
import { round } from './lib/stats';
import { Tracker } from './lib/tracker';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from './lib/tuning';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'bench/results');
const NAMESPACE = 'default';
const CONCURRENCY = 16;

const t0 = Date.now();
const log = (line: string) => console.log(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(5)} s] ${line}`);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

async function main(): Promise<void> {
  const target = arg('--open', 10_000);
  const budgetMs = arg('--minutes', 40) * 60_000;
  const loaded = await loadPack(path.join(ROOT, 'policies'));
  if (!loaded.ok) throw new Error('the default pack does not load');
  const mix = buildMix(loaded.pack, compilePolicies(loaded.pack.policies), 2000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-scale-'));
  const temporalDir = path.join(dir, 'temporal');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const sqliteMb = () =>
    mb(
      fs
        .readdirSync(temporalDir)
        .filter((f) => f.startsWith('temporal.sqlite'))
        .reduce((sum, f) => sum + fs.statSync(path.join(temporalDir, f)).size, 0),
    );
  const cli = requireTemporalCli(readSettings(BINARY_SETTINGS));
  const bundle = await writeBundle('hearken', dir);
  const taskQueue = `scale-${Date.now().toString(36)}`;
  const tracker = new Tracker();
  const file = path.join(RESULTS_DIR, `scale-${new Date().toISOString().replace(/[:.]/gu, '-')}.json`);
  const result: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, totalMemMb: mb(os.totalmem()), loadAtStart: os.loadavg().map((x) => round(x, 2)) },
    config: { maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS, note: 'Hearken defaults (HEARKEN_MAX_CACHED_WORKFLOWS=auto)' },
    target,
    points: [] as unknown[],
  };
  const save = () => fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  let server: DevServer | null = null;
  let worker: Child | null = null;
  let api: (Child & { url: string }) | null = null;
  let connection: Connection | null = null;
  const start = async () => {
    const t = Date.now();
    server = await startDevServer({
      dataDir: temporalDir,
      port: await pickFreePort(),
      headless: true,
      searchAttributes: SEARCH_ATTRIBUTES,
      cli,
    });
    const serverMs = Date.now() - t;
    const address = server.address;
    const t1 = Date.now();
    const ms: Record<string, number> = {};
    const timed = async <T>(name: string, p: Promise<T>): Promise<T> => {
      const v = await p;
      ms[name] = Date.now() - t1;
      return v;
    };
    const [w, a] = await Promise.all([
      timed(
        'workerMs',
        startWorkerChild(
          'hearken-worker',
          {
            suite: 'hearken',
            address,
            namespace: NAMESPACE,
            taskQueue,
            bundlePath: bundle.path,
            policiesDir: path.join(ROOT, 'policies'),
            dataDir,
            tuning: {},
          },
          tracker.onEvents.bind(tracker),
        ),
      ),
      timed(
        'apiMs',
        startApiChild(
          {
            TEMPORAL_ADDRESS: address,
            TEMPORAL_NAMESPACE: NAMESPACE,
            TEMPORAL_TASK_QUEUE: taskQueue,
            HEARKEN_DATA_DIR: dataDir,
            HEARKEN_POLICIES_DIR: path.join(ROOT, 'policies'),
            HEARKEN_CAPTURE_RATE_LIMIT: '100000000',
            LOG_LEVEL: 'warn',
          },
          await pickFreePort(),
        ),
      ),
    ]);
    worker = w;
    api = a;
    connection = await Connection.connect({ address });
    return { serverMs, ...ms };
  };
  const stopAll = async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await connection?.close();
    await (server as DevServer | null)?.stop();
  };
  const client = () => new Client({ connection: connection!, namespace: NAMESPACE });
  const countOpen = async () => Number((await client().workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`)).count);

  try {
    log(`starting (cache ${DEFAULT_MAX_CACHED_WORKFLOWS}, target ${target} open, ${budgetMs / 60_000} min)`);
    result.firstStart = await start();
    const H = hearkenDriver(tracker, { apiUrl: api!.url, mix: mix.posts, prefix: `s-${taskQueue}` });
    const started = Date.now();
    let open = 0;
    while (open < target && Date.now() - started < budgetMs) {
      const step = await measureClosed(H, tracker, CONCURRENCY, 30_000);
      open = await countOpen();
      const serverPid = findPidByCmdline(temporalDir);
      const point = {
        atSec: Math.round((Date.now() - started) / 1000),
        open,
        perSec: step.throughput,
        failed: step.failed,
        workerRssMb: rssOf(worker!.pid)?.rssMb ?? null,
        apiRssMb: rssOf(api!.pid)?.rssMb ?? null,
        serverRssMb: serverPid ? (rssOf(serverPid)?.rssMb ?? null) : null,
        sqliteMb: sqliteMb(),
      };
      (result.points as unknown[]).push(point);
      save();
      log(`${JSON.stringify(point)}`);
    }
    result.fillSec = Math.round((Date.now() - started) / 1000);
    result.reached = open >= target;

    log('restart on the same SQLite file');
    const oldThread = `s-${taskQueue}-0`;
    await stopAll();
    const t = Date.now();
    const again = await start();
    const openAfter = await countOpen();
    const readyMs = Date.now() - t;
    // An old thread (long evicted from every cache: the worker is new) and a new one.
    const post = (id: string, threadId?: string) => ({
      channel: 'twitter',
      id,
      ...(threadId ? { threadId, inReplyTo: threadId } : {}),
      author: { id: `u-${id}`, handle: 'someone' },
      text: '@sprintcare still waiting',
      createdAt: new Date().toISOString(),
    });
    const timed = async (body: unknown) => {
      const t2 = Date.now();
      const res = await fetch(`${api!.url}/v1/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, ms: Date.now() - t2 };
    };
    result.restart = {
      ...again,
      untilCountedMs: readyMs,
      openBefore: open,
      openAfter,
      postIntoOldThread: await timed(post(`${oldThread}-later`, oldThread)),
      postNewThread: await timed(post(`s-${taskQueue}-after-restart`)),
      sqliteMb: sqliteMb(),
      workerRssMb: rssOf(worker!.pid)?.rssMb ?? null,
    };
    result.durationSec = Math.round((Date.now() - t0) / 1000);
    save();
    log(`restart: ${JSON.stringify(result.restart)}`);
    log(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    closeHttp();
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
