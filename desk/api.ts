// Talking to Hearken's /v1 API from the page. The session is an HttpOnly
// cookie (POST /v1/session); state-changing requests carry its CSRF token.
// On a server without /v1/session yet, the token is kept in this tab's
// sessionStorage and sent as a bearer header instead (no ambient credential,
// so no CSRF token is needed then).

export interface User {
  name: string;
  role?: string;
  teams: Record<string, string>;
}

interface Session {
  user: User | null;
  csrfToken?: string;
  bearer?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | null,
  ) {
    super(String(body?.detail ?? body?.title ?? `HTTP ${status}`));
  }
}

const BEARER_STORE = 'hearken.desk.bearer';
let session: Session | null = null;
/** A session that worked: a 401 now means it ended (not a wrong token typed at login). */
let established = false;
const loggedOutHandlers: Array<() => void> = [];

export function onLoggedOut(fn: () => void): void {
  loggedOutHandlers.push(fn);
}

export function currentUser(): User | null {
  return session?.user ?? null;
}

/** Cookie session (live events work) or bearer fallback (the page polls). */
export function usesCookie(): boolean {
  return session !== null && session.bearer === undefined;
}

/** Lead (or admin) in `team`, or anywhere without a team. Unknown user (bearer fallback): the server decides. */
export function isLead(team?: string): boolean {
  const user = session?.user;
  if (!user) return true;
  const roles = team ? [user.teams[team], user.teams['*']] : Object.values(user.teams);
  return roles.some((r) => r === 'lead' || r === 'admin') || user.role === 'admin';
}

/** May decide in `team` (agent or above there, or in every team). Unknown user (bearer fallback): the server decides. */
export function canDecide(team: string): boolean {
  const user = session?.user;
  if (!user) return true;
  return [user.teams[team], user.teams['*']].some((r) => r === 'agent' || r === 'lead' || r === 'admin');
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (session?.bearer) h.authorization = `Bearer ${session.bearer}`;
  else if (session?.csrfToken && method !== 'GET') h['x-csrf-token'] = session.csrfToken;
  const res = await fetch(path, {
    method,
    headers: h,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  if (!res.ok) {
    if (res.status === 401 && established && !path.startsWith('/v1/session')) {
      session = null;
      established = false;
      sessionStorage.removeItem(BEARER_STORE);
      for (const fn of loggedOutHandlers) fn();
    }
    throw new ApiError(res.status, parsed as Record<string, unknown> | null);
  }
  return parsed as T;
}

interface SessionBody {
  user: User;
  csrfToken: string;
}

/** Logs in with a bearer token. Throws ApiError (401) on a bad token. */
export async function login(token: string): Promise<void> {
  session = null;
  try {
    const body = await api<SessionBody>('POST', '/v1/session', { token });
    session = { user: body.user, csrfToken: body.csrfToken };
    established = true;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    // No session route on this server: check the token, then keep it for this tab.
    session = { user: null, bearer: token };
    try {
      await api('GET', '/v1/escalations');
    } catch (e) {
      session = null;
      throw e;
    }
    sessionStorage.setItem(BEARER_STORE, token);
    established = true;
  }
}

/** The session this browser has already (cookie, or this tab's token), if any. */
export async function restore(): Promise<boolean> {
  try {
    const body = await api<SessionBody>('GET', '/v1/session');
    session = { user: body.user, csrfToken: body.csrfToken };
    established = true;
    return true;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) return false;
    const token = sessionStorage.getItem(BEARER_STORE);
    if (!token) return false;
    session = { user: null, bearer: token };
    established = true;
    return true;
  }
}

export async function logout(): Promise<void> {
  try {
    if (usesCookie()) await api('DELETE', '/v1/session');
  } finally {
    session = null;
    established = false;
    sessionStorage.removeItem(BEARER_STORE);
  }
}
