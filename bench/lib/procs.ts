// Child processes of the bench: worker(s) and the API, each its own Node
// process so its RSS is its own. Every child is stopped by its pid (SIGTERM,
// then SIGKILL after a grace period); a worker child also stops by itself
// when the bench's IPC channel closes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeEvent, WorkerChildConfig } from './sut-protocol';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Child {
  name: string;
  pid: number;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

// Last resort when the bench exits without stopping a child (an exception, the
// overall time limit): SIGTERM every child still alive, by pid.
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of alive) proc.kill('SIGTERM');
});

/** Follows a spawned child: its exit, and stop() by pid (SIGTERM, then SIGKILL); SIGTERMed when this process exits. */
export function track(name: string, proc: ChildProcess): Child {
  alive.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      alive.delete(proc);
      resolve(code);
    }),
  );
  let stopping: Promise<void> | null = null;
  return {
    name,
    pid: proc.pid!,
    exited,
    stop() {
      stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
        if (!done) proc.kill('SIGKILL');
        await exited;
      })();
      return stopping;
    },
  };
}

export async function startWorkerChild(name: string, config: WorkerChildConfig, onEvents: (e: ProbeEvent[]) => void): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/sut/worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_WORKER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const child = track(name, proc);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready within 60 s`)), 60_000);
    proc.on('message', (m: unknown) => {
      if (Array.isArray(m)) onEvents(m as ProbeEvent[]);
      else if ((m as { ready?: boolean }).ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (code ${code})`));
    });
  });
  return child;
}

/** Hearken's API alone, exactly as `npm run api` runs it (src/runtime/api-main.ts), against the bench's server. */
export async function startApiChild(
  env: Record<string, string>,
  port: number,
  opts: { /** Appends the API's stdout and stderr here (default: stdout dropped, stderr inherited). */ logFile?: string } = {},
): Promise<Child & { url: string }> {
  const log = opts.logFile ? fs.openSync(opts.logFile, 'a') : null;
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/runtime/api-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: log === null ? ['ignore', 'ignore', 'inherit'] : ['ignore', log, log],
  });
  if (log !== null) fs.closeSync(log);
  const child = track('api', proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`api exited during start-up (code ${proc.exitCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error('api: /healthz not OK within 60 s');
    }
    await sleep(200);
  }
  return { ...child, url };
}

export interface Rss {
  rssMb: number;
  /** Peak RSS over the process's life (VmHWM). */
  peakRssMb: number;
}

/** RSS of one process from /proc (Linux); null where /proc is missing. */
export function rssOf(pid: number): Rss | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'mu').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; NaN where unreadable. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/**
 * CPU milliseconds each process spent between two snapshots, per item: a
 * figure a busy box cannot distort the way it distorts throughput, and the
 * one that says which process bounds throughput on a small machine.
 */
export function cpuPerItem(before: Record<string, number>, after: Record<string, number>, items: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, ms] of Object.entries(after)) {
    const d = ms - (before[name] ?? NaN);
    if (!Number.isFinite(d) || items === 0) continue;
    out[name] = Math.round((d / items) * 100) / 100;
    total += d;
  }
  if (items > 0) out.total = Math.round((total / items) * 100) / 100;
  return out;
}

export function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)]));
}
