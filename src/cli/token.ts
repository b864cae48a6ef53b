// `hearken token add|list|revoke`: the tokens file, edited the way a person
// would (comments and order kept), under a cross-process lock and replaced
// atomically, so two commands at once lose nothing and a running API never
// reads half a file (it reloads on the rename). A new token is printed once,
// on stdout alone (so `TOKEN=$(hearken token add …)` works); only its sha256
// is written. Running services pick up every change within a moment.
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type YAMLSeq } from 'yaml';
import { forgetLastUsed, lastUsedFileFor, readLastUsed } from '../api/auth/last-used';
import { ALL_TEAMS, highestRole, ROLES, type Role } from '../api/auth/roles';
import {
  hashToken,
  newToken,
  parseTokensText,
  TOKENS_FILE_HEADER,
  TOKENS_FILE_NAME,
  TokensFileError,
  TokenStore,
  type IngestEntry,
  type TokenInfo,
  type UserEntry,
} from '../api/auth/tokens-file';
import { CliError, EXIT } from './errors';
import { cliSettings } from './settings';

export const TOKEN_ROLES = [...ROLES, 'ingest'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

const TEAM = /^[a-z0-9][a-z0-9-]{0,99}$/;
const NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,98}[^\s\p{Cc}])?$/u;
const RELATIVE = /^(\d{1,6})\s*(m|h|d|w)$/i;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--file`, else HEARKEN_TOKENS_FILE, else `$HEARKEN_DATA_DIR/tokens.yaml`: the file the API reads. */
export function tokensFile(explicit: string | undefined): string {
  if (explicit !== undefined) return path.resolve(explicit);
  const { tokensFile: configured, dataDir } = cliSettings(['tokensFile', 'dataDir']);
  return configured !== undefined ? path.resolve(configured) : path.join(dataDir, TOKENS_FILE_NAME);
}

/** `30d`, `12h`, `90m`, `2w` from now, or an ISO 8601 instant with an offset; it must lie ahead. */
export function parseExpiry(text: string, now: Date = new Date()): string {
  const trimmed = text.trim();
  const relative = RELATIVE.exec(trimmed);
  let at: number;
  if (relative) {
    at = now.getTime() + Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase() as keyof typeof UNIT_MS];
  } else {
    at = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) && /^\d{4}-\d{2}-\d{2}T/.test(trimmed) ? Date.parse(trimmed) : NaN;
    if (Number.isNaN(at))
      throw new CliError(
        `--expires must be a time from now (30d, 12h, 90m, 2w) or an ISO 8601 instant with an offset; got "${text}"`,
        EXIT.usage,
      );
  }
  if (at <= now.getTime()) throw new CliError(`--expires ${text} is not in the future`, EXIT.usage);
  return new Date(at).toISOString();
}

export interface AddOptions {
  role: string;
  teams?: string;
  expires?: string;
  file?: string;
}

/** `hearken token add <name> --role … [--teams a,b] [--expires 30d|ISO]` */
export async function addToken(name: string, opts: AddOptions, now: Date = new Date()): Promise<number> {
  if (!NAME.test(name))
    throw new CliError(
      `the name must be 1 to 100 characters, not starting or ending with a space; got ${JSON.stringify(name)}`,
      EXIT.usage,
    );
  if (!(TOKEN_ROLES as readonly string[]).includes(opts.role))
    throw new CliError(`--role must be one of ${TOKEN_ROLES.join(', ')}; got "${opts.role}"`, EXIT.usage);
  const role = opts.role as TokenRole;
  if (role === 'ingest' && opts.teams !== undefined)
    throw new CliError('an ingest token captures posts for every team: --teams does not apply to it', EXIT.usage);
  const teams = parseTeams(opts.teams);
  const expires = opts.expires !== undefined ? parseExpiry(opts.expires, now) : undefined;
  const file = tokensFile(opts.file);
  const token = newToken(role === 'ingest' ? 'ingest' : 'user');
  const entry: IngestEntry = {
    name,
    tokenSha256: hashToken(token),
    ...(role === 'ingest' ? {} : { teams: Object.fromEntries(teams.map((t) => [t, role])) }),
    created: now.toISOString(),
    ...(expires !== undefined ? { expires } : {}),
  };
  await editTokensFile(file, (doc, data) => {
    const taken = [...data.users, ...(data.ingest ?? [])].some((e) => e.name === name);
    if (taken) throw new CliError(`a token named "${name}" exists already in ${file}; revoke it first (hearken token revoke ${name})`);
    blockSeq(doc, role === 'ingest' ? 'ingest' : 'users').add(entryNode(doc, entry));
  });
  process.stdout.write(`${token}\n`);
  const scope =
    role === 'ingest'
      ? 'to capture posts'
      : `for ${teams.includes(ALL_TEAMS) ? 'every team' : `team${teams.length > 1 ? 's' : ''} ${teams.join(', ')}`}`;
  process.stderr.write(
    `added ${role} token "${name}" ${scope}${expires ? `, expiring ${expires}` : ''}, to ${file}.\n` +
      'The token above is shown this once; only its sha256 is stored. Running services pick it up within a second.\n',
  );
  return EXIT.ok;
}

/** `hearken token revoke <name>` */
export async function revokeToken(name: string, opts: { file?: string }): Promise<number> {
  const file = tokensFile(opts.file);
  let revoked: { kind: string; tokenSha256: string } | null = null;
  await editTokensFile(file, (doc, data) => {
    for (const list of ['users', 'ingest'] as const) {
      const index = (data[list] ?? []).findIndex((e) => e.name === name);
      if (index < 0) continue;
      revoked = { kind: list === 'users' ? 'person' : 'ingest', tokenSha256: data[list]![index]!.tokenSha256.toLowerCase() };
      (doc.get(list) as YAMLSeq).delete(index);
      return;
    }
    throw new CliError(`no token named "${name}" in ${file} (hearken token list shows them)`);
  });
  const done = revoked as { kind: string; tokenSha256: string } | null;
  if (done) await forgetLastUsed(lastUsedFileFor(file), [done.tokenSha256]).catch(() => undefined);
  process.stderr.write(`revoked ${done?.kind ?? ''} token "${name}" in ${file}; running services refuse it within a second.\n`);
  return EXIT.ok;
}

export interface ListedToken {
  name: string;
  role: string;
  teams: Record<string, Role> | null;
  created: string | null;
  expires: string | null;
  expired: boolean;
  lastUsed: string | null;
}

/** Every token: name, role, teams, created, expires, last used. Never the token, nor its hash. */
export async function listedTokens(file: string, now: number = Date.now()): Promise<ListedToken[]> {
  let infos: TokenInfo[];
  try {
    await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`no tokens file at ${file}: the service creates it at its first start, and hearken token add creates it too`);
  }
  try {
    const store = await TokenStore.load(file);
    infos = store.list();
  } catch (err) {
    throw asCliError(err);
  }
  const lastUsed = await readLastUsed(lastUsedFileFor(file)).catch(() => ({}) as Record<string, string>);
  return infos.map((t) => ({
    name: t.name,
    role: t.kind === 'ingest' ? 'ingest' : roleLabel(t.teams ?? {}),
    teams: t.teams,
    created: t.created,
    expires: t.expires,
    expired: t.expires !== null && Date.parse(t.expires) <= now,
    lastUsed: lastUsed[t.tokenSha256] ?? null,
  }));
}

/** `hearken token list [--json]` */
export async function listTokens(opts: { file?: string; json?: boolean }): Promise<number> {
  const file = tokensFile(opts.file);
  const tokens = await listedTokens(file);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = [
    ['NAME', 'ROLE', 'TEAMS', 'CREATED', 'EXPIRES', 'LAST USED'],
    ...tokens.map((t) => [
      t.name,
      t.role,
      teamsLabel(t.teams),
      t.created ?? '-',
      t.expires === null ? 'never' : `${t.expires}${t.expired ? ' (expired)' : ''}`,
      t.lastUsed ?? 'never',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (tokens.length === 0) process.stderr.write(`no tokens in ${file}\n`);
  return EXIT.ok;
}

function parseTeams(text: string | undefined): string[] {
  if (text === undefined) return [ALL_TEAMS];
  const teams = [...new Set(text.split(',').map((t) => t.trim()))];
  const bad = teams.filter((t) => t !== ALL_TEAMS && !TEAM.test(t));
  if (teams.length === 0 || bad.length > 0)
    throw new CliError(
      `--teams must list team ids (kebab-case, like customer-care) or *, separated by commas; got ${bad.map((t) => JSON.stringify(t)).join(', ') || '""'}`,
      EXIT.usage,
    );
  return teams;
}

/** One role for all teams: that role; otherwise the roles, highest first. */
function roleLabel(teams: Record<string, Role>): string {
  const roles = [...new Set(Object.values(teams))];
  return roles.length === 1 ? roles[0]! : (highestRole({ teams }) ?? '-') + ' (mixed)';
}

function teamsLabel(teams: Record<string, Role> | null): string {
  if (teams === null) return '-';
  const entries = Object.entries(teams);
  const uniform = new Set(entries.map(([, r]) => r)).size <= 1;
  return entries.map(([team, role]) => (uniform ? team : `${team}:${role}`)).join(',');
}

/**
 * Reads the tokens file (or starts one), lets `change` edit its YAML
 * document, checks the result like the API would, and replaces the file
 * atomically (mode 0600): all under a lock, so concurrent edits queue.
 */
async function editTokensFile(
  file: string,
  change: (doc: Document, data: { users: UserEntry[]; ingest?: IngestEntry[] }) => void,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, { realpath: false, retries: { retries: 40, minTimeout: 25, maxTimeout: 250 }, stale: 10_000 });
  } catch (err) {
    throw new CliError(`cannot lock ${file} for editing: ${(err as Error).message}`);
  }
  try {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      text = `${TOKENS_FILE_HEADER}\nusers: []\n`;
    }
    let data;
    try {
      data = parseTokensText(file, text);
    } catch (err) {
      throw asCliError(err, 'fix it first (the API keeps its last good tokens meanwhile)');
    }
    const doc = parseDocument(text);
    change(doc, data);
    const next = doc.toString();
    // What the API will read: a mistake here must not reach it.
    parseTokensText(file, next);
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, next, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
    }
  } finally {
    await release();
  }
}

/** The list under `key`, as a block sequence (an empty `[]` or a missing key becomes one). */
function blockSeq(doc: Document, key: 'users' | 'ingest'): YAMLSeq {
  const node = doc.get(key, true);
  if (isSeq(node) && (node.items.length > 0 || !node.flow)) return node;
  const seq = doc.createNode([]) as YAMLSeq;
  seq.flow = false;
  if (!isMap(doc.contents)) throw new CliError('the tokens file must be a mapping with users (and ingest)');
  doc.set(key, seq);
  return seq;
}

function entryNode(doc: Document, entry: IngestEntry & { teams?: Record<string, Role> }) {
  const node = doc.createNode(entry);
  // Instants quoted: YAML 1.1 readers would take them for timestamps.
  if (isMap(node))
    for (const pair of node.items)
      if (isScalar(pair.key) && (pair.key.value === 'created' || pair.key.value === 'expires') && isScalar(pair.value))
        pair.value.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function asCliError(err: unknown, advice?: string): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof TokensFileError)
    return new CliError(
      `${err.file} does not load${advice ? `; ${advice}` : ''}`,
      EXIT.failed,
      err.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`),
    );
  return new CliError((err as Error).message);
}
