// A worker's own /metrics port (src/runtime/metrics-server.ts): the registry's
// text on GET /metrics, nothing else, and a port in use named in one sentence.
import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics, type MetricsServer } from '../../src/runtime/metrics-server';
import { careMetricsSinks } from '../../src/runtime/care-metrics-sinks';

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe("the worker's metrics port", () => {
  it('serves the care metrics the sink recorded, in Prometheus text', async () => {
    const server = await serveMetrics(0, '127.0.0.1');
    open.push(server);
    const info = { workflowId: 'twitter:1' } as never;
    const sinks = careMetricsSinks();
    await sinks.care.commitment.fn(info, { policy: 'unit-policy', commitment: 'firstResponse', outcome: 'breached' });
    await sinks.care.firstReply.fn(info, { policy: 'unit-policy', channel: 'twitter', seconds: 0.2 });
    await sinks.care.escalation.fn(info, { policy: 'unit-policy', team: 'customer-care', decision: 'approve', seconds: 120 });
    expect(sinks.care.commitment.callDuringReplay).toBe(false);

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u);
    const text = await res.text();
    expect(text).toContain('hearken_commitments_total{policy="unit-policy",commitment="firstResponse",outcome="breached"} 1');
    expect(text).toContain('hearken_first_reply_seconds_bucket{le="0.25",policy="unit-policy",channel="twitter"} 1');
    expect(text).toContain('hearken_escalation_decision_seconds_count{policy="unit-policy",team="customer-care",decision="approve"} 1');
    expect(text).toContain('hearken_process_process_cpu_seconds_total');
  });

  it('answers nothing but GET /metrics', async () => {
    const server = await serveMetrics(0, '127.0.0.1');
    open.push(server);
    const base = server.url.replace(/\/metrics$/u, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/v1/posts`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}?x=1`)).status).toBe(200);
  });

  it('says which variable to change when the port is taken', async () => {
    const first = await serveMetrics(0, '127.0.0.1');
    open.push(first);
    const port = Number(new URL(first.url).port);
    await expect(serveMetrics(port, '127.0.0.1')).rejects.toThrow(
      `the worker's metrics port 127.0.0.1:${port} is in use: set HEARKEN_WORKER_METRICS_PORT to another port, or 0 for any free one`,
    );
  });
});
