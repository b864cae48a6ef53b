// Several API hosts sit behind a load balancer: without HEARKEN_TRUST_PROXY
// every client shares the balancer's address, so one client's captures use up
// everyone's per-IP limit; with it, the X-Forwarded-For the balancer sets
// names the client. Driven through createApp with a stub that refuses to
// reach Temporal (a 429 is answered before any handler).
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/deps';
import { TokenStore } from '../../src/api/auth';
import { listenApi } from '../../src/api/http/server';
import { createLogger } from '../../src/runtime/logger';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function captureStatuses(trustProxy: AppDeps['trustProxy'], clients: string[]): Promise<number[]> {
  const deps = {
    client: { withDeadline: (_d: number, fn: () => Promise<unknown>) => fn() },
    packs: {},
    tokens: TokenStore.fromUsers([]),
    logger: createLogger('silent'),
    namespace: 'default',
    taskQueue: 'q',
    idleCloseMs: 1,
    maxHistoryEvents: 5000,
    // One capture per client per minute: the second from one address is a 429.
    captureRatePerMinute: 1,
    captureTimeoutMs: 4000,
    temporalTimeoutMs: 10_000,
    dedupMs: 0,
    ...(trustProxy !== undefined ? { trustProxy } : {}),
  };
  server = await listenApi(createApp(deps as unknown as AppDeps), 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/posts`;
  const statuses: number[] = [];
  for (const client of clients) {
    // Not JSON: a request that passes the limit is refused later (415/400), never reaching Temporal.
    const res = await fetch(url, { method: 'POST', headers: { 'x-forwarded-for': client, 'content-type': 'text/plain' }, body: 'x' });
    statuses.push(res.status);
  }
  return statuses;
}

describe('HEARKEN_TRUST_PROXY', () => {
  it('unset: two clients behind one balancer share its address, and the second is limited', async () => {
    const [, second] = await captureStatuses(undefined, ['203.0.113.1', '203.0.113.2']);
    expect(second).toBe(429);
  });

  it('set to the balancer: each client is counted by its own address', async () => {
    const statuses = await captureStatuses(['loopback'], ['203.0.113.1', '203.0.113.2', '203.0.113.1']);
    expect(statuses[0]).not.toBe(429);
    expect(statuses[1]).not.toBe(429);
    expect(statuses[2]).toBe(429);
  });
});
