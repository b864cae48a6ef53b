// The four-service Temporal cluster on PostgreSQL (scripts/cluster/) for
// tests: its own folder and ports, stopped at the end. In CI a cluster that
// cannot be built or started fails the suite instead of skipping it.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { binary, killClusterNow, startCluster, stopCluster, type ClusterInfo } from '../../scripts/cluster/cluster';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { tempDir } from './temporal';

/** Whether the server binaries (npm run install:cluster) and PostgreSQL's initdb are here. */
export function clusterAvailable(): boolean {
  const missing: string[] = [];
  for (const name of ['temporal-server', 'temporal-sql-tool'] as const)
    if (!fs.existsSync(binary(name))) missing.push(`.tools/bin/${name}`);
  const pg = spawnSync('sh', ['-c', 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'], { encoding: 'utf8' });
  if (pg.status !== 0 || !pg.stdout.trim()) missing.push("PostgreSQL's initdb");
  if (missing.length === 0) return true;
  if (process.env.CI) {
    throw new Error(
      `CI: the cluster tests cannot run, missing ${missing.join(', ')} (npm run install:cluster; apt-get install postgresql)`,
    );
  }
  return false;
}

export interface TestCluster extends ClusterInfo {
  stop(): Promise<void>;
  /** A clean stop (services, then PostgreSQL) and a start on the same data and ports. */
  restart(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = tempDir('cluster');
  // Whatever happens to the test file, its cluster does not outlive it.
  process.once('exit', () => killClusterNow(dir));
  const info = await startCluster({ dir, frontendPort: await pickFreePort() });
  return {
    ...info,
    stop: () => stopCluster({ dir }),
    async restart() {
      await stopCluster({ dir });
      const again = await startCluster({ dir });
      if (again.address !== info.address) throw new Error(`the restarted cluster moved from ${info.address} to ${again.address}`);
    },
  };
}
