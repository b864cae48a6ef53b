// A Temporal client for the operator's commands (pause, resume, customer
// forget and export): TEMPORAL_ADDRESS, else the embedded dev server's port on
// this host, and the namespace and task queue the service uses. Like `audit
// export`, these talk to Temporal directly, not to the API: they must work on
// the worst day, when the API may be the part that is down, and whoever runs
// them on a host with Temporal access is an operator already.
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import type { Actor } from '../shared/controls';
import { CliError } from './errors';
import { cliSettings } from './settings';

export interface CliTemporal {
  client: Client;
  namespace: string;
  taskQueue: string;
  address: string;
  close(): Promise<void>;
}

export async function connectTemporal(address?: string): Promise<CliTemporal> {
  const config = cliSettings(['temporalAddress', 'devServerPort', 'namespace', 'taskQueue']);
  const target = address ?? config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: target, connectTimeout: 5_000 });
  } catch (err) {
    throw new CliError(`cannot reach Temporal at ${target}: ${err instanceof Error ? err.message : String(err)} (set TEMPORAL_ADDRESS)`);
  }
  return {
    client: new Client({ connection, namespace: config.namespace }),
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    address: target,
    close: () => connection.close(),
  };
}

/** The operator, as the switch and the erasure log record them: `--by`, else the OS user. */
export function operator(by: string | undefined): Actor {
  const name = by?.trim() || os.userInfo().username;
  return { name, role: 'admin', via: 'cli' };
}

/** Runs a call that needs a Hearken worker (an Update, a query) with a deadline and a plain answer when none answers. */
export async function withWorker<T>(t: CliTemporal, fn: () => Promise<T>, ms = 20_000): Promise<T> {
  try {
    return await t.client.withDeadline(Date.now() + ms, fn);
  } catch (err) {
    const code = (err as { code?: number }).code ?? (err as { cause?: { code?: number } }).cause?.code;
    if (code === 4) {
      throw new CliError(`no Hearken worker answered within ${ms / 1000} s on task queue ${t.taskQueue} at ${t.address}: is one running?`);
    }
    throw err;
  }
}
