// Every call to Temporal from the API has a deadline (DESIGN.md). This
// middleware gives the whole request one: the Temporal client keeps it in an
// AsyncLocalStorage and hands it to every gRPC call the handler makes,
// retries and long polls included (Connection.withDeadline), so nothing the
// handler awaits from Temporal outlives it. A call still unanswered then fails
// with DEADLINE_EXCEEDED, which problem.ts answers with 503 and Retry-After.
// Without it, a frozen server held requests for minutes and a dead one gave
// a 500 after ~20 s of the client's own retries.
//
// Mounted after the body parser: a context set before it would not reach
// the handler, which the parser calls from the request stream's events.
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps';

/** /healthz and /metrics answer a prober or a scraper: quickly, or not at all. */
export const PROBE_TIMEOUT_MS = 2_000;

export function temporalDeadline(deps: Pick<AppDeps, 'client' | 'captureTimeoutMs' | 'temporalTimeoutMs'>): RequestHandler {
  return (req, _res, next) => {
    // Unit tests build the app on a stub client that never reaches Temporal.
    if (typeof deps.client.withDeadline !== 'function') return next();
    const ms = budgetFor(req.path, deps);
    deps.client.withDeadline(Date.now() + ms, async () => next()).catch(next);
  };
}

function budgetFor(path: string, deps: Pick<AppDeps, 'captureTimeoutMs' | 'temporalTimeoutMs'>): number {
  if (path === '/v1/posts' || path.startsWith('/v1/channels/webhook/')) return deps.captureTimeoutMs;
  if (path === '/healthz' || path === '/metrics') return Math.min(PROBE_TIMEOUT_MS, deps.temporalTimeoutMs);
  return deps.temporalTimeoutMs;
}
