// Who may call which route: the route table says what each route needs
// (its `auth`), and the mount puts the gate built here in front of its
// handler. The gate knows the caller by their bearer token, refuses the
// wrong kind of token, counts failed authentications per client, notes each
// token's last use, and writes the access log: one line per read of customer
// data and per decision, with the user and the route, never a body.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ipKey, type LimitStores } from '../http/limits';
import { HttpProblem, sendProblem } from '../http/problem';
import { FailedAuthLimit } from './failed-auth-limit';
import type { LastUsedLog } from './last-used';
import { highestRole, mayDecide, mayReassign, roleIn, type Role } from './roles';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, type SessionClaims, type SessionCodec } from './session';
import type { Connector, Identity, TokenStore, User } from './tokens-file';

/**
 * What a route needs:
 * - `none`: open (health, the OpenAPI document, metrics);
 * - `read`: a person's token, any role (customer data);
 * - `decide`: a person's token with a role that decides (agent, lead, admin) in some team;
 * - `ingest`: a connector's ingest token (capture); no token at all while
 *   the API listens only on loopback and no ingest token exists (the local quick start).
 */
export type Access = 'none' | 'read' | 'decide' | 'ingest';

export interface AccessOptions {
  tokens: TokenStore;
  logger: Logger;
  /** The API listens on a loopback address only (HOST 127.0.0.1, ::1 or localhost). */
  loopbackOnly?: boolean;
  /** Failed authentications per client IP within five minutes before 429. */
  authFailureLimit?: number;
  lastUsed?: LastUsedLog;
  /** Shared counters (HEARKEN_RATE_LIMIT_STORE=shared); none: this process's memory. */
  limitStores?: LimitStores;
  /** Signs and checks the care desk's session cookies; none: only bearer tokens are taken. */
  sessions?: SessionCodec;
}

/** Who the gate let through, in `res.locals`. */
export interface AccessLocals {
  user?: User;
  connector?: Connector;
  /** Set when the request was authenticated by the session cookie, not a bearer token. */
  session?: SessionClaims;
}

/** The connector name of a capture without a token (loopback quick start). */
export const ANONYMOUS_CONNECTOR = 'anonymous (loopback)';

const CHALLENGE = 'Bearer realm="hearken"';

export interface AccessControl {
  /** The middleware for a route of the table. */
  gate(route: { operationId: string; path: string; auth: Access }): RequestHandler | null;
  /** Whether capture takes no token right now. */
  anonymousCapture(): boolean;
  /**
   * A login (POST /v1/session): who holds `token`, counted against the
   * failed-authentication limit like a bearer token; a problem when nobody does.
   */
  login(req: Request, token: string): Promise<{ user: User; tokenSha256: string }>;
}

/** Methods that change nothing: a cookie suffices, no CSRF token. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function accessControl(opts: AccessOptions): AccessControl {
  const stores = opts.limitStores;
  const failures = new FailedAuthLimit(
    opts.authFailureLimit,
    undefined,
    stores
      ? { store: stores.store('auth-failure'), ...(stores.onError ? { onError: (err: Error) => stores.onError?.(err) } : {}) }
      : undefined,
  );
  const anonymousCapture = (): boolean => opts.loopbackOnly === true && !opts.tokens.hasIngestTokens();

  const gate = (route: { operationId: string; path: string; auth: Access }): RequestHandler | null => {
    if (route.auth === 'none') return null;
    const logged = route.auth === 'read' || route.auth === 'decide';
    return async (req, res, next) => {
      if (logged) logAccessOnClose(opts.logger, route, req, res);
      const client = ipKey(req);
      const wait = await failures.retryAfter(client);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        refuse(req, res, 429, 'Too Many Requests', `too many failed authentications from this client; retry after ${wait} seconds`);
        return;
      }
      // A bearer token wins; without one, the session cookie (when sessions are on).
      const cookie = req.headers.authorization === undefined && opts.sessions ? readCookie(req.headers.cookie, SESSION_COOKIE) : undefined;
      if (cookie !== undefined && opts.sessions) {
        const claims = opts.sessions.verify(cookie);
        const who: Identity = claims ? opts.tokens.identifyHash(claims.tokenSha256) : { kind: 'none', reason: 'unknown' };
        if (who.kind !== 'user' || !claims) {
          // A cookie this secret never signed is a guess; an expired one or a revoked token is not.
          if (!claims && opts.sessions.verify(cookie, 0) === null) await failures.fail(client);
          res.setHeader('WWW-Authenticate', CHALLENGE);
          refuse(req, res, 401, 'Unauthorized', 'the session has expired or its token was revoked: log in again (POST /v1/session)');
          return;
        }
        if (!SAFE_METHODS.has(req.method)) {
          const why = crossSite(req) ?? (opts.sessions.checkCsrf(claims, req.get(CSRF_HEADER)) ? null : 'no valid X-CSRF-Token header');
          if (why) {
            sendProblem(
              res,
              new HttpProblem(403, 'Forbidden', `CSRF protection: ${why} on a request authenticated by the session cookie`, undefined, {
                reason: 'csrf',
              }),
              req.originalUrl,
            );
            return;
          }
        }
        opts.lastUsed?.touch(who.tokenSha256);
        (res.locals as AccessLocals).session = claims;
        admitUser(route, who, req, res, next);
        return;
      }
      const who = opts.tokens.identify(req.headers.authorization);
      if (who.kind === 'none') {
        if (who.reason === 'missing' && route.auth === 'ingest' && anonymousCapture()) {
          (res.locals as AccessLocals).connector = { name: ANONYMOUS_CONNECTOR };
          next();
          return;
        }
        if (who.reason !== 'missing') await failures.fail(client);
        res.setHeader('WWW-Authenticate', CHALLENGE);
        refuse(req, res, 401, 'Unauthorized', unauthorizedDetail(who.reason, route.auth, opts.loopbackOnly === true));
        return;
      }
      opts.lastUsed?.touch(who.tokenSha256);
      if (who.kind === 'ingest') {
        (res.locals as AccessLocals).connector = who.connector;
        if (route.auth !== 'ingest') {
          refuse(req, res, 403, 'Forbidden', 'an ingest token captures posts (POST /v1/posts) and nothing else');
          return;
        }
        next();
        return;
      }
      admitUser(route, who, req, res, next);
    };
  };
  const admitUser = (
    route: { auth: Access },
    who: Extract<Identity, { kind: 'user' }>,
    req: Request,
    res: Response,
    next: () => void,
  ): void => {
    (res.locals as AccessLocals).user = who.user;
    if (route.auth === 'ingest') {
      refuse(
        req,
        res,
        403,
        'Forbidden',
        "capture takes a connector's ingest token, not a person's (hearken token add <name> --role ingest)",
      );
      return;
    }
    if (route.auth === 'decide' && !mayDecide(highestRole(who.user))) {
      refuse(req, res, 403, 'Forbidden', `${who.user.name} is a viewer: viewers read, they do not decide`);
      return;
    }
    next();
  };
  const login = async (req: Request, token: string): Promise<{ user: User; tokenSha256: string }> => {
    const client = ipKey(req);
    const wait = await failures.retryAfter(client);
    if (wait > 0)
      throw new HttpProblem(
        429,
        'Too Many Requests',
        `too many failed authentications from this client; retry after ${wait} seconds`,
        undefined,
        {},
        { 'Retry-After': String(wait) },
      );
    const why = crossSite(req);
    if (why) throw new HttpProblem(403, 'Forbidden', `CSRF protection: ${why}`, undefined, { reason: 'csrf' });
    const who = opts.tokens.identify(`Bearer ${token}`);
    if (who.kind === 'user') {
      opts.lastUsed?.touch(who.tokenSha256);
      return { user: who.user, tokenSha256: who.tokenSha256 };
    }
    if (who.kind === 'ingest')
      throw new HttpProblem(403, 'Forbidden', "an ingest token captures posts; it cannot log in (a person's token can)");
    await failures.fail(client);
    throw new HttpProblem(
      401,
      'Unauthorized',
      who.reason === 'expired' ? 'the token has expired' : 'the token is not valid',
      undefined,
      {},
      {
        'WWW-Authenticate': CHALLENGE,
      },
    );
  };
  return { gate, anonymousCapture, login };
}

/**
 * Why a request comes from another site (a cross-site Sec-Fetch-Site, or an
 * Origin that is not this host), or null. Browsers send one or both on every
 * state-changing request; tools like curl send neither and hold no cookie anyway.
 */
export function crossSite(req: Request): string | null {
  if (req.get('sec-fetch-site') === 'cross-site') return 'a cross-site request (Sec-Fetch-Site)';
  const origin = req.get('origin');
  if (origin === undefined) return null;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  return host !== null && host === req.get('host') ? null : `Origin ${origin.slice(0, 100)} is not this site`;
}

/**
 * The role `user` decides with on an escalation of `team`, or 403 saying why
 * not: not in the team, only a viewer there, or reassigning without lead.
 */
export function decisionRole(user: User, team: string, decision: string): Role {
  const role = roleIn(user, team);
  if (!role) throw new HttpProblem(403, 'Forbidden', `${user.name} is not in team ${team}`);
  if (!mayDecide(role)) throw new HttpProblem(403, 'Forbidden', `${user.name} is a viewer in team ${team}: viewers do not decide`);
  if (decision === 'reassign' && !mayReassign(role))
    throw new HttpProblem(403, 'Forbidden', `reassigning needs the lead role in team ${team}`);
  return role;
}

function unauthorizedDetail(reason: 'missing' | 'malformed' | 'unknown' | 'expired', auth: Access, loopbackOnly: boolean): string {
  switch (reason) {
    case 'missing':
      if (auth !== 'ingest') return 'send Authorization: Bearer <token>';
      return loopbackOnly
        ? 'capture needs an ingest token once one exists (hearken token list): send Authorization: Bearer <ingest token>'
        : 'capture needs an ingest token when the API listens beyond loopback: send Authorization: Bearer <ingest token>';
    case 'malformed':
      return 'the Authorization header must be Bearer <token>';
    case 'expired':
      return 'the bearer token has expired';
    case 'unknown':
      return 'the bearer token is not valid';
  }
}

function refuse(req: Request, res: Response, status: number, title: string, detail: string): void {
  sendProblem(res, new HttpProblem(status, title, detail), req.originalUrl);
}

/**
 * One line per request to a route that reads customer data or decides, once
 * it is answered: who (the token's user; null when refused before one was
 * known), which route, which path, the status. Never a body: no post text,
 * no reply, no note.
 */
function logAccessOnClose(logger: Logger, route: { operationId: string; path: string }, req: Request, res: Response): void {
  res.once('close', () => {
    const { user, connector } = res.locals as AccessLocals;
    logger.info(
      {
        access: {
          user: user?.name ?? connector?.name ?? null,
          route: route.operationId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ip: req.ip ?? null,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
      },
      'access',
    );
  });
}
