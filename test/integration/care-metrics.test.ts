// Care metrics with the worker and the API as separate processes (as on a
// cluster): the worker's counters and histograms appear on the worker's own
// /metrics, the API's captures, decisions and visibility gauges on the API's.
// The worker caches no workflow (HEARKEN_MAX_CACHED_WORKFLOWS=0), so every
// workflow task replays the history from the start: each metric must still
// count exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { pickFreePort } from '../../src/runtime/temporal/ports';
import { spawnHearken, type Child } from '../helpers/processes';
import { eventually, getJson, POLICIES_DIR, postJson } from '../helpers/service';
import { startTestServer, temporalAvailable, tempDir } from '../helpers/temporal';
import { bearer, writeTokensFile, type TestUser } from '../helpers/tokens';

const run = temporalAvailable() ? describe : describe.skip;

const AGENT: TestUser = { name: 'carla', token: 'tok-care-metrics-agent-0123', teams: { 'customer-care': 'agent' } };

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/u);
  return res.text();
}

/** The value of one sample, e.g. `hearken_commitments_total{policy="x",…}`; undefined when the line is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/u.exec(line)?.[1] ?? '';
    const have = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/gu)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

run('care metrics, worker and API apart', () => {
  const children: Child[] = [];
  let server: DevServer | undefined;

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGTERM')));
    await server?.stop();
  });

  it('a complaint captured late breaches firstResponse, escalates and is approved: each counted once, on the process where it happened', async () => {
    server = await startTestServer();
    const dataDir = tempDir('care-metrics');
    const env = {
      TEMPORAL_ADDRESS: server.address,
      HEARKEN_DATA_DIR: dataDir,
      HEARKEN_POLICIES_DIR: POLICIES_DIR,
      TEMPORAL_TASK_QUEUE: 'care-metrics',
      HEARKEN_TOKENS_FILE: writeTokensFile(tempDir('tokens'), [AGENT]),
    };
    const workerMetricsPort = await pickFreePort();
    const worker = spawnHearken('src/runtime/worker-main.ts', {
      ...env,
      HEARKEN_WORKER_METRICS_PORT: String(workerMetricsPort),
      HEARKEN_MAX_CACHED_WORKFLOWS: '0',
    });
    children.push(worker);
    const apiPort = await pickFreePort();
    const api = spawnHearken('src/runtime/api-main.ts', { ...env, PORT: String(apiPort) });
    children.push(api);
    await Promise.all([worker.waitFor('Hearken is running', 90_000), api.waitFor('Hearken is running', 90_000)]);
    const workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    expect(worker.output()).toContain(`Metrics:     ${workerMetrics}`);
    // The API process serves no worker port of its own.
    expect(api.output()).not.toContain('Metrics:');
    const url = `http://127.0.0.1:${apiPort}`;

    // Written 20 minutes ago: the 15-minute firstResponse is already breached when it arrives.
    const createdAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const captured = await postJson(`${url}/v1/posts`, {
      channel: 'twitter',
      id: 'care-1',
      author: { id: 'u-care', handle: 'jane', name: 'Jane' },
      text: '@sprintcare you charged me twice and nobody answers!!',
      createdAt,
    });
    expect(captured.status).toBe(202);

    const pending = await eventually(
      async () => {
        const s = await getJson(`${url}/v1/interactions/twitter:care-1`);
        return s.body?.status === 'awaiting-decision' ? s.body : null;
      },
      60_000,
      'the escalation',
    );
    expect(pending.policy.id).toBe('customer-complaint');
    // The visibility gauge on the API (it may need a moment to see the search attributes).
    await eventually(
      async () => sample(await scrape(`${url}/metrics`), 'hearken_escalations_open', { team: 'customer-care' }) === 1,
      30_000,
      'one open escalation for customer-care',
    );

    const decided = await postJson(
      `${url}/v1/escalations/twitter:care-1/decision`,
      { decision: 'approve', reply: 'Hi Jane, we refunded the second charge.' },
      bearer(AGENT),
    );
    expect(decided.status).toBe(200);

    const policy = 'customer-complaint';
    const fromWorker = await eventually(
      async () => {
        const text = await scrape(workerMetrics);
        return sample(text, 'hearken_commitments_total', { policy, commitment: 'resolution', outcome: 'met' }) === 1 ? text : null;
      },
      30_000,
      'the resolution met on the worker',
    );
    expect(sample(fromWorker, 'hearken_commitments_total', { policy, commitment: 'firstResponse', outcome: 'breached' })).toBe(1);
    // Met late after its breach: counted as the breach only.
    expect(sample(fromWorker, 'hearken_commitments_total', { policy, commitment: 'firstResponse', outcome: 'met' })).toBeUndefined();
    expect(sample(fromWorker, 'hearken_first_reply_seconds_count', { policy, channel: 'twitter' })).toBe(1);
    // From capture, not from the post's createdAt 20 minutes ago: an interim reply takes seconds at most.
    expect(sample(fromWorker, 'hearken_first_reply_seconds_bucket', { policy, channel: 'twitter', le: '60' })).toBe(1);
    expect(sample(fromWorker, 'hearken_escalation_decision_seconds_count', { policy, team: 'customer-care', decision: 'approve' })).toBe(1);
    expect(sample(fromWorker, 'hearken_replies_published_total', { channel: 'twitter', duplicate: 'false' })).toBe(2);
    expect(sample(fromWorker, 'hearken_notifications_total', { team: 'customer-care', kind: 'escalation' })).toBe(1);
    // The worker process has no API: no captures, no HTTP requests.
    expect(sample(fromWorker, 'hearken_posts_captured_total')).toBeUndefined();

    const fromApi = await scrape(`${url}/metrics`);
    expect(sample(fromApi, 'hearken_posts_captured_total', { channel: 'twitter', duplicate: 'false' })).toBe(1);
    expect(sample(fromApi, 'hearken_decisions_total', { decision: 'approve' })).toBe(1);
    // What the worker counted is not on the API's /metrics: it ran elsewhere.
    expect(sample(fromApi, 'hearken_commitments_total')).toBeUndefined();
    expect(sample(fromApi, 'hearken_first_reply_seconds_count')).toBeUndefined();
    // Every team of the pack has its gauge; the decided escalation is no longer open (after the 10 s scrape cache).
    expect(sample(fromApi, 'hearken_escalations_open', { team: 'security' })).toBe(0);
    await eventually(
      async () => sample(await scrape(`${url}/metrics`), 'hearken_escalations_open', { team: 'customer-care' }) === 0,
      30_000,
      'no open escalation',
    );

    // Only /metrics on the worker's port.
    expect((await fetch(`http://127.0.0.1:${workerMetricsPort}/v1/posts`)).status).toBe(404);
  }, 240_000);
});
