// A worker's own GET /metrics: a worker process that runs apart from the API
// would otherwise keep its counters (replies, notifications, commitments,
// response times) to itself. Plain node:http with the API's timeouts; it
// answers /metrics and nothing else, and holds counts only (no customer data).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_TIMEOUTS } from '../api/http/server';
import { registry } from './metrics';

/** The port a process that runs the worker alone serves on when HEARKEN_WORKER_METRICS_PORT is unset (OpenTelemetry's Prometheus default). */
export const DEFAULT_WORKER_METRICS_PORT = 9464;

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function serveMetrics(port: number, host: string): Promise<MetricsServer> {
  const server = http.createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersMs,
      requestTimeout: HTTP_TIMEOUTS.requestMs,
      keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: this port serves GET /metrics only\n');
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `the worker's metrics port ${host}:${port} is in use: set HEARKEN_WORKER_METRICS_PORT to another port, or 0 for any free one`,
            )
          : err,
      ),
    );
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
