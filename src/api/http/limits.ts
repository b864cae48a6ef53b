// Security headers and rate limits. By default the limits live in this
// process's memory: with N API processes a client gets up to N times each
// limit (each process counts alone), which is enough to stop a runaway client
// or a script guessing tokens, not a distributed flood (that belongs in front
// of the API). Given a shared store (HEARKEN_RATE_LIMIT_STORE=shared, in
// PostgreSQL), every process adds to the same counters and the limits hold
// for all of them together; a store that fails lets requests through.
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { HttpProblem, sendProblem } from './problem';

/** Connectors deliver in bursts (a backlog after an outage): generous by default. */
export const DEFAULT_CAPTURE_PER_MINUTE = 6000;
export const DEFAULT_DECISION_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

/**
 * Helmet tuned for a JSON API: nothing here is a page to render, so the
 * content security policy allows nothing, and answers (customer posts,
 * decisions) are not cached by browsers or proxies.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}

/** Where a limiter counts: a store per limiter name (shared), or none (this process's memory). */
export interface LimitStores {
  store(name: 'capture' | 'decision' | 'auth-failure'): Store;
  /** A shared store failed; the request was let through. */
  onError?(err: Error): void;
}

/** POST /v1/posts: per client IP. */
export function captureRateLimit(perMinute: number = DEFAULT_CAPTURE_PER_MINUTE, stores?: LimitStores): RequestHandler {
  return limiter('capture', perMinute, (req) => ipKey(req), stores);
}

/**
 * Decision endpoints: per authenticated user when mounted after requireUser
 * (one user, one token), else per client IP (which also slows token guessing).
 */
export function decisionRateLimit(perMinute: number = DEFAULT_DECISION_PER_MINUTE, stores?: LimitStores): RequestHandler {
  return limiter(
    'decision',
    perMinute,
    (req, res) => {
      const user = (res.locals as { user?: { name: string } }).user;
      return user ? `user:${user.name}` : ipKey(req);
    },
    stores,
  );
}

/** The client's address as a rate-limit key (an IPv6 client by its /56, as express-rate-limit advises). */
export function ipKey(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

function limiter(
  name: 'capture' | 'decision',
  perMinute: number,
  keyGenerator: (req: Request, res: Response) => string,
  stores: LimitStores | undefined,
): RequestHandler {
  if (!Number.isInteger(perMinute) || perMinute < 1)
    throw new Error(`${name} rate limit must be a whole number of requests per minute, at least 1; got ${perMinute}`);
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    // RateLimit-Policy and RateLimit (IETF draft 8); Retry-After on a 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    keyGenerator,
    ...(stores
      ? {
          store: stores.store(name),
          // A database restart must not refuse every capture: let it through, say so.
          passOnStoreError: true,
          logger: {
            error: (err: unknown) => stores.onError?.(err as Error),
            warn: (err: unknown) => stores.onError?.(err as Error),
          },
        }
      : {}),
    handler: (req, res) => {
      const retryAfter = res.getHeader('Retry-After');
      sendProblem(
        res,
        new HttpProblem(
          429,
          'Too Many Requests',
          `at most ${perMinute} ${name} requests per minute; retry after ${String(retryAfter ?? 60)} seconds`,
        ),
        req.originalUrl,
      );
    },
  });
}
