// The care desk's login: a person's bearer token is exchanged for a signed
// session cookie (auth/session.ts) that every /v1 route then accepts like the
// token itself; the gate (auth/access.ts) checks it and the CSRF token.
import type { Request } from 'express';
import { highestRole, type AccessControl, type AccessLocals, type User } from '../auth';
import { crossSite } from '../auth/access';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, type SessionCodec } from '../auth/session';
import type { RouteHandlers } from '../http/mount';
import { HttpProblem } from '../http/problem';
import type { Session } from '../types.generated';

export function sessionHandlers(
  sessions: SessionCodec,
  access: AccessControl,
): Pick<RouteHandlers, 'createSession' | 'getSession' | 'deleteSession'> {
  return {
    createSession: async (req, res, { body }) => {
      const { token } = body();
      const { user, tokenSha256 } = await access.login(req, token);
      const issued = sessions.issue(tokenSha256);
      res.cookie(SESSION_COOKIE, issued.cookie, cookieOptions(req, sessions.ttlMs));
      res.json(sessionBody(user, issued.csrfToken, issued.claims.expiresAt));
    },

    getSession: (_req, res) => {
      const { user, session } = res.locals as AccessLocals & { user: User };
      res.json(sessionBody(user, session ? sessions.csrfToken(session.sid) : '', session?.expiresAt ?? null));
    },

    deleteSession: (req, res) => {
      // A live session logs out only with its CSRF token: another site cannot log the desk out.
      const claims = sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (claims) {
        const why = crossSite(req) ?? (sessions.checkCsrf(claims, req.get(CSRF_HEADER)) ? null : 'no valid X-CSRF-Token header');
        if (why) throw new HttpProblem(403, 'Forbidden', `CSRF protection: ${why}`, undefined, { reason: 'csrf' });
      }
      const { maxAge: _maxAge, ...options } = cookieOptions(req, 0);
      res.clearCookie(SESSION_COOKIE, options);
      res.status(204).end();
    },
  };
}

function cookieOptions(req: Request, maxAge: number) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure, maxAge };
}

function sessionBody(user: User, csrfToken: string, expiresAt: number | null): Session {
  return {
    user: { name: user.name, role: highestRole(user) ?? 'viewer', teams: { ...user.teams } },
    csrfToken,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
  };
}
