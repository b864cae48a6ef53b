// The tokens file: who may call the API, and as what. People's tokens read
// and decide (a role per team); connectors' ingest tokens capture posts and
// do nothing else. The file holds only sha256 hashes, so a leaked file (or
// backup) grants nothing; a presented token is hashed and compared with every
// entry's hash in constant time, so neither the match nor its position leaks
// through timing. Tokens themselves never reach a log line or an error message.
import crypto from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { watchPath, type PathWatch } from '../../runtime/watch-path';
import { escapePointer } from '../../policy/pack/json-pointer';
import { describeAjvError, validateSchema } from '../../policy/pack/schemas';
import { parseYaml, positionOf, type PositionedMessage } from '../../policy/pack/yaml-positions';
import { ALL_TEAMS, type Role } from './roles';

/** A person: a role in each of their teams (`*`: every team). */
export interface User {
  name: string;
  /** Team id → role; the team `*` stands for every team. */
  teams: Record<string, Role>;
}

/** A connector holding an ingest token. */
export interface Connector {
  name: string;
}

export interface UserEntry {
  name: string;
  tokenSha256: string;
  teams: Record<string, Role>;
  /** ISO 8601. */
  created?: string;
  /** ISO 8601; from then on the token gets 401. */
  expires?: string;
}

export type IngestEntry = Omit<UserEntry, 'teams'>;

/** What the tokens file holds, as written. */
export interface TokensData {
  users: UserEntry[];
  ingest?: IngestEntry[];
}

/** Who presented a token, or why nobody did. */
export type Identity =
  | { kind: 'user'; user: User; tokenSha256: string }
  | { kind: 'ingest'; connector: Connector; tokenSha256: string }
  | { kind: 'none'; reason: 'missing' | 'malformed' | 'unknown' | 'expired' };

/** One token as `hearken token list` shows it (never the token, and the hash only to join its last use). */
export interface TokenInfo {
  kind: 'user' | 'ingest';
  name: string;
  teams: Record<string, Role> | null;
  created: string | null;
  expires: string | null;
  tokenSha256: string;
}

interface StoredEntry {
  kind: 'user' | 'ingest';
  name: string;
  teams: Record<string, Role>;
  hash: Buffer;
  hashHex: string;
  created: string | null;
  expires: string | null;
  /** ms since the epoch; Infinity when it does not expire. */
  expiresAt: number;
}

export const TOKENS_FILE_NAME = 'tokens.yaml';
const MAX_FILE_BYTES = 1024 * 1024;
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random bearer token; `hki_` marks a connector's, so a leaked one is recognised for what it is. */
export function newToken(kind: 'user' | 'ingest'): string {
  return `${kind === 'ingest' ? 'hki_' : 'hk_'}${crypto.randomBytes(32).toString('base64url')}`;
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
  /** People's and connectors' tokens. */
  private users: StoredEntry[];
  private watching: PathWatch | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string | null,
    users: StoredEntry[],
  ) {
    this.users = users;
  }

  /** Reads and checks `file`; throws TokensFileError naming every problem. */
  static async load(file: string): Promise<TokenStore> {
    const abs = path.resolve(file);
    return new TokenStore(abs, await readUsers(abs));
  }

  /** For tests and embedders: users (and connectors) given directly, checked like a file. */
  static fromUsers(users: UserEntry[], ingest: IngestEntry[] = []): TokenStore {
    const data: TokensData = { users, ...(ingest.length ? { ingest } : {}) };
    const errors = validateSchema('tokens', data).map(describeAjvError);
    errors.push(...duplicates(data).map((d) => d.message));
    if (errors.length > 0) throw new Error(`invalid users:\n${errors.join('\n')}`);
    return new TokenStore(null, toStored(data));
  }

  /** Whether any connector has an ingest token (then capture always needs one). */
  hasIngestTokens(): boolean {
    return this.users.some((e) => e.kind === 'ingest');
  }

  /** Every token, without the tokens. */
  list(): TokenInfo[] {
    return this.users.map((e) => ({
      kind: e.kind,
      name: e.name,
      teams: e.kind === 'user' ? { ...e.teams } : null,
      created: e.created,
      expires: e.expires,
      tokenSha256: e.hashHex,
    }));
  }

  /** Who sent `Authorization: Bearer <token>` (a person or a connector), or why nobody is known. */
  identify(authorization: string | undefined, now: number = Date.now()): Identity {
    if (authorization === undefined) return { kind: 'none', reason: 'missing' };
    const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
    if (!match) return { kind: 'none', reason: 'malformed' };
    const presented = crypto.createHash('sha256').update(match[1]!, 'utf8').digest();
    // No early exit: every hash is compared, whatever matched before it.
    let found: StoredEntry | null = null;
    for (const entry of this.users) {
      const equal = crypto.timingSafeEqual(presented, entry.hash);
      if (equal && found === null) found = entry;
    }
    if (found === null) return { kind: 'none', reason: 'unknown' };
    if (now >= found.expiresAt) return { kind: 'none', reason: 'expired' };
    return found.kind === 'user'
      ? { kind: 'user', user: { name: found.name, teams: { ...found.teams } }, tokenSha256: found.hashHex }
      : { kind: 'ingest', connector: { name: found.name }, tokenSha256: found.hashHex };
  }

  /**
   * The person whose token has this sha256 (a session cookie names it so), or
   * why nobody: a revoked or expired token ends its sessions at once.
   * Connectors' tokens open no sessions.
   */
  identifyHash(tokenSha256: string, now: number = Date.now()): Identity {
    const presented = /^[0-9a-f]{64}$/.test(tokenSha256) ? Buffer.from(tokenSha256, 'hex') : null;
    if (presented === null) return { kind: 'none', reason: 'malformed' };
    let found: StoredEntry | null = null;
    for (const entry of this.users) {
      const equal = crypto.timingSafeEqual(presented, entry.hash);
      if (equal && found === null) found = entry;
    }
    if (found === null || found.kind !== 'user') return { kind: 'none', reason: 'unknown' };
    if (now >= found.expiresAt) return { kind: 'none', reason: 'expired' };
    return { kind: 'user', user: { name: found.name, teams: { ...found.teams } }, tokenSha256: found.hashHex };
  }

  /** The person whose valid token is in `Authorization: Bearer <token>`, or null (connectors too). */
  authenticate(authorization: string | undefined): User | null {
    const who = this.identify(authorization);
    return who.kind === 'user' ? who.user : null;
  }

  /** Reads the file again; a bad file rejects with TokensFileError and the previous tokens stay. */
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
   * its folder is recreated, and on SIGHUP; with `pollMs`, also when a look
   * every `pollMs` finds it changed. `onReload` hears about each attempt.
   */
  watch(onReload?: (event: TokensReloadEvent) => void, opts: { pollMs?: number; events?: boolean } = {}): void {
    if (this.watching || this.file === null) return;
    const trigger = (): void => {
      this.reload().then(
        () => onReload?.({ ok: true, users: this.users.length }),
        (err: unknown) => onReload?.({ ok: false, error: err as Error }),
      );
    };
    // pollMs: a tokens file on a folder shared by several API hosts changes without local events.
    this.watching = watchPath(this.file, trigger, {
      signal: 'SIGHUP',
      ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
      ...(opts.events === false ? { events: false } : {}),
    });
  }

  close(): void {
    this.watching?.close();
    this.watching = null;
  }
}

/** The header comment of a tokens file Hearken creates. */
export const TOKENS_FILE_HEADER = [
  '# yaml-language-server: $schema=https://hearken.dev/schemas/tokens.schema.json',
  '# Hearken API tokens: edit with `hearken token add|list|revoke`. Only sha256 hashes',
  '# of bearer tokens belong here:  printf %s "$TOKEN" | sha256sum',
  '# users: a role per team (viewer reads; agent also approves and rejects; lead also',
  '# reassigns; admin can do all a lead can); "*" is every team.',
  '# ingest: connectors; their tokens capture posts and nothing else.',
].join('\n');

/**
 * Makes sure `<dataDir>/tokens.yaml` exists. When it does not, creates it
 * (mode 0600) with one user, `admin`, admin of every team, and returns the
 * new token: the only time it exists outside its owner's hands.
 */
export async function ensureTokensFile(dataDir: string): Promise<{ file: string; created?: { name: string; token: string } }> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), TOKENS_FILE_NAME);
  const token = newToken('user');
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
        TOKENS_FILE_HEADER,
        'users:',
        `  - name: ${name}`,
        `    tokenSha256: ${hashToken(token)}`,
        '    teams:',
        `      "${ALL_TEAMS}": admin`,
        `    created: "${new Date().toISOString()}"`,
        '',
      ].join('\n'),
    );
  } finally {
    await handle.close();
  }
  return { file, created: { name, token } };
}

async function readUsers(file: string): Promise<StoredEntry[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TokensFileError(file, [
      { file, line: 1, col: 1, message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` },
    ]);
  }
  if (bytes.length > MAX_FILE_BYTES)
    throw new TokensFileError(file, [{ file, line: 1, col: 1, message: `too large (${bytes.length} bytes; at most ${MAX_FILE_BYTES})` }]);
  return toStored(parseTokensText(file, bytes.toString('utf8')));
}

/** The content of a tokens file, checked; throws TokensFileError naming every problem with its position. */
export function parseTokensText(file: string, text: string): TokensData {
  const at = (message: string, line = 1, col = 1): PositionedMessage => ({ file, line, col, message });
  const yaml = parseYaml(file, text);
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
  const tokens = data as TokensData;
  const dups = duplicates(tokens).map((d) => {
    const { line, col } = position(d.pointer, false);
    return at(d.message, line, col);
  });
  if (dups.length > 0) throw new TokensFileError(file, dups);
  return tokens;
}

/**
 * Two entries with one name would blur the audit trail (and `token revoke`);
 * one token for two entries, who acted. Names and tokens are unique across
 * people and connectors.
 */
function duplicates(data: TokensData): Array<{ pointer: string; message: string }> {
  const out: Array<{ pointer: string; message: string }> = [];
  const names = new Map<string, string>();
  const hashes = new Map<string, string>();
  const all = [
    ...data.users.map((u, i) => ({ entry: u as IngestEntry, list: 'users', i })),
    ...(data.ingest ?? []).map((c, i) => ({ entry: c, list: 'ingest', i })),
  ];
  for (const { entry, list, i } of all) {
    const here = `${list}[${i}]`;
    const name = names.get(entry.name);
    if (name !== undefined) out.push({ pointer: `/${list}/${i}/name`, message: `${here}.name: "${entry.name}" is already ${name}` });
    else names.set(entry.name, here);
    const hash = entry.tokenSha256.toLowerCase();
    const same = hashes.get(hash);
    if (same !== undefined) out.push({ pointer: `/${list}/${i}/tokenSha256`, message: `${here}.tokenSha256: the same token as ${same}` });
    else hashes.set(hash, here);
  }
  return out;
}

function toStored(data: TokensData): StoredEntry[] {
  const stored = (kind: StoredEntry['kind'], e: IngestEntry, teams: Record<string, Role>): StoredEntry => {
    const hashHex = e.tokenSha256.toLowerCase();
    return {
      kind,
      name: e.name,
      teams: { ...teams },
      hash: Buffer.from(hashHex, 'hex'),
      hashHex,
      created: e.created ?? null,
      expires: e.expires ?? null,
      expiresAt: e.expires !== undefined ? Date.parse(e.expires) : Infinity,
    };
  };
  return [...data.users.map((u) => stored('user', u, u.teams)), ...(data.ingest ?? []).map((c) => stored('ingest', c, {}))];
}
