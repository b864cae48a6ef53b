// The cluster's rendered Temporal config (scripts/cluster/server-config.ts):
// what the four processes must agree on, and what must differ between them.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dynamicConfig, serverConfig, SERVICES, type Ports, type ServiceName } from '../../scripts/cluster/server-config';

const perService = (base: number) => Object.fromEntries(SERVICES.map((s, i) => [s, base + i])) as Record<ServiceName, number>;
const ports: Ports = {
  postgres: 25432,
  frontendHttp: 27243,
  grpc: perService(27233),
  membership: perService(26933),
  metrics: perService(28000),
};
const render = (s: ServiceName) =>
  parse(serverConfig({ ports, numHistoryShards: 16, dynamicConfigFile: '/x/dynamic.yaml', logLevel: 'warn' }, s)) as Record<string, any>;

describe('the cluster config', () => {
  it('gives all four services the same stores, shard count and membership ports', () => {
    const [first, ...rest] = SERVICES.map(render);
    for (const other of rest) {
      expect(other.persistence).toEqual(first!.persistence);
      expect(other.services).toEqual(first!.services);
      expect(other.clusterMetadata).toEqual(first!.clusterMetadata);
    }
    expect(first!.persistence.numHistoryShards).toBe(16);
    expect(first!.persistence.datastores['postgres-visibility'].sql.pluginName).toBe('postgres12');
    expect(first!.persistence.datastores['postgres-default'].sql.connectAddr).toBe('127.0.0.1:25432');
    expect(Object.keys(first!.services).sort()).toEqual([...SERVICES].sort());
    expect(first!.services.frontend.rpc).toMatchObject({ grpcPort: 27235, httpPort: 27243 });
  });

  it('gives each service its own metrics port, so four processes on one host do not collide', () => {
    const listen = SERVICES.map((s) => render(s).global.metrics.prometheus.listenAddress as string);
    expect(new Set(listen).size).toBe(4);
    expect(listen).toContain('127.0.0.1:28000');
  });

  it('keeps the update APIs Hearken needs switched on', () => {
    const dc = parse(dynamicConfig()) as Record<string, Array<{ value: unknown }>>;
    expect(dc['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true);
  });
});
