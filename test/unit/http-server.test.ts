// The API's HTTP server and body parsing, without Temporal behind them:
// slow or half-sent requests are cut off (slowloris), and a body that is not
// valid UTF-8 is refused instead of being decoded to U+FFFD (two different
// raw ids would become one post).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/deps';
import { HTTP_TIMEOUTS, listenApi, type HttpTimeouts } from '../../src/api/http/server';
import { createLogger } from '../../src/runtime/logger';
import { TokenStore } from '../../src/api/auth';

/** Fails the test if a request ever reaches Temporal: none of these should. */
const noTemporal = new Proxy(
  { withDeadline: (_d: number, fn: () => Promise<unknown>) => fn() },
  {
    get(target, prop) {
      if (prop === 'withDeadline') return target.withDeadline;
      throw new Error(`the request reached Temporal (client.${String(prop)})`);
    },
  },
);

function app() {
  const deps = {
    client: noTemporal,
    packs: {},
    tokens: TokenStore.fromUsers([]),
    logger: createLogger('silent'),
    namespace: 'default',
    taskQueue: 'q',
    idleCloseMs: 1,
    maxHistoryEvents: 5000,
    captureRatePerMinute: 1000,
    captureTimeoutMs: 4000,
    temporalTimeoutMs: 10_000,
    dedupMs: 0,
  };
  return createApp(deps as unknown as AppDeps);
}

async function serve(timeouts?: HttpTimeouts): Promise<{ server: http.Server; port: number }> {
  const server = await listenApi(app(), 0, '127.0.0.1', timeouts);
  return { server, port: (server.address() as AddressInfo).port };
}

/** Writes `chunks` (spaced by `gapMs`, then nothing more) and resolves with what came back and when the socket closed. */
function halfSend(port: number, chunks: string[], gapMs = 0): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (response += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ response, closedAfterMs: Date.now() - started }));
    let i = 0;
    const next = () => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i++]!);
      setTimeout(next, gapMs);
    };
    socket.on('connect', next);
  });
}

async function postRaw(port: number, body: Buffer, contentType = 'application/json') {
  const res = await fetch(`http://127.0.0.1:${port}/v1/posts`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

describe('HTTP server limits', () => {
  it('tightens Node’s defaults: 10 s for the headers, 30 s for a request, 5 s of keep-alive, checked every second', async () => {
    const { server } = await serve();
    try {
      expect(HTTP_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 });
      expect(server.headersTimeout).toBe(10_000);
      expect(server.requestTimeout).toBe(30_000);
      expect(server.keepAliveTimeout).toBe(5_000);
    } finally {
      server.close();
    }
  });

  it('a request whose headers never end is answered 408 and closed (slowloris), with the default timeouts', async () => {
    const { server, port } = await serve();
    try {
      const { response, closedAfterMs } = await halfSend(port, ['GET /healthz HTTP/1.1\r\n', 'Host: x\r\n', 'X-Slow: 1\r\n'], 1_000);
      expect(response).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(response).toContain('application/problem+json');
      // headersTimeout (10 s) plus at most one check interval (1 s); Node's defaults held it 60–90 s.
      expect(closedAfterMs).toBeGreaterThanOrEqual(9_500);
      expect(closedAfterMs).toBeLessThan(13_000);
    } finally {
      server.close();
    }
  }, 20_000);

  it('a body sent a byte at a time is cut off at the request timeout', async () => {
    const { server, port } = await serve({ headersMs: 500, requestMs: 1_000, keepAliveMs: 500, checkIntervalMs: 100 });
    try {
      const head = 'POST /v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
      const trickle = Array.from({ length: 30 }, () => ' ');
      const { response, closedAfterMs } = await halfSend(port, [head, ...trickle], 200);
      expect(response).toMatch(/^HTTP\/1\.1 408 /);
      expect(closedAfterMs).toBeLessThan(2_500);
    } finally {
      server.close();
    }
  });

  it('an idle keep-alive connection is closed', async () => {
    const { server, port } = await serve({ headersMs: 500, requestMs: 1_000, keepAliveMs: 300, checkIntervalMs: 100 });
    try {
      const { response, closedAfterMs } = await halfSend(port, ['GET /nope HTTP/1.1\r\nHost: x\r\n\r\n']);
      expect(response).toMatch(/^HTTP\/1\.1 404 /);
      expect(closedAfterMs).toBeLessThan(1_500);
    } finally {
      server.close();
    }
  });
});

describe('request bodies are strict UTF-8', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await serve()));
  afterAll(() => server.close());

  const post = (id: Buffer) =>
    Buffer.concat([
      Buffer.from('{"channel":"twitter","id":"'),
      id,
      Buffer.from('","author":{"id":"u1"},"text":"@sprintcare hi","createdAt":"2026-01-15T10:00:00Z"}'),
    ]);

  it('invalid UTF-8 is refused with 400 problem+json, so two raw ids cannot become one post', async () => {
    // Both would decode to "a\uFFFD", the same post id.
    for (const raw of [Buffer.from([0x61, 0xff]), Buffer.from([0x61, 0xc0, 0xaf]), Buffer.from([0x61, 0xed, 0xa0, 0x80])]) {
      const res = await postRaw(port, post(raw));
      expect(res.status, raw.toString('hex')).toBe(400);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, title: 'Invalid UTF-8' });
    }
  });

  it('JSON in another Unicode charset is refused with 415', async () => {
    const res = await postRaw(port, Buffer.from(post(Buffer.from('a')).toString('utf16le')), 'application/json; charset=utf-16le');
    expect(res.status).toBe(415);
    expect(res.type).toMatch(/^application\/problem\+json/);
  });
});
