// POST /v1/posts: capture a normalized post (validated with
// schemas/post.schema.json by the mount); it opens or joins the interaction
// of its thread. The same post twice is one post: 200 instead of 202.
import { metrics } from '../../runtime/metrics';
import { capturePostWithRetry } from '../../client/capture';
import type { AppDeps } from '../deps';
import type { RouteHandlers } from '../http/mount';

export function postHandlers(deps: AppDeps): Pick<RouteHandlers, 'capturePost'> {
  return {
    capturePost: async (_req, res, { body }) => {
      const post = body();
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
