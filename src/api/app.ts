// createApp builds the express app without listening, so tests drive it over
// HTTP on an ephemeral port. Handlers stay thin: validate → domain → map.
// Routes come only from the route table (route-table.ts), which
// GET /openapi.json documents.
import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import { accessControl } from './auth';
import { SessionCodec } from './auth/session';
import { DeskEvents } from './desk/events';
import type { AppDeps } from './deps';
import { temporalDeadline } from './http/deadline';
import { deskRouter } from './http/desk';
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
import { sessionHandlers } from './routes/session';
import { deskHandlers } from './routes/desk';
import { agentHandlers } from './routes/agent';
import { templateHandlers } from './routes/templates';

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind load balancers, the per-IP limits and the access log need the client's address, not the balancer's.
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  app.use(requestTimer());
  app.use(securityHeaders());
  // The care desk page (static; its own CSP replaces the API's).
  app.use(deskRouter());
  // Before body parsing, so a flood of captures costs no JSON parsing.
  app.use('/v1/posts', captureRateLimit(deps.captureRatePerMinute, deps.limitStores));
  app.use('/v1/channels/webhook', captureRateLimit(deps.captureRatePerMinute, deps.limitStores));
  // Webhook signatures are over the exact bytes: that route reads the body raw (the JSON parser then skips it).
  app.use('/v1/channels/webhook', express.raw({ limit: '64kb', type: () => true }));
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'], verify: strictUtf8 }));
  app.use(temporalDeadline(deps));
  const sessions = deps.sessions ?? new SessionCodec(randomBytes(32));
  const access = accessControl({ ...deps, sessions });
  const deskEvents = deps.deskEvents ?? new DeskEvents({ client: deps.client, logger: deps.logger });
  app.use(
    routeTableRouter(
      {
        ...healthHandlers(deps),
        ...sessionHandlers(sessions, access),
        ...deskHandlers(deskEvents),
        ...agentHandlers(deps),
        ...templateHandlers(deps),
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
      access,
      deps.limitStores,
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
