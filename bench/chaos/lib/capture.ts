// The connector's side: posts sent to POST /v1/posts, each answer (or its
// absence) classified, and a load generator whose arrival rate a scenario can
// change while it runs (the burst). Every request has a wall-clock deadline
// from the moment it is sent, queueing in the HTTP agent included: that is
// how long a connector waits before it gives up.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { toPost, type PathBucket, type PostTemplate } from '../../lib/posts';

export type Outcome =
  /** 2xx: the post was taken (acknowledged). */
  | 'ack'
  /** 503: the API said "not now" (the answer an outage should get). */
  | 'unavailable'
  /** any other 5xx: what must not happen. */
  | 'error5xx'
  /** 4xx (429 included). */
  | 'rejected'
  /** no answer before the deadline. */
  | 'timeout'
  /** refused, reset, or cut off before an answer. */
  | 'connection';

export interface Sent {
  /** Post id; the interaction id is `twitter:<id>` (threadId defaults to id). */
  id: string;
  interactionId: string;
  policy: string;
  bucket: PathBucket;
  sentAt: number;
  answeredAt: number;
  outcome: Outcome;
  status?: number;
  /** The first 300 characters of a non-2xx body, or the error. */
  detail?: string;
  retryAfter?: string;
  duplicate?: boolean;
}

export class Capturer {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2048 });
  readonly sent: Sent[] = [];
  private readonly apiUrls: readonly string[];
  private turn = 0;

  /** Several API URLs: each post goes to the next one, as a round-robin load balancer sends it. */
  constructor(
    apiUrl: string | readonly string[],
    private readonly timeoutMs: number,
  ) {
    this.apiUrls = typeof apiUrl === 'string' ? [apiUrl] : apiUrl;
  }

  async send(template: PostTemplate, id: string): Promise<Sent> {
    const post = toPost(template, id);
    const body = JSON.stringify(post);
    const sentAt = Date.now();
    const base = { id, interactionId: `${post.channel}:${post.id}`, policy: template.policy, bucket: template.bucket, sentAt };
    let rec: Sent;
    try {
      const res = await this.post(body);
      const outcome: Outcome =
        res.status >= 200 && res.status < 300 ? 'ack' : res.status === 503 ? 'unavailable' : res.status >= 500 ? 'error5xx' : 'rejected';
      rec = { ...base, answeredAt: Date.now(), outcome, status: res.status };
      if (outcome === 'ack') {
        try {
          rec.duplicate = (JSON.parse(res.text) as { duplicate?: boolean }).duplicate === true;
        } catch {
          rec.detail = `unparsable body: ${res.text.slice(0, 200)}`;
        }
      } else rec.detail = res.text.slice(0, 300);
      if (res.retryAfter !== undefined) rec.retryAfter = res.retryAfter;
    } catch (err) {
      const timedOut = (err as Error).message === 'chaos: no answer before the deadline';
      rec = { ...base, answeredAt: Date.now(), outcome: timedOut ? 'timeout' : 'connection', detail: String(err).slice(0, 300) };
    }
    this.sent.push(rec);
    return rec;
  }

  private post(body: string): Promise<{ status: number; text: string; retryAfter?: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.apiUrls[this.turn++ % this.apiUrls.length]}/v1/posts`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            clearTimeout(timer);
            const ra = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, text, ...(ra !== undefined ? { retryAfter: String(ra) } : {}) });
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error('chaos: no answer before the deadline')), this.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Load {
  /** Posts sent so far. */
  count(): number;
  /** Posts acknowledged so far. */
  acked(): number;
  setRate(perSec: number): void;
  /** Resolves once `n` posts were acknowledged, or false after `timeoutMs`. */
  untilAcked(n: number, timeoutMs: number): Promise<boolean>;
  /** Stops sending and waits for every request in flight (each bounded by its deadline). */
  stop(): Promise<void>;
}

/** Sends posts of `mix` at `ratePerSec`, ids `<prefix>-<n>`, each through `capturer`, without waiting for answers. */
export function startLoad(capturer: Capturer, mix: readonly PostTemplate[], prefix: string, ratePerSec: number): Load {
  let rate = ratePerSec;
  let sent = 0;
  let acked = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  // Arrivals are scheduled against a moving origin so a rate change applies from now on.
  let origin = Date.now();
  let sentAtOrigin = 0;
  const loop = (async () => {
    while (!stopped) {
      const due = sentAtOrigin + Math.floor(((Date.now() - origin) / 1000) * rate);
      while (sent < due && !stopped) {
        const i = sent++;
        const p: Promise<void> = capturer.send(mix[i % mix.length]!, `${prefix}-${i}`).then((r) => {
          if (r.outcome === 'ack') acked++;
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await sleep(Math.max(2, Math.min(20, 1000 / rate)));
    }
  })();
  return {
    count: () => sent,
    acked: () => acked,
    setRate(perSec) {
      origin = Date.now();
      sentAtOrigin = sent;
      rate = perSec;
    },
    async untilAcked(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (acked < n) {
        if (Date.now() > deadline) return false;
        await sleep(100);
      }
      return true;
    },
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([...inFlight]);
    },
  };
}
