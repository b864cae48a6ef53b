// Bearer-token authentication for the decision endpoints. The tokens file
// holds only sha256 hashes, so a leaked file (or backup) grants nothing; a
// presented token is hashed and compared with every user's hash in constant
// time, so neither the match nor its position leaks through timing. Tokens
// themselves never reach a log line or an error message.
import crypto from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { watchPath, type PathWatch } from '../runtime/watch-path';
import { escapePointer } from '../policy/pack/json-pointer';
import { describeAjvError, validateSchema } from '../policy/pack/schemas';
import { parseYaml, positionOf, type PositionedMessage } from '../policy/pack/yaml-positions';
import { HttpProblem, sendProblem } from './http/problem';

export type Role = 'agent' | 'lead';

export interface User {
  name: string;
  /** Team id → role; the team `*` stands for every team. */
  teams: Record<string, Role>;
}

export interface UserEntry {
  name: string;
  tokenSha256: string;
  teams: Record<string, Role>;
}

interface StoredUser extends User {
  hash: Buffer;
}

/** Every team, in the `teams` of a user. */
export const ALL_TEAMS = '*';
export const TOKENS_FILE_NAME = 'tokens.yaml';
const MAX_FILE_BYTES = 1024 * 1024;
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A tokens file that does not load; `errors` are positioned, `message` lists them as file:line:col. */
export class TokensFileError extends Error {
  override readonly name = 'TokensFileError';

  constructor(
    readonly file: string,
    readonly errors: PositionedMessage[],
  ) {
    super(
      `tokens file ${file} has ${errors.length} error(s):\n${errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`).join('\n')}`,
    );
  }
}

export type TokensReloadEvent = { ok: true; users: number } | { ok: false; error: Error };

export class TokenStore {
  private users: StoredUser[];
  private watching: PathWatch | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string | null,
    users: StoredUser[],
  ) {
    this.users = users;
  }

  /** Reads and checks `file`; throws TokensFileError naming every problem. */
  static async load(file: string): Promise<TokenStore> {
    const abs = path.resolve(file);
    return new TokenStore(abs, await readUsers(abs));
  }

  /** For tests and embedders: users given directly, checked like a file. */
  static fromUsers(users: UserEntry[]): TokenStore {
    const data = { users };
    const errors = validateSchema('tokens', data).map(describeAjvError);
    errors.push(...duplicates(users).map((d) => d.message));
    if (errors.length > 0) throw new Error(`invalid users:\n${errors.join('\n')}`);
    return new TokenStore(null, users.map(toStored));
  }

  /** The user whose token is in `Authorization: Bearer <token>`, or null. */
  authenticate(authorization: string | undefined): User | null {
    if (typeof authorization !== 'string') return null;
    const match = BEARER.exec(authorization);
    if (!match) return null;
    const presented = crypto.createHash('sha256').update(match[1]!, 'utf8').digest();
    // No early exit: every hash is compared, whatever matched before it.
    let found: StoredUser | null = null;
    for (const user of this.users) {
      const equal = crypto.timingSafeEqual(presented, user.hash);
      if (equal && found === null) found = user;
    }
    return found ? { name: found.name, teams: { ...found.teams } } : null;
  }

  /** Reads the file again; a bad file rejects with TokensFileError and the previous users stay. */
  reload(): Promise<void> {
    const file = this.file;
    if (file === null) return Promise.resolve();
    const run = this.queue.then(async () => {
      this.users = await readUsers(file);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Reloads when the file changes, is replaced (editors save by renaming) or
   * its folder is recreated, and on SIGHUP. `onReload` hears about each attempt.
   */
  watch(onReload?: (event: TokensReloadEvent) => void): void {
    if (this.watching || this.file === null) return;
    const trigger = (): void => {
      this.reload().then(
        () => onReload?.({ ok: true, users: this.users.length }),
        (err: unknown) => onReload?.({ ok: false, error: err as Error }),
      );
    };
    this.watching = watchPath(this.file, trigger, { signal: 'SIGHUP' });
  }

  close(): void {
    this.watching?.close();
    this.watching = null;
  }
}

/** The user's role in `team` (their `*` role counts for every team); lead wins over agent. */
export function roleIn(user: User, team: string): Role | null {
  // Own keys only: a team named `constructor` must not find Object's.
  const roles = [team, ALL_TEAMS].map((t) => (Object.hasOwn(user.teams, t) ? user.teams[t] : undefined));
  if (roles.includes('lead')) return 'lead';
  if (roles.includes('agent')) return 'agent';
  return null;
}

/** Sets `res.locals.user`, or answers 401 problem+json. */
export function requireUser(store: TokenStore): RequestHandler {
  return (req, res, next) => {
    const user = store.authenticate(req.headers.authorization);
    if (user) {
      res.locals.user = user;
      next();
      return;
    }
    const detail = req.headers.authorization === undefined ? 'send Authorization: Bearer <token>' : 'the bearer token is not valid';
    res.setHeader('WWW-Authenticate', 'Bearer realm="hearken"');
    sendProblem(res, new HttpProblem(401, 'Unauthorized', detail), req.originalUrl);
  };
}

/**
 * Makes sure `<dataDir>/tokens.yaml` exists. When it does not, creates it
 * (mode 0600) with one user, `admin`, lead of every team, and returns the
 * new token: the only time it exists outside its owner's hands.
 */
export async function ensureTokensFile(dataDir: string): Promise<{ file: string; created?: { name: string; token: string } }> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), TOKENS_FILE_NAME);
  const token = `hk_${crypto.randomBytes(32).toString('base64url')}`;
  const name = 'admin';
  let handle;
  try {
    // 'wx': created here or not at all, so two processes never both win.
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { file };
    throw err;
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(
      [
        '# yaml-language-server: $schema=https://hearken.dev/schemas/tokens.schema.json',
        '# Hearken API users. Only sha256 hashes of bearer tokens belong here:',
        '#   printf %s "$TOKEN" | sha256sum',
        '# Roles per team: agent (approve, reject) or lead (also reassign); "*" is every team.',
        'users:',
        `  - name: ${name}`,
        `    tokenSha256: ${hashToken(token)}`,
        '    teams:',
        `      "${ALL_TEAMS}": lead`,
        '',
      ].join('\n'),
    );
  } finally {
    await handle.close();
  }
  return { file, created: { name, token } };
}

async function readUsers(file: string): Promise<StoredUser[]> {
  const at = (message: string, line = 1, col = 1): PositionedMessage => ({ file, line, col, message });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TokensFileError(file, [at(code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`)]);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new TokensFileError(file, [at(`too large (${bytes.length} bytes; at most ${MAX_FILE_BYTES})`)]);
  const yaml = parseYaml(file, bytes.toString('utf8'));
  if (yaml.errors.length > 0) throw new TokensFileError(file, yaml.errors);
  const data: unknown = yaml.doc.toJS({ maxAliasCount: 100 });
  const position = (pointer: string, key: boolean) => positionOf(yaml.doc, yaml.lineCounter, pointer, { key });
  const schemaErrors = validateSchema('tokens', data).map((err) => {
    const badKey = (err.params as { additionalProperty?: string }).additionalProperty ?? err.propertyName;
    const pointer = badKey !== undefined ? `${err.instancePath}/${escapePointer(badKey)}` : err.instancePath;
    const { line, col } = position(pointer, badKey !== undefined || err.keyword === 'required');
    return at(describeAjvError(err), line, col);
  });
  if (schemaErrors.length > 0)
    throw new TokensFileError(
      file,
      schemaErrors.sort((a, b) => a.line - b.line || a.col - b.col),
    );
  const users = (data as { users: UserEntry[] }).users;
  const dups = duplicates(users).map((d) => {
    const { line, col } = position(d.pointer, false);
    return at(d.message, line, col);
  });
  if (dups.length > 0) throw new TokensFileError(file, dups);
  return users.map(toStored);
}

/** Two users with one name would blur the audit trail; one token for two users, who decided. */
function duplicates(users: UserEntry[]): Array<{ pointer: string; message: string }> {
  const out: Array<{ pointer: string; message: string }> = [];
  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  users.forEach((u, i) => {
    const name = names.get(u.name);
    if (name !== undefined) out.push({ pointer: `/users/${i}/name`, message: `users[${i}].name: "${u.name}" is already users[${name}]` });
    else names.set(u.name, i);
    const hash = u.tokenSha256.toLowerCase();
    const same = hashes.get(hash);
    if (same !== undefined)
      out.push({ pointer: `/users/${i}/tokenSha256`, message: `users[${i}].tokenSha256: the same token as users[${same}]` });
    else hashes.set(hash, i);
  });
  return out;
}

function toStored(u: UserEntry): StoredUser {
  return { name: u.name, teams: { ...u.teams }, hash: Buffer.from(u.tokenSha256.toLowerCase(), 'hex') };
}
