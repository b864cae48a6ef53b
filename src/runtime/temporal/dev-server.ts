// The embedded Temporal dev server: `temporal server start-dev` with SQLite
// persistence under the data folder, the custom search attributes registered,
// and (unless headless) the Temporal UI on port + 1000.
//
// The CLI runs under a tiny Node watchdog (see WATCHDOG) that holds a pipe
// from this process: when this process dies for any reason, even SIGKILL, the
// pipe closes and the watchdog stops the server, so it never outlives us.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msNumberToTs } from '@temporalio/common/lib/time';
// CommonJS package: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { canConnect, isPortFree } from './ports';
import { cliTypeName, indexedValueType, type SearchAttributeDeclaration } from './search-attribute-registration';

export interface DevServerOptions {
  /** Folder for the SQLite file (`<dataDir>/temporal.sqlite`); created when missing. */
  dataDir: string;
  /** Front-end gRPC port, bound on 127.0.0.1. */
  port: number;
  /** Temporal UI port; default `port + 1000`. Ignored when headless. */
  uiPort?: number;
  /** Namespace to create (and wait for); default "default". */
  namespace?: string;
  /** Custom search attributes to register in `namespace` (also on an existing SQLite file). */
  searchAttributes?: readonly SearchAttributeDeclaration[];
  /**
   * How long `namespace` keeps closed workflows before deleting them (set at
   * every start, so also on an existing SQLite file); default: the server's
   * own (one day). Hearken's dedup of posts after their interaction closed
   * reads closed runs, so it needs them kept (HEARKEN_RETENTION_DAYS).
   */
  retentionMs?: number;
  /** Receives every output line of the server. */
  log?: (line: string) => void;
  /** No Temporal UI. */
  headless?: boolean;
  /** The Temporal CLI binary (requireTemporalCli() finds it). */
  cli: string;
  /** How long to wait for the server to be usable; default 60 s. */
  startTimeoutMs?: number;
  /**
   * How long to wait for busy ports to be released before giving up, e.g. by
   * a previous instance whose watchdog is still shutting it down after its
   * parent was killed; default 15 s.
   */
  portWaitMs?: number;
}

export interface DevServer {
  /** `127.0.0.1:<port>`, for Connection.connect / NativeConnection.connect. */
  address: string;
  /** `http://127.0.0.1:<uiPort>`, or null when headless. */
  uiUrl: string | null;
  /** SIGTERM, up to 10 s, then SIGKILL. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the server process has exited (after stop(), or if it dies on its own). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start-up failure; the message carries the tail of the server's output. */
export class DevServerStartError extends Error {
  override name = 'DevServerStartError';
  /**
   * The server lost a race for one of the ports it picks itself (HTTP API,
   * metrics, internal services: "random free port", taken by someone else
   * before it bound it). Starting again picks new ones.
   */
  portRace = false;
}

/** Start attempts when the server loses a race for a port it picked itself. */
const PORT_RACE_ATTEMPTS = 3;

const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 40;

/**
 * Runs `argv[1]` with the remaining arguments, sharing our stdout/stderr, and
 * stops it (SIGTERM, then SIGKILL after 9 s) when its stdin, a pipe from the
 * parent, closes, or when it gets SIGTERM/SIGINT/SIGHUP. Exits with the
 * child's exit code. CommonJS, because `node -e` evaluates CommonJS.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  try { child.kill('SIGTERM'); } catch {}
  setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, 9000).unref();
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, stop);
child.on('error', (err) => { process.stderr.write('cannot run ' + cmd + ': ' + err.message + '\\n'); process.exit(127); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

export function devServerArgs(opts: Omit<DevServerOptions, 'cli'>): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--db-filename',
    path.join(path.resolve(opts.dataDir), 'temporal.sqlite'),
    '--log-level',
    'warn',
    // WAL lets readers and the writer overlap: measured 8.8 → 13.3
    // interactions/s and capture ack p50 118 → 49 ms (bench experiments);
    // still crash-safe (the crash-recovery tests SIGKILL it).
    '--sqlite-pragma',
    'journal_mode=wal',
    // Deleting a closed workflow (`hearken customer forget`) waits until the
    // transfer and visibility queues have persisted their progress past its
    // close, which they do every 30 s by default: 18-33 s per erasure,
    // measured. Every second instead: the runs are gone in well under a
    // second, for one small queue-state write per second.
    '--dynamic-config-value',
    'history.transferProcessorUpdateAckInterval="1s"',
    '--dynamic-config-value',
    'history.visibilityProcessorUpdateAckInterval="1s"',
  ];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? opts.port + 1000));
  const namespace = opts.namespace ?? 'default';
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const key of opts.searchAttributes ?? []) {
    args.push('--search-attribute', `${key.name}=${cliTypeName(key.type)}`);
  }
  return args;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(opts);
    } catch (err) {
      if (!(err instanceof DevServerStartError) || !err.portRace || attempt >= PORT_RACE_ATTEMPTS) throw err;
      opts.log?.(`temporal dev server lost a race for a port it picked (attempt ${attempt}); starting it again`);
    }
  }
}

async function startDevServerOnce(opts: DevServerOptions): Promise<DevServer> {
  const { cli } = opts;
  const namespace = opts.namespace ?? 'default';
  const searchAttributes = opts.searchAttributes ?? [];
  for (const { name, type } of searchAttributes) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid search attribute name ${JSON.stringify(name)}`);
    indexedValueType(type); // throws on a type the server does not know
  }
  const address = `127.0.0.1:${opts.port}`;
  const uiPort = opts.headless ? null : (opts.uiPort ?? opts.port + 1000);
  const uiUrl = uiPort === null ? null : `http://127.0.0.1:${uiPort}`;

  const portWaitUntil = Date.now() + (opts.portWaitMs ?? 15_000);
  for (const [what, port] of [
    ['gRPC', opts.port],
    ['UI', uiPort],
  ] as const) {
    if (port === null) continue;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid Temporal ${what} port ${port}`);
    while (!(await isPortFree(port))) {
      if (Date.now() >= portWaitUntil) {
        throw new Error(
          `cannot start the Temporal dev server: its ${what} port 127.0.0.1:${port} is in use ` +
            '(another dev server still running?). Stop it, or pick other ports.',
        );
      }
      await sleep(250);
    }
  }

  fs.mkdirSync(path.resolve(opts.dataDir), { recursive: true });
  const args = devServerArgs(opts);

  // POSIX: own process group, so stop() can SIGKILL the watchdog and the
  // server together as a last resort.
  const detached = process.platform !== 'win32';
  const child: ChildProcess = spawn(process.execPath, ['-e', WATCHDOG, '--', cli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
    windowsHide: true,
  });

  const tail: string[] = [];
  let sawAddressInUse = false;
  const onLine = (line: string): void => {
    if (!line.trim()) return;
    if (/address already in use/i.test(line)) sawAddressInUse = true;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    try {
      opts.log?.(line);
    } catch {
      // a failing logger must not take the server down
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream.on('end', () => {
      if (buffered) onLine(buffered);
      buffered = '';
    });
  }

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      process.removeListener('exit', onParentExit);
      resolve(exitInfo);
    });
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`cannot start ${process.execPath}: ${err.message}`)));
  });
  spawnError.catch(() => undefined);

  // SIGTERM goes to the watchdog only (it forwards it once); SIGKILL, the
  // last resort, to the watchdog's whole process group.
  const terminate = (): void => {
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  };
  const killAll = (): void => {
    try {
      if (detached && child.pid) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
  // Synchronous last resort when this process exits normally; the watchdog's
  // closed stdin covers every other way of dying.
  function onParentExit(): void {
    terminate();
  }
  process.once('exit', onParentExit);

  // Neither the server nor its pipes keep this process alive on their own.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref?.();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo || child.pid === undefined) return;
      terminate();
      if (!(await exitsWithin(exited, STOP_GRACE_MS))) {
        killAll();
        await exitsWithin(exited, 2_000);
      }
    })();
    return stopping;
  };

  const failure = (reason: string): DevServerStartError => {
    const out = tail.length ? `\n--- temporal server output (last ${tail.length} lines) ---\n${tail.join('\n')}` : '';
    const error = new DevServerStartError(`Temporal dev server (${cli} ${args.join(' ')}) ${reason}${out}`);
    error.portRace = sawAddressInUse;
    return error;
  };
  const exitedEarly = exited.then(() => {
    const info = exitInfo ?? { code: null, signal: null };
    throw failure(`exited during start-up (code ${info.code}, signal ${info.signal})`);
  });
  exitedEarly.catch(() => undefined);

  const abort = new AbortController();
  try {
    await Promise.race([
      waitUntilReady(address, namespace, searchAttributes, opts.retentionMs, opts.startTimeoutMs ?? 60_000, failure, abort.signal),
      exitedEarly,
      spawnError,
    ]);
  } catch (err) {
    abort.abort();
    await stop();
    throw err;
  }
  return { address, uiUrl, stop, exited };
}

/** True when `exited` settles within `ms` (the timer does not outlive it). */
async function exitsWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for the gRPC port, then for `namespace` to be describable, then sets
 * its retention and makes sure every search attribute is registered with the
 * right type. The CLI's `--search-attribute` flag only takes effect on a
 * fresh SQLite file, so on a restart missing ones are added through the
 * operator service.
 */
async function waitUntilReady(
  address: string,
  namespace: string,
  wanted: readonly SearchAttributeDeclaration[],
  retentionMs: number | undefined,
  timeoutMs: number,
  failure: (reason: string) => DevServerStartError,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  let lastError: unknown = null;
  const timedOut = (what: string): DevServerStartError => {
    const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
    return failure(`was not ${what} within ${Math.round(timeoutMs / 1000)} s${detail}`);
  };

  // Rejects once start-up has failed elsewhere (the server exited), which
  // ends this loop instead of letting it poll until the deadline.
  const pause = (ms: number): Promise<void> => sleep(ms, undefined, { signal });

  while (!(await canConnect(port, host, 500))) {
    if (Date.now() > deadline) throw timedOut(`accepting connections on ${address}`);
    await pause(100);
  }

  let connection: Connection | null = null;
  try {
    for (;;) {
      try {
        connection ??= await Connection.connect({ address, connectTimeout: 5_000 });
        const conn = connection;
        const described = await conn.withDeadline(Math.min(deadline, Date.now() + 5_000), () =>
          conn.workflowService.describeNamespace({ namespace }),
        );
        const retention = described.config?.workflowExecutionRetentionTtl;
        if (retentionMs !== undefined && Number(retention?.seconds ?? 0) * 1000 !== retentionMs) {
          await conn.withDeadline(Math.min(deadline, Date.now() + 5_000), () =>
            conn.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msNumberToTs(retentionMs) } }),
          );
        }
        break;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) throw timedOut(`serving namespace ${JSON.stringify(namespace)}`);
      await pause(250);
    }

    if (wanted.length === 0) return;
    const conn = connection;
    let added = false;
    for (;;) {
      try {
        const { customAttributes } = await conn.withDeadline(Math.min(deadline, Date.now() + 5_000), () =>
          conn.operatorService.listSearchAttributes({ namespace }),
        );
        const missing: Record<string, number> = {};
        const conflicts: string[] = [];
        for (const { name, type } of wanted) {
          const have = customAttributes[name];
          if (have === undefined || have === null) missing[name] = indexedValueType(type);
          else if (have !== indexedValueType(type)) {
            const haveName = proto.temporal.api.enums.v1.IndexedValueType[have]?.replace('INDEXED_VALUE_TYPE_', '') ?? `#${have}`;
            conflicts.push(`${name} is ${haveName}, wanted ${type}`);
          }
        }
        if (conflicts.length) {
          throw failure(
            `has search attributes of the wrong type in namespace ${JSON.stringify(namespace)}: ` +
              `${conflicts.join('; ')}. Search attributes cannot be changed in place: ` +
              'use a new data folder or a new attribute name.',
          );
        }
        if (Object.keys(missing).length === 0) return;
        if (!added) {
          added = true;
          await conn.withDeadline(Math.min(deadline, Date.now() + 10_000), () =>
            conn.operatorService.addSearchAttributes({ namespace, searchAttributes: missing }),
          );
        }
      } catch (err) {
        if (err instanceof DevServerStartError) throw err;
        lastError = err;
        added = false; // retry the add too (e.g. it raced with the CLI's own registration)
      }
      if (Date.now() > deadline) throw timedOut('registering the search attributes');
      await pause(250);
    }
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
