// A forwarding HTTP proxy for exactly-once tests: it lets the platform
// handle a request and then drops the response (the client sees a socket
// error after the platform did the work), so a connector's retry must find
// what its first attempt published instead of publishing again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  url: string;
  /**
   * Drops the response of the next request `match` accepts, after the
   * upstream answered it; resolves once the upstream answered. With `holdUntil`,
   * the client's connection stays open (no answer) until that promise settles.
   */
  dropNextResponse(match: (req: http.IncomingMessage) => boolean, holdUntil?: Promise<unknown>): Promise<void>;
  /** How many responses were dropped so far. */
  dropped(): number;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  let drop: { match: (req: http.IncomingMessage) => boolean; done: () => void; hold?: Promise<unknown> } | null = null;
  let dropped = 0;
  const server = http.createServer((req, res) => {
    const up = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (ur) => {
        if (drop && drop.match(req)) {
          const { done } = drop;
          drop = null;
          dropped++;
          ur.resume();
          ur.on('end', () => {
            req.socket.destroy();
            done();
          });
          return;
        }
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropNextResponse: (match, hold) => new Promise<void>((done) => (drop = { match, done, ...(hold ? { hold } : {}) })),
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fetch that sends requests for `from`'s origin to `to` instead (a proxy in front of one service). */
export function fetchVia(from: string, to: string): typeof globalThis.fetch {
  const origin = new URL(from).origin;
  return (input, init) => {
    const req = input instanceof Request ? input : null;
    const url = new URL(req ? req.url : String(input));
    if (url.origin === origin) {
      const moved = new URL(url.pathname + url.search, to);
      return globalThis.fetch(req ? new Request(moved, req) : moved, init);
    }
    return globalThis.fetch(input, init);
  };
}
