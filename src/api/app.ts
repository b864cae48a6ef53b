// createApp builds the express app without listening, so tests drive it over
// HTTP on an ephemeral port. Handlers stay thin: validate → domain → map.
// Routes come only from the route table (route-table.ts), which
// GET /openapi.json documents.
import express, { type Express } from 'express';
import { accessControl } from './auth';
import type { AppDeps } from './deps';
import { temporalDeadline } from './http/deadline';
import { captureRateLimit, securityHeaders } from './http/limits';
import { routeTableRouter } from './http/mount';
import { HttpProblem, problemMiddleware, sendProblem } from './http/problem';
import { strictUtf8 } from './http/utf8';
import { openApiDocument } from './openapi';
import { channelHandlers } from './routes/channels';
import { controlsHandlers } from './routes/controls';
import { crisisHandlers } from './routes/crises';
import { escalationHandlers } from './routes/escalations';
import { healthHandlers } from './routes/health';
import { interactionHandlers } from './routes/interactions';
import { listHandlers } from './routes/lists';
import { metricsHandlers, requestTimer } from './routes/metrics';
import { policyHandlers } from './routes/policies';
import { postHandlers } from './routes/posts';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestTimer());
  app.use(securityHeaders());
  // Before body parsing, so a flood of captures costs no JSON parsing.
  app.use('/v1/posts', captureRateLimit(deps.captureRatePerMinute));
  app.use('/v1/channels/webhook', captureRateLimit(deps.captureRatePerMinute));
  // Webhook signatures are over the exact bytes: that route reads the body raw (the JSON parser then skips it).
  app.use('/v1/channels/webhook', express.raw({ limit: '64kb', type: () => true }));
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'], verify: strictUtf8 }));
  app.use(temporalDeadline(deps));
  app.use(
    routeTableRouter(
      {
        ...healthHandlers(deps),
        ...postHandlers(deps),
        ...channelHandlers(deps),
        ...listHandlers(deps),
        ...interactionHandlers(deps),
        ...escalationHandlers(deps),
        ...controlsHandlers(deps),
        ...crisisHandlers(deps),
        ...policyHandlers(deps),
        ...metricsHandlers(deps),
        openApi: (_req, res) => {
          res.json(openApiDocument());
        },
      },
      accessControl(deps),
    ),
  );
  app.use((req, res) => sendProblem(res, new HttpProblem(404, 'Not Found', `no route for ${req.method} ${req.path}`), req.originalUrl));
  app.use(
    problemMiddleware((err, req, problem) => {
      // An outage answers every request with 503: one line each, not a stack trace each.
      if (problem.status === 503) deps.logger.warn({ method: req.method, url: req.url, detail: problem.detail }, 'Temporal unavailable');
      else deps.logger.error({ err, method: req.method, url: req.url }, 'request failed');
    }),
  );
  return app;
}
