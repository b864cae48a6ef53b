// A Temporal cluster on this machine, the shape of a production deployment:
// a private PostgreSQL (persistence + advanced visibility), and the four
// Temporal services — history, matching, frontend, worker — as four separate
// processes. Everything lives in one folder (default data/cluster): the
// PostgreSQL data, the rendered configs, the logs and cluster.json (ports,
// process ids), so `stop` then `start` resumes on the same data and ports.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msNumberToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { indexedValueTypes } from '../../src/runtime/temporal/search-attribute-registration';
import { canConnect, isPortFree } from '../../src/runtime/temporal/ports';
import { initPostgres, PG_USER, postgresRunning, startPostgres, stopPostgres, type Postgres } from './postgres';
import { dynamicConfig, serverConfig, SERVICES, type Ports, type ServiceName } from './server-config';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, '.tools', 'bin');
export const DEFAULT_CLUSTER_DIR = path.join(ROOT, 'data', 'cluster');
export const DEFAULT_NAMESPACE = 'default';
/** HEARKEN_RETENTION_DAYS' default: closed interactions are kept as long as Hearken expects. */
const RETENTION_MS = 31 * 86_400_000;

export interface ClusterOptions {
  dir?: string;
  /** Only used when the cluster is created. */
  numHistoryShards?: number;
  /** The frontend's gRPC port when the cluster is created (default 7233 when free, else any). */
  frontendPort?: number;
  logLevel?: string;
  say?: (line: string) => void;
}

interface State {
  ports: Ports;
  numHistoryShards: number;
  schemaReady: boolean;
  pids: Partial<Record<ServiceName, number>>;
}

export interface ClusterInfo {
  dir: string;
  address: string;
  namespace: string;
  ports: Ports;
  numHistoryShards: number;
}

const layout = (dir: string) => ({
  state: path.join(dir, 'cluster.json'),
  pg: { dir: path.join(dir, 'postgres'), port: 0 } satisfies Postgres,
  config: (s: ServiceName) => path.join(dir, 'config', `${s}.yaml`),
  dynamicConfig: path.join(dir, 'config', 'dynamic.yaml'),
  log: (s: ServiceName) => path.join(dir, 'logs', `${s}.log`),
});

function readState(dir: string): State | null {
  try {
    return JSON.parse(fs.readFileSync(layout(dir).state, 'utf8')) as State;
  } catch {
    return null;
  }
}

function writeState(dir: string, state: State): void {
  fs.writeFileSync(layout(dir).state, `${JSON.stringify(state, null, 2)}\n`);
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function binary(name: 'temporal-server' | 'temporal-sql-tool'): string {
  return path.join(BIN, name);
}

/**
 * Builds the server and the schema tool on first use, and again when the
 * pinned version changed (scripts/install-temporal-cluster.mjs; a second when
 * both are in place).
 */
export function ensureBinaries(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'install-temporal-cluster.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the Temporal server could not be provisioned (see above)');
}

/**
 * A free port below 32768: Temporal stores each member's port in PostgreSQL's
 * cluster_membership table as a smallint, so the kernel's ephemeral ports
 * (32768 and up, what pickFreePort gets) make a service exit at start.
 */
const taken = new Set<number>();
async function pickLowPort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await isPortFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000');
}

/** Keeps a port of an earlier start when it is still free, so addresses survive a restart. */
async function keepOrPick(previous: number | undefined): Promise<number> {
  return previous !== undefined && (await isPortFree(previous)) ? previous : pickLowPort();
}

async function choosePorts(previous: Ports | undefined, frontendPort: number | undefined): Promise<Ports> {
  const perService = async (prev: Record<ServiceName, number> | undefined) =>
    Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await keepOrPick(prev?.[s])] as const))) as Record<
      ServiceName,
      number
    >;
  const grpc = await perService(previous?.grpc);
  if (!previous) grpc.frontend = frontendPort ?? ((await isPortFree(7233)) ? 7233 : grpc.frontend);
  return {
    postgres: await keepOrPick(previous?.postgres),
    frontendHttp: await keepOrPick(previous?.frontendHttp),
    grpc,
    membership: await perService(previous?.membership),
    metrics: await perService(previous?.metrics),
  };
}

function sqlTool(pgPort: number, database: string, args: string[]): void {
  const common = ['--ep', '127.0.0.1', '-p', String(pgPort), '-u', PG_USER, '--pl', 'postgres12', '--db', database];
  const r = spawnSync(binary('temporal-sql-tool'), [...common, ...args], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Creates the two databases and their schemas on first start; every later
 * start runs update-schema, which is a no-op at the current version and the
 * upgrade step after a server upgrade (Temporal's documented procedure).
 */
function prepareSchemas(pgPort: number, firstTime: boolean): void {
  for (const [database, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    if (firstTime) {
      sqlTool(pgPort, database, ['create-database']);
      sqlTool(pgPort, database, ['setup-schema', '-v', '0.0']);
    }
    sqlTool(pgPort, database, ['update-schema', '--schema-name', schema]);
  }
}

/** Starts one Temporal service as a detached process logging to logs/<service>.log. */
export function spawnService(dir: string, service: ServiceName): number {
  const files = layout(dir);
  fs.mkdirSync(path.dirname(files.log(service)), { recursive: true });
  const out = fs.openSync(files.log(service), 'a');
  const child = spawn(
    binary('temporal-server'),
    ['--config-file', files.config(service), '--allow-no-auth', 'start', '--service', service],
    {
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start the ${service} service`);
  const state = readState(dir);
  if (state) writeState(dir, { ...state, pids: { ...state.pids, [service]: child.pid } });
  return child.pid;
}

/** Sends `signal` to one service and waits until it is gone (SIGKILL after `graceMs`). */
export async function killService(dir: string, service: ServiceName, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
  const pid = readState(dir)?.pids[service];
  if (!alive(pid)) return;
  process.kill(pid!, signal);
  const deadline = Date.now() + graceMs;
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid!, 'SIGKILL');
    await sleep(100);
  }
}

function info(dir: string, state: State): ClusterInfo {
  return {
    dir,
    address: `127.0.0.1:${state.ports.grpc.frontend}`,
    namespace: DEFAULT_NAMESPACE,
    ports: state.ports,
    numHistoryShards: state.numHistoryShards,
  };
}

/** Throws once a service of the cluster has exited: no use waiting for it. */
type Watch = () => void;

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>, watch: Watch = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    watch();
    try {
      const result = await attempt();
      if (result !== null) return result;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the cluster was not ${what} within ${timeoutMs / 1000} s${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`,
      );
    }
    await sleep(250);
  }
}

/**
 * Registers the namespace and Hearken's search attributes (idempotent: a
 * restart finds both in place), then waits until a list query by one of them
 * works — the proof that frontend, history and visibility all serve.
 */
async function prepareNamespace(address: string, namespace: string, timeoutMs: number, watch?: Watch): Promise<void> {
  const connection = await until(
    'accepting connections',
    timeoutMs,
    async () => Connection.connect({ address, connectTimeout: 2_000 }),
    watch,
  );
  try {
    await until(
      `serving namespace ${namespace}`,
      timeoutMs,
      async () => {
        try {
          await connection.workflowService.describeNamespace({ namespace });
        } catch (err) {
          if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: register it
          await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msNumberToTs(RETENTION_MS) });
          return null;
        }
        return true;
      },
      watch,
    );
    await until(
      'registering the search attributes',
      timeoutMs,
      async () => {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = SEARCH_ATTRIBUTES.filter((key) => customAttributes[key.name] === undefined);
        if (missing.length === 0) return true;
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: indexedValueTypes(missing) });
        return null;
      },
      watch,
    );
    await until(
      'answering list queries',
      timeoutMs,
      async () => {
        await connection.workflowService.listWorkflowExecutions({ namespace, query: `HearkenStatus = 'responding'`, pageSize: 1 });
        return true;
      },
      watch,
    );
    // Lists come from visibility (PostgreSQL) without history; a describe of a
    // workflow that does not exist needs the history shard that would own it:
    // NOT_FOUND is history answering.
    await until(
      'answering from history',
      timeoutMs,
      async () => {
        try {
          await connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: 'hearken-readiness-probe' } });
        } catch (err) {
          if ((err as { code?: number }).code === 5) return true;
          throw err;
        }
        return true;
      },
      watch,
    );
  } finally {
    await connection.close();
  }
}

export async function startCluster(opts: ClusterOptions = {}): Promise<ClusterInfo> {
  const dir = path.resolve(opts.dir ?? DEFAULT_CLUSTER_DIR);
  const say = opts.say ?? (() => undefined);
  const files = layout(dir);
  ensureBinaries();
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });

  const previous = readState(dir);
  const running = SERVICES.filter((s) => alive(previous?.pids[s]));
  if (previous && running.length === SERVICES.length) {
    say(`already running (${running.join(', ')})`);
    return info(dir, previous);
  }
  if (running.length) throw new Error(`some services are running (${running.join(', ')}), others not: run stop first`);

  const pg = { ...files.pg, port: previous?.ports.postgres ?? 0 };
  const pgUp = previous !== null && postgresRunning(pg);
  const ports = await choosePorts(previous?.ports, opts.frontendPort);
  // A PostgreSQL left running (a start that failed half-way) keeps its port.
  if (pgUp) ports.postgres = previous.ports.postgres;
  const state: State = {
    ports,
    numHistoryShards: previous?.numHistoryShards ?? opts.numHistoryShards ?? 16,
    schemaReady: previous?.schemaReady ?? false,
    pids: {},
  };
  writeState(dir, state);

  say(`PostgreSQL on 127.0.0.1:${ports.postgres} (${files.pg.dir})`);
  const pgAt = { ...files.pg, port: ports.postgres };
  initPostgres(pgAt);
  if (!pgUp) startPostgres(pgAt);
  say(state.schemaReady ? 'checking the schemas (update-schema)' : 'creating the temporal and temporal_visibility schemas');
  prepareSchemas(ports.postgres, !state.schemaReady);
  writeState(dir, { ...state, schemaReady: true });

  fs.writeFileSync(files.dynamicConfig, dynamicConfig());
  for (const s of SERVICES) {
    // The per-service metrics port is the only difference between the four files.
    fs.writeFileSync(
      files.config(s),
      serverConfig(
        { ports, numHistoryShards: state.numHistoryShards, dynamicConfigFile: files.dynamicConfig, logLevel: opts.logLevel ?? 'warn' },
        s,
      ),
    );
  }
  const started: ServiceName[] = [];
  const watch = () => {
    const died = started.filter((s) => !alive(readState(dir)?.pids[s]));
    if (died.length) throw new Error(`the cluster did not start: ${died.map((s) => `${s} exited (see ${files.log(s)})`).join(', ')}`);
  };
  const launch = (s: ServiceName) => {
    say(`${s}: pid ${spawnService(dir, s)}, gRPC 127.0.0.1:${ports.grpc[s]}, metrics http://127.0.0.1:${ports.metrics[s]}/metrics`);
    started.push(s);
  };
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  try {
    // History first: the first process of a new cluster writes its metadata
    // to the database, and four doing it at once fail each other.
    launch('history');
    await until('serving history', 120_000, async () => ((await canConnect(ports.grpc.history)) ? true : null), watch);
    for (const s of SERVICES) if (s !== 'history') launch(s);
    await prepareNamespace(address, DEFAULT_NAMESPACE, 120_000, watch);
  } catch (err) {
    // Nothing half-started left behind (a test or CI run would leak it).
    await stopCluster({ dir }).catch(() => undefined);
    throw err;
  }
  return info(dir, readState(dir)!);
}

/** Waits until a restarted service has rejoined (the frontend answers list queries again). */
export async function waitUntilServing(dir: string, timeoutMs = 120_000): Promise<void> {
  const state = readState(dir);
  if (!state) throw new Error(`no cluster in ${dir}`);
  await prepareNamespace(`127.0.0.1:${state.ports.grpc.frontend}`, DEFAULT_NAMESPACE, timeoutMs);
}

/** Stops the services (frontend first: no new requests), then PostgreSQL. Data stays. */
export async function stopCluster(opts: { dir?: string } = {}): Promise<void> {
  const dir = path.resolve(opts.dir ?? DEFAULT_CLUSTER_DIR);
  const state = readState(dir);
  if (!state) return;
  for (const s of ['frontend', 'worker', 'matching', 'history'] as const) await killService(dir, s, 'SIGTERM');
  writeState(dir, { ...state, pids: {} });
  stopPostgres({ ...layout(dir).pg, port: state.ports.postgres });
}

/**
 * The last resort of a test or bench process that exits without stopping
 * its cluster (a timeout, an exception): synchronous, so it can run in an
 * 'exit' handler. SIGKILL of the services, PostgreSQL's immediate shutdown.
 */
export function killClusterNow(dir: string): void {
  const state = readState(dir);
  if (!state) return;
  for (const s of SERVICES) {
    const pid = state.pids[s];
    if (alive(pid)) process.kill(pid!, 'SIGKILL');
  }
  stopPostgres({ ...layout(dir).pg, port: state.ports.postgres }, 'immediate');
}

export interface ClusterStatus {
  dir: string;
  exists: boolean;
  address: string | null;
  postgres: boolean;
  services: Record<ServiceName, { pid: number | null; running: boolean }>;
  frontendReachable: boolean;
}

export async function clusterStatus(opts: { dir?: string } = {}): Promise<ClusterStatus> {
  const dir = path.resolve(opts.dir ?? DEFAULT_CLUSTER_DIR);
  const state = readState(dir);
  const services = Object.fromEntries(
    SERVICES.map((s) => [s, { pid: state?.pids[s] ?? null, running: alive(state?.pids[s]) }]),
  ) as ClusterStatus['services'];
  return {
    dir,
    exists: state !== null,
    address: state ? `127.0.0.1:${state.ports.grpc.frontend}` : null,
    postgres: state ? postgresRunning({ ...layout(dir).pg, port: state.ports.postgres }) : false,
    services,
    frontendReachable: state ? await canConnect(state.ports.grpc.frontend) : false,
  };
}
