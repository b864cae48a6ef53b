// The API's HTTP server: Node's server with its timeouts tightened. Node's
// defaults let a client take 60 s to send its headers and 300 s for the whole
// request, and check only every 30 s, so a few slow or half-sent requests
// (slowloris) hold connections for minutes. Here a request has 10 s for its
// headers and 30 s in all (a 64 KB body is far quicker), idle keep-alive
// connections close after 5 s, and the check runs every second.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  /** How often Node looks for requests past their timeout. */
  checkIntervalMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

export async function listenApi(app: Express, port: number, host: string, timeouts: HttpTimeouts = HTTP_TIMEOUTS): Promise<http.Server> {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  server.on('clientError', answerBrokenRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * Requests Node cannot even parse (huge headers, broken HTTP) or that ran out
 * of time still get problem+json, and their connection is closed.
 */
function answerBrokenRequest(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = JSON.stringify({ type: 'about:blank', title, status });
  // Then close it outright: ending only our half would leave a silent client's socket open.
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
