// The Temporal server's static configuration, one file per service process.
// The files differ only in the service's metrics port (each process serves its
// own /metrics); everything that must agree across the cluster — stores,
// shard count, every service's ports for membership — is the same in all four.
// Written as a plain object and serialised with `yaml`, so no Go template
// (docker/config_template.yaml) is needed at start.
import { stringify } from 'yaml';
import { PG_USER } from './postgres';

export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Ports {
  postgres: number;
  frontendHttp: number;
  grpc: Record<ServiceName, number>;
  membership: Record<ServiceName, number>;
  metrics: Record<ServiceName, number>;
}

export interface ServerConfigInput {
  ports: Ports;
  /** Fixed when the cluster is created; changing it later needs a new cluster. */
  numHistoryShards: number;
  dynamicConfigFile: string;
  logLevel: string;
}

function sqlStore(database: string, port: number, maxConns: number): object {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${port}`,
      connectProtocol: 'tcp',
      user: PG_USER,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

export function serverConfig(input: ServerConfigInput, service: ServiceName): string {
  const { ports } = input;
  const frontend = `127.0.0.1:${ports.grpc.frontend}`;
  const services = Object.fromEntries(
    SERVICES.map((s) => [
      s,
      {
        rpc: {
          grpcPort: ports.grpc[s],
          membershipPort: ports.membership[s],
          bindOnLocalHost: true,
          ...(s === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
        },
      },
    ]),
  );
  return stringify({
    log: { stdout: true, level: input.logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: input.numHistoryShards,
      datastores: {
        'postgres-default': sqlStore('temporal', ports.postgres, 20),
        // Advanced visibility on PostgreSQL 12+: list filters on Hearken's search attributes.
        'postgres-visibility': sqlStore('temporal_visibility', ports.postgres, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: 0 },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics[service]}` } },
    },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: frontend,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: input.dynamicConfigFile, pollInterval: '10s' },
  });
}

/**
 * Dynamic config: Hearken needs workflow updates (capture is update-with-start,
 * decisions are updates). They are Temporal's defaults since 1.25; written
 * out so that an operator who copies this config sees the requirement.
 */
export function dynamicConfig(): string {
  return stringify({
    'frontend.enableUpdateWorkflowExecution': [{ value: true, constraints: {} }],
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true, constraints: {} }],
  });
}
