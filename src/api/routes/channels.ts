// Channels: GET /v1/channels lists the connected accounts and their
// listeners (channels-status.ts); POST /v1/channels/webhook/{source} captures a post delivered by a
// signed webhook (the body is read raw, app.ts, because the signature is over
// the exact bytes), then goes the way of POST /v1/posts.
import type { Post } from '../../shared/post';
import { capturePostWithRetry } from '../../client/capture';
import { metrics } from '../../runtime/metrics';
import type { AppDeps } from '../deps';
import { HttpProblem } from '../http/problem';
import type { RouteHandlers } from '../http/mount';
import { validateBody } from '../http/validate';
import { isObject } from '../../util/is-object';
import { channelStatus } from './channels-status';

export function channelHandlers(deps: AppDeps): Pick<RouteHandlers, 'channelWebhook' | 'listChannels'> {
  return {
    listChannels: async (_req, res) => {
      res.json(await channelStatus(deps.client, deps.connectors));
    },
    channelWebhook: async (req, res) => {
      const source = req.params.source;
      const account = deps.connectors.account(source);
      if (!account?.webhook) throw new HttpProblem(404, 'Not Found', `no webhook source "${source}" in accounts.yaml`);
      let connector;
      try {
        connector = deps.connectors.forAccount(source);
      } catch (err) {
        // Its secret is not set on this host: the operator's to fix; the sender retries.
        throw new HttpProblem(503, 'Source not connected', (err as Error).message);
      }
      if (!connector?.verify) throw new HttpProblem(404, 'Not Found', `no webhook source "${source}" in accounts.yaml`);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const why = connector.verify(raw, req.headers);
      if (why !== null) throw new HttpProblem(401, 'Signature did not verify', why);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpProblem(400, 'Malformed JSON', 'the request body is not valid JSON');
      }
      // Standard Webhooks' envelope {type, timestamp, data}, or the post itself.
      const body = isObject(parsed) && isObject(parsed.data) && typeof parsed.type === 'string' ? parsed.data : parsed;
      const post = validateBody<Post>('post', body, 400);
      if (post.channel !== connector.channel) {
        throw new HttpProblem(
          422,
          'Wrong channel',
          `source "${source}" delivers ${connector.channel} posts; got channel "${post.channel}"`,
          [{ field: 'channel', message: `must be ${connector.channel}` }],
        );
      }
      const result = await capturePostWithRetry(
        deps.client,
        { taskQueue: deps.taskQueue, idleCloseMs: deps.idleCloseMs, maxHistoryEvents: deps.maxHistoryEvents, dedupMs: deps.dedupMs },
        post,
      );
      metrics.postsCaptured.inc({ channel: post.channel, duplicate: String(result.duplicate) });
      res.status(result.duplicate ? 200 : 202).json(result);
    },
  };
}
