// One unit of work per suite, from the send to "settled": a baseline
// workflow started through the Temporal client, or a post captured through
// Hearken's HTTP API (POST /v1/posts, like a connector would).
import http from 'node:http';
import type { Client } from '@temporalio/client';
import { toPost, type PostTemplate } from './posts';
import { nowMs } from './stats';
import type { ItemResult, Tracker } from './tracker';

export interface Driver {
  name: string;
  run(): Promise<ItemResult>;
}

/** How long one item may take to settle before it counts as failed: keeps every loop bounded. */
const SETTLE_TIMEOUT_MS = 60_000;

export function baselineDriver(
  client: Client,
  tracker: Tracker,
  opts: { type: 'baselineA' | 'baselineB' | 'baselineC'; taskQueue: string; prefix: string },
): Driver {
  let seq = 0;
  return {
    name: opts.type,
    async run() {
      // Ids come from the driver, not the loop: every phase starts its loop at 0.
      const id = `${opts.prefix}-${seq++}`;
      const t = tracker.begin(id, nowMs());
      try {
        await client.workflow.start(opts.type, { taskQueue: opts.taskQueue, workflowId: id, args: [] });
        t.ack = nowMs();
        return tracker.finish(id, opts.type, await tracker.waitSettled(id, SETTLE_TIMEOUT_MS));
      } catch (err) {
        return tracker.finish(id, opts.type, false, String(err));
      }
    },
  };
}

/** Keep-alive HTTP: a connector keeps its connections open, and a new TCP handshake per post would measure the kernel. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function postJson(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(SETTLE_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export function hearkenDriver(tracker: Tracker, opts: { apiUrl: string; mix: readonly PostTemplate[]; prefix: string }): Driver {
  let seq = 0;
  return {
    name: 'hearken',
    async run() {
      const i = seq++;
      // Cycling through the mix keeps every window's path mix close to the target.
      const template = opts.mix[i % opts.mix.length]!;
      const post = toPost(template, `${opts.prefix}-${i}`);
      const id = `${post.channel}:${post.id}`;
      const t = tracker.begin(id, nowMs());
      try {
        const res = await postJson(`${opts.apiUrl}/v1/posts`, JSON.stringify(post));
        t.ack = nowMs();
        if (res.status !== 202) return tracker.finish(id, template.policy, false, `HTTP ${res.status}: ${res.text.slice(0, 200)}`);
        return tracker.finish(id, template.policy, await tracker.waitSettled(id, SETTLE_TIMEOUT_MS));
      } catch (err) {
        return tracker.finish(id, template.policy, false, String(err));
      }
    },
  };
}

export function closeHttp(): void {
  agent.destroy();
}
