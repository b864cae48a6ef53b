// Browser sessions for the care desk: after a login with a person's bearer
// token, the browser holds an HttpOnly, SameSite=Strict cookie instead of the
// token. The cookie is stateless and signed (HMAC-SHA256 with the session
// secret), so any API process sharing the secret accepts it: nothing lives in
// one process's memory. It names the token by its sha256 (what the tokens file
// stores), so every request looks the token up again and a revoked or expired
// token ends its sessions at once. It also carries a random session id, to
// which the CSRF token is bound: HMAC(secret, "csrf:" + id), never stored.
import crypto from 'node:crypto';
import { open, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export const SESSION_COOKIE = 'hearken_session';
export const CSRF_HEADER = 'x-csrf-token';
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;
export const SESSION_SECRET_FILE = 'session-secret';

/** What a valid cookie says. */
export interface SessionClaims {
  /** sha256 (hex) of the person's bearer token. */
  tokenSha256: string;
  /** Random; binds the CSRF token. */
  sid: string;
  /** ms since the epoch. */
  expiresAt: number;
}

const VERSION = 'v1';

export class SessionCodec {
  private readonly key: Buffer;

  constructor(
    secret: string | Buffer,
    readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
  ) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (bytes.length < 32) throw new Error('the session secret must have at least 32 bytes');
    // Derived, so the raw secret is never used for two purposes.
    this.key = crypto.createHmac('sha256', bytes).update('hearken session v1').digest();
  }

  /** A new session for the token with this sha256: the cookie value and its CSRF token. */
  issue(tokenSha256: string, now: number = Date.now()): { cookie: string; csrfToken: string; claims: SessionClaims } {
    const claims: SessionClaims = { tokenSha256, sid: crypto.randomBytes(16).toString('base64url'), expiresAt: now + this.ttlMs };
    const payload = Buffer.from(JSON.stringify({ t: claims.tokenSha256, s: claims.sid, e: claims.expiresAt }), 'utf8').toString(
      'base64url',
    );
    return { cookie: `${VERSION}.${payload}.${this.sign(payload)}`, csrfToken: this.csrfToken(claims.sid), claims };
  }

  /** The claims of a cookie value this secret signed and that has not expired; null otherwise. */
  verify(cookie: string | undefined, now: number = Date.now()): SessionClaims | null {
    if (!cookie || cookie.length > 1000) return null;
    const [version, payload, signature, ...rest] = cookie.split('.');
    if (version !== VERSION || !payload || !signature || rest.length > 0) return null;
    if (!equal(signature, this.sign(payload))) return null;
    let data: { t?: unknown; s?: unknown; e?: unknown };
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof data;
    } catch {
      return null;
    }
    if (typeof data.t !== 'string' || !/^[0-9a-f]{64}$/.test(data.t) || typeof data.s !== 'string' || typeof data.e !== 'number')
      return null;
    if (now >= data.e) return null;
    return { tokenSha256: data.t, sid: data.s, expiresAt: data.e };
  }

  csrfToken(sid: string): string {
    return crypto.createHmac('sha256', this.key).update(`csrf:${sid}`).digest('base64url');
  }

  /** Whether `presented` is the CSRF token of this session (constant time). */
  checkCsrf(claims: SessionClaims, presented: string | undefined): boolean {
    return typeof presented === 'string' && equal(presented, this.csrfToken(claims.sid));
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.key).update(`session:${payload}`).digest('base64url');
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

/**
 * The session secret when HEARKEN_SESSION_SECRET is unset: `<dataDir>/session-secret`,
 * created (mode 0600, 32 random bytes) by the first process that needs it. API
 * processes on several hosts share it through the data folder or set the variable.
 */
export async function ensureSessionSecret(dataDir: string): Promise<Buffer> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), SESSION_SECRET_FILE);
  try {
    // 'wx': created here or not at all, so two processes never write two secrets.
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(crypto.randomBytes(32).toString('base64url') + '\n');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A process that lost the race may read before the winner wrote: wait for the bytes.
  for (let attempt = 0; ; attempt++) {
    const text = (await readFile(file, 'utf8')).trim();
    if (text.length >= 32) return Buffer.from(text, 'utf8');
    if (attempt >= 50) throw new Error(`${file} holds no session secret (at least 32 characters); delete it to make a new one`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
