import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { hashToken } from '../../src/api/auth';

export interface TestUser {
  name: string;
  token: string;
  teams: Record<string, 'agent' | 'lead'>;
}

/** Writes a tokens file (hashes only, as in production) and returns its path. */
export function writeTokensFile(dir: string, users: TestUser[]): string {
  const file = path.join(dir, 'tokens.yaml');
  fs.writeFileSync(file, stringify({ users: users.map((u) => ({ name: u.name, tokenSha256: hashToken(u.token), teams: u.teams })) }), {
    mode: 0o600,
  });
  return file;
}

export const bearer = (u: TestUser) => ({ authorization: `Bearer ${u.token}` });
