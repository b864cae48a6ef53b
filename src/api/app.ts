// createApp builds the express app without listening, so tests drive it over
// HTTP on an ephemeral port. Handlers stay thin: validate → domain → map.
import express, { type Express } from 'express';
import type { AppDeps } from './deps';
import { captureRateLimit, securityHeaders } from './http/limits';
import { openApiDocument } from './openapi';
import { HttpProblem, problemMiddleware, sendProblem } from './http/problem';
import { escalationRoutes } from './routes/escalations';
import { healthRoutes } from './routes/health';
import { interactionRoutes } from './routes/interactions';
import { listRoutes } from './routes/lists';
import { metricsRoutes, requestTimer } from './routes/metrics';
import { policyRoutes } from './routes/policies';
import { postRoutes } from './routes/posts';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestTimer());
  app.use(securityHeaders());
  app.use('/v1/posts', captureRateLimit(deps.captureRatePerMinute));
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.use(healthRoutes(deps));
  app.use(postRoutes(deps));
  app.use(listRoutes(deps));
  app.use(interactionRoutes(deps));
  app.use(escalationRoutes(deps));
  app.use(policyRoutes(deps));
  app.use(metricsRoutes(deps));
  app.use((req, res) => sendProblem(res, new HttpProblem(404, 'Not Found', `no route for ${req.method} ${req.path}`), req.originalUrl));
  app.use(
    problemMiddleware((err, req) => {
      deps.logger.error({ err, method: req.method, url: req.url }, 'request failed');
    }),
  );
  return app;
}
