// A team webhook the suite controls: it answers 200 while up and 500 while
// down, and remembers every call (team, kind, idempotency key), so a scenario
// can say how often Hearken knocked on a door that was closed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookHit {
  at: number;
  status: number;
  team: string;
  kind: string;
  interactionId: string;
  key: string;
}

export interface Webhook {
  url: string;
  hits: WebhookHit[];
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  let down = false;
  const hits: WebhookHit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      let n: { team?: string; kind?: string; interactionId?: string } = {};
      try {
        n = JSON.parse(body) as typeof n;
      } catch {
        // recorded with empty fields
      }
      const status = down ? 500 : 200;
      hits.push({
        at: Date.now(),
        status,
        team: n.team ?? '',
        kind: n.kind ?? '',
        interactionId: n.interactionId ?? '',
        key: String(req.headers['idempotency-key'] ?? ''),
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end(down ? '{"error":"chaos: webhook down"}' : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/team`,
    hits,
    setDown(d) {
      down = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
