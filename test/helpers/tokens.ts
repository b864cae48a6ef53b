// Tokens for tests, written the way production stores them (hashes only).
// Every tokens file a test writes holds, besides its own users, a viewer of
// every team and a connector's ingest token, which the request helpers of
// service.ts send when a test gives no headers: reads carry the viewer's
// token and captures the ingest token, as a care desk and a connector would.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { hashToken, type Role } from '../../src/api/auth';

export interface TestUser {
  name: string;
  token: string;
  teams: Record<string, Role>;
}

export interface TestConnector {
  name: string;
  token: string;
}

/** Reads everything, decides nothing. */
export const TEST_VIEWER: TestUser = { name: 'test-viewer', token: 'tok-test-viewer-0123456789', teams: { '*': 'viewer' } };
/** A connector: captures, and nothing else. */
export const TEST_INGEST: TestConnector = { name: 'test-ingest', token: 'tok-test-ingest-0123456789' };

/**
 * Writes a tokens file (hashes only, as in production) and returns its path:
 * `users`, plus TEST_VIEWER, plus the connectors (default: TEST_INGEST; `[]`
 * leaves capture without a token open on loopback, the quick start).
 */
export function writeTokensFile(
  dir: string,
  users: TestUser[],
  opts: { ingest?: TestConnector[]; expires?: Record<string, string> } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'tokens.yaml');
  const ingest = opts.ingest ?? [TEST_INGEST];
  const expiry = (name: string) => (opts.expires?.[name] ? { expires: opts.expires[name] } : {});
  fs.writeFileSync(
    file,
    stringify({
      users: [...users, TEST_VIEWER].map((u) => ({ name: u.name, tokenSha256: hashToken(u.token), teams: u.teams, ...expiry(u.name) })),
      ...(ingest.length ? { ingest: ingest.map((c) => ({ name: c.name, tokenSha256: hashToken(c.token), ...expiry(c.name) })) } : {}),
    }),
    { mode: 0o600 },
  );
  return file;
}

export const bearer = (u: { token: string }) => ({ authorization: `Bearer ${u.token}` });
