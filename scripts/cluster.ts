// `npm run cluster -- start|stop|status|restart [--dir data/cluster] [--shards 16] [--port 7233]`:
// a four-process Temporal cluster on a private PostgreSQL (scripts/cluster/).
// Builds the Temporal server on first use. Point Hearken at it with
// TEMPORAL_ADDRESS=<the address it prints>.
import { Command, InvalidArgumentError } from 'commander';
import { clusterStatus, DEFAULT_CLUSTER_DIR, startCluster, stopCluster, type ClusterOptions } from './cluster/cluster';

function count(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    return n;
  };
}

const say = (line: string) => console.log(`[cluster] ${line}`);

async function start(opts: ClusterOptions): Promise<void> {
  const started = Date.now();
  const cluster = await startCluster({ ...opts, say });
  console.log(
    [
      `Temporal cluster running (${((Date.now() - started) / 1000).toFixed(1)} s): 4 services, ${cluster.numHistoryShards} history shards, PostgreSQL.`,
      `  Address:   ${cluster.address} (namespace ${cluster.namespace}, Hearken's search attributes registered)`,
      `  Data:      ${cluster.dir}`,
      `  Hearken:   TEMPORAL_ADDRESS=${cluster.address} npm run worker   (and npm run api)`,
      '  Stop:      npm run cluster -- stop',
    ].join('\n'),
  );
}

const program = new Command('cluster').description('a multi-service Temporal cluster on PostgreSQL, for tests and trials');
const dirOption = ['--dir <folder>', 'where its data, configs and logs live', DEFAULT_CLUSTER_DIR] as const;

program
  .command('start')
  .description('start it (creating it on first use); a restart resumes on the same data')
  .option(...dirOption)
  .option('--shards <n>', 'numHistoryShards, fixed when the cluster is created', count(1), 16)
  .option('--port <port>', 'frontend gRPC port when it is created (default 7233 if free)', count(1))
  .option('--log-level <level>', "the services' log level", 'warn')
  .action((o: { dir: string; shards: number; port?: number; logLevel: string }) =>
    start({ dir: o.dir, numHistoryShards: o.shards, frontendPort: o.port, logLevel: o.logLevel }),
  );

program
  .command('stop')
  .description('stop the services and PostgreSQL; the data stays')
  .option(...dirOption)
  .action(async (o: { dir: string }) => {
    await stopCluster(o);
    say('stopped');
  });

program
  .command('restart')
  .description('stop, then start on the same data')
  .option(...dirOption)
  .action(async (o: { dir: string }) => {
    await stopCluster(o);
    await start({ dir: o.dir });
  });

program
  .command('status')
  .description('which processes run; exit 1 unless all of them do')
  .option(...dirOption)
  .action(async (o: { dir: string }) => {
    const s = await clusterStatus(o);
    if (!s.exists) {
      console.log(`no cluster in ${s.dir} (npm run cluster -- start)`);
      process.exitCode = 1;
      return;
    }
    console.log(`${s.address} (${s.dir})`);
    console.log(`  postgres   ${s.postgres ? 'running' : 'stopped'}`);
    for (const [name, svc] of Object.entries(s.services))
      console.log(`  ${name.padEnd(10)} ${svc.running ? `running (pid ${svc.pid})` : 'stopped'}`);
    console.log(`  frontend   ${s.frontendReachable ? 'accepting connections' : 'not reachable'}`);
    const up = s.postgres && s.frontendReachable && Object.values(s.services).every((svc) => svc.running);
    process.exitCode = up ? 0 : 1;
  });

program.parseAsync().catch((err: unknown) => {
  console.error(`cluster: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
