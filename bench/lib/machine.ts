// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { devServerArgs } from '../../src/runtime/temporal/dev-server';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  temporalCli: string;
  temporalServerDevMode: string;
  sqliteMode: string;
  /** 1-minute load average when the run started and ended: > cores means others were busy too. */
  loadAtStart: number[];
  loadAtEnd?: number[];
  /** The mean of the 1-minute load average sampled every 10 s during the run. */
  meanLoadDuringRun?: number;
  busyNote?: string;
}

export function describeMachine(cli: string, dataDir: string, temporalAddress: string | undefined): Machine {
  const version = (() => {
    try {
      return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const fsType = (() => {
    try {
      return execFileSync('df', ['-T', dataDir], { encoding: 'utf8' }).trim().split('\n').pop()?.split(/\s+/u)[1] ?? 'unknown';
    } catch {
      return 'unknown';
    }
  })();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli: version,
    temporalServerDevMode: temporalAddress ? `external server at ${temporalAddress}` : 'embedded `temporal server start-dev`',
    sqliteMode: temporalAddress ? 'n/a (external server)' : `SQLite file (--db-filename, not in-memory) on ${fsType}, ${sqlitePragmas()}`,
    loadAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Samples the load average every 10 s until stopped, so the report can say how busy the box was. */
export function sampleLoad(): { stop(): number } {
  const samples: number[] = [os.loadavg()[0]!];
  const timer = setInterval(() => samples.push(os.loadavg()[0]!), 10_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.round((samples.reduce((a, b) => a + b, 0) / samples.length) * 100) / 100;
    },
  };
}

/** The SQLite pragmas Hearken's embedded dev server passes (src/runtime/temporal/dev-server.ts), read from its own argument builder. */
function sqlitePragmas(): string {
  const args = devServerArgs({ dataDir: '.', port: 7233, headless: true });
  const pragmas = args.flatMap((a, i) => (a === '--sqlite-pragma' ? [args[i + 1]] : []));
  return pragmas.length ? `pragmas ${pragmas.join(', ')}` : 'SQLite defaults (rollback journal)';
}
