import { Router } from 'express';
import type { Post } from '../../shared/post';
import { metrics } from '../../runtime/metrics';
import { capturePostWithRetry } from '../../client/capture';
import type { AppDeps } from '../deps';
import { validateBody } from '../http/validate';

export function postRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/v1/posts', async (req, res) => {
    const post = validateBody<Post>('post', req.body);
    const result = await capturePostWithRetry(
      deps.client,
      { taskQueue: deps.taskQueue, idleCloseMs: deps.idleCloseMs, maxHistoryEvents: deps.maxHistoryEvents },
      post,
    );
    metrics.postsCaptured.inc({ channel: post.channel, duplicate: String(result.duplicate) });
    res.status(result.duplicate ? 200 : 202).json(result);
  });
  return r;
}
