// Every environment variable src/ reads, declared once in SETTINGS: name,
// default, parser and description. This is the only module under src/ that
// touches process.env (eslint enforces it), so a variable cannot be read in a
// second place with a second default, and a bad value stops the start with
// one line naming it instead of failing later, deep inside a triage or a
// listen(). The README's "Configuration" table is checked against SETTINGS
// by test/unit/config.test.ts.
import os from 'node:os';
import path from 'node:path';
import type { LevelWithSilent } from 'pino';
import { DEFAULT_REACH, type ReachThresholds } from '../triage/context';

/** The environment as given: process.env, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Malformed variables; each line names one, its value and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A parser's answer for text it cannot use. */
const INVALID = Symbol('invalid');
type Parse<T> = (text: string) => T | typeof INVALID;

export interface Setting<T> {
  /** The environment variable. */
  readonly env: string;
  /** Used when the variable is unset or blank, as the README shows it; undefined: the value is undefined. */
  readonly default: string | undefined;
  /** What it is for: the README "what" column, verbatim. */
  readonly description: string;
  /** Completes "<VAR> must be …" when a value does not parse. */
  readonly expected: string;
  /** The value of the variable's text (undefined when unset or blank), or INVALID. */
  read(text: string | undefined): T | typeof INVALID;
}

type Spec<T> = Omit<Setting<T>, 'env' | 'read' | 'default'> & { parse: Parse<T> };

/** Blank counts as unset: `PORT= npm start` means "the default", not "port 0". */
function given(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function withDefault<T>(env: string, fallback: string, spec: Spec<T>): Setting<T> {
  return { env, default: fallback, description: spec.description, expected: spec.expected, read: (t) => spec.parse(given(t) ?? fallback) };
}

function optional<T>(env: string, spec: Spec<T>): Setting<T | undefined> {
  return {
    env,
    default: undefined,
    description: spec.description,
    expected: spec.expected,
    read: (t) => {
      const text = given(t);
      return text === undefined ? undefined : spec.parse(text);
    },
  };
}

// ---------------------------------------------------------------------------
// Parsers

const anyText: Parse<string> = (text) => text;
const resolvedPath: Parse<string> = (text) => path.resolve(text);

/** Cached interactions the worker's memory is sized for: RSS stays flat once the cache is full, whatever is open. */
export const CACHED_WORKFLOWS_CAP = 1000;
/** Worker RSS per cached interaction, measured (README "Performance"), rounded up. */
const KB_PER_CACHED_WORKFLOW = 400;

/** `HEARKEN_MAX_CACHED_WORKFLOWS=auto`: 1,000, or what a quarter of the machine's RAM holds if that is less. */
export function autoCachedWorkflows(totalBytes = os.totalmem()): number {
  const fits = Math.floor(totalBytes / 4 / (KB_PER_CACHED_WORKFLOW * 1024));
  return Math.max(100, Math.min(CACHED_WORKFLOWS_CAP, fits));
}

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): Parse<number> {
  return (text) => {
    const n = Number(text);
    return /^\d+$/u.test(text) && n >= min && n <= max ? n : INVALID;
  };
}

function list(separator: string): Parse<string[]> {
  return (text) => text.split(separator).filter(Boolean);
}

function oneOf<T extends string>(values: readonly T[]): Parse<T> {
  return (text) => ((values as readonly string[]).includes(text) ? (text as T) : INVALID);
}

const httpUrl: Parse<string> = (text) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? text : INVALID;
  } catch {
    return INVALID;
  }
};

const reachThresholds: Parse<ReachThresholds> = (text) => {
  const m = /^(\d+)\s*,\s*(\d+)$/u.exec(text);
  const medium = Number(m?.[1]);
  const high = Number(m?.[2]);
  return m && Number.isSafeInteger(medium) && Number.isSafeInteger(high) && medium >= 1 && high > medium ? { medium, high } : INVALID;
};

const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// ---------------------------------------------------------------------------
// The table, in the README's order

export const SETTINGS = {
  port: withDefault('PORT', '3000', {
    description: 'API port (`0`: any free port)',
    expected: 'a port number from 0 to 65535',
    parse: wholeNumber(0, 65_535),
  }),
  host: withDefault('HOST', '127.0.0.1', {
    description: "API bind address (and the worker's metrics port's)",
    expected: 'a host name or IP address',
    parse: anyText,
  }),
  workerMetricsPort: optional('HEARKEN_WORKER_METRICS_PORT', {
    description:
      "port of the worker's own `GET /metrics` (Prometheus), see [Metrics](#metrics); unset: `9464` in a process that runs the worker alone (`npm run worker`), none beside the API (`npm start`: the API's `/metrics` has the worker's metrics too); `0`: any free port (printed at start)",
    expected: 'a port number from 0 to 65535',
    parse: wholeNumber(0, 65_535),
  }),
  dataDir: withDefault('HEARKEN_DATA_DIR', './data', {
    description: 'dev server SQLite, `outbox.jsonl`, `notifications.jsonl`',
    expected: 'a folder',
    parse: resolvedPath,
  }),
  policiesDir: withDefault('HEARKEN_POLICIES_DIR', './policies', {
    description: 'the policy pack; reloaded on change or SIGHUP',
    expected: 'a folder',
    parse: resolvedPath,
  }),
  devServerPort: withDefault('HEARKEN_DEV_SERVER_PORT', '7233', {
    description: 'embedded dev server gRPC port; its UI on this port + 1000',
    // The UI port must exist too.
    expected: 'a port number from 1 to 64535',
    parse: wholeNumber(1, 64_535),
  }),
  idleCloseMs: withDefault('HEARKEN_IDLE_CLOSE_SECONDS', '86400', {
    description: 'how long a finished interaction waits for more posts of its thread before it closes',
    expected: 'a whole number of seconds',
    parse: (text) => {
      const seconds = wholeNumber(0)(text);
      return seconds === INVALID ? INVALID : seconds * 1000;
    },
  }),
  tokensFile: optional('HEARKEN_TOKENS_FILE', {
    description: "bearer tokens: people's (read, decide) and connectors' (capture); edit with `hearken token`, see [Access](#access)",
    expected: 'a file',
    parse: anyText,
  }),
  sessionSecret: optional('HEARKEN_SESSION_SECRET', {
    description:
      "signs the care desk's session cookies (at least 32 characters); unset: a random secret kept in `$HEARKEN_DATA_DIR/session-secret`, created on first start. API processes that share users set the same value (or share the data folder)",
    expected: 'at least 32 characters',
    parse: (text) => (text.length >= 32 ? text : INVALID),
  }),
  captureRatePerMinute: withDefault('HEARKEN_CAPTURE_RATE_LIMIT', '6000', {
    description: 'posts per minute per client IP on `POST /v1/posts`',
    expected: 'a whole number of posts per minute',
    parse: wholeNumber(0),
  }),
  authFailureLimit: withDefault('HEARKEN_AUTH_FAILURE_LIMIT', '20', {
    description:
      'wrong, malformed or expired bearer tokens per client IP within 5 minutes; after that, requests from that client that need a token get 429 until the 5 minutes are over',
    expected: 'a whole number of failed authentications, at least 1',
    parse: wholeNumber(1),
  }),
  databaseUrl: optional('HEARKEN_DATABASE_URL', {
    description:
      'a PostgreSQL database shared by every Hearken process on every host (`postgres://user:password@host:5432/hearken`): the outbox and notification ledgers live there instead of in the data folder, so a reply key is published once across hosts, and the rate limits are shared (see `HEARKEN_RATE_LIMIT_STORE`); tables are created on first use, see [Running on several hosts](#running-on-several-hosts)',
    expected: 'a postgres:// or postgresql:// URL',
    parse: (text) => {
      try {
        return ['postgres:', 'postgresql:'].includes(new URL(text).protocol) ? text : INVALID;
      } catch {
        return INVALID;
      }
    },
  }),
  rateLimitStore: optional('HEARKEN_RATE_LIMIT_STORE', {
    description:
      'where the capture, decision and failed-authentication counters live: `shared` (in `HEARKEN_DATABASE_URL`: the limits hold for all API processes together) or `process` (each API process counts alone: with N processes a client gets up to N times each limit); unset: `shared` when `HEARKEN_DATABASE_URL` is set, else `process`',
    expected: 'process or shared',
    parse: oneOf(['process', 'shared'] as const),
  }),
  reloadPollMs: withDefault('HEARKEN_RELOAD_POLL_SECONDS', '5', {
    description:
      "how often the tokens file and the policy pack are also checked for changes by looking (size, time, inode), besides the operating system's change events, which a shared network folder does not deliver for other hosts' writes; a revoked token is refused within this long on every API host; `0`: events only",
    expected: 'a whole number of seconds up to 3600',
    parse: (text) => {
      const seconds = wholeNumber(0, 3600)(text);
      return seconds === INVALID ? INVALID : seconds * 1000;
    },
  }),
  trustProxy: optional('HEARKEN_TRUST_PROXY', {
    description:
      'the load balancers or proxies in front of the API whose `X-Forwarded-For` names the client: a number of hops, or addresses and subnets (`10.0.0.0/8,loopback`); unset: none, and every client behind a proxy shares its address for the per-IP limits',
    expected: 'a number of hops, or a comma-separated list of IP addresses, subnets, loopback, linklocal or uniquelocal',
    parse: (text) => {
      if (/^\d{1,2}$/u.test(text)) return Number(text);
      const parts = text.split(',').map((p) => p.trim());
      const named = ['loopback', 'linklocal', 'uniquelocal'];
      return parts.every((p) => named.includes(p) || /^[0-9a-fA-F.:]+(\/\d{1,3})?$/u.test(p)) ? parts : INVALID;
    },
  }),
  captureTimeoutMs: withDefault('HEARKEN_CAPTURE_TIMEOUT_MS', '4000', {
    description: 'how long `POST /v1/posts` waits for Temporal before it answers 503 with `Retry-After` (at most 30000)',
    // Under 5 s by default: a connector learns of an outage before its own timeout.
    expected: 'a whole number of milliseconds from 100 to 30000',
    parse: wholeNumber(100, 30_000),
  }),
  temporalTimeoutMs: withDefault('HEARKEN_TEMPORAL_TIMEOUT_MS', '10000', {
    description:
      'how long any other API request waits for Temporal before it answers 503 with `Retry-After` (`/healthz` and `/metrics`: at most 2000)',
    expected: 'a whole number of milliseconds from 100 to 120000',
    parse: wholeNumber(100, 120_000),
  }),
  dedupMs: withDefault('HEARKEN_DEDUP_DAYS', '30', {
    description:
      'how long a post stays one post after its interaction closed: the same channel + id captured again is `200 duplicate:true`, as long as closed interactions are kept (`HEARKEN_RETENTION_DAYS`), see [Duplicates](#duplicates)',
    expected: 'a whole number of days up to 3650',
    parse: (text) => {
      const days = wholeNumber(0, 3650)(text);
      return days === INVALID ? INVALID : days * 86_400_000;
    },
  }),
  retentionMs: withDefault('HEARKEN_RETENTION_DAYS', '31', {
    description:
      "how long Temporal keeps a closed interaction (its posts, state and audit timeline) before deleting it; applied to the embedded dev server's namespace at every start; on a cluster it is the namespace's setting, see [Personal data](#personal-data). At least a day more than `HEARKEN_DEDUP_DAYS`, or a post redelivered after its interaction was deleted is taken as new",
    expected: 'a whole number of days from 1 to 3650',
    parse: (text) => {
      const days = wholeNumber(1, 3650)(text);
      return days === INVALID ? INVALID : days * 86_400_000;
    },
  }),
  maxHistoryEvents: withDefault('HEARKEN_MAX_HISTORY_EVENTS', '5000', {
    description: 'history length at which a long thread continues as new',
    expected: 'a whole number of events',
    parse: wholeNumber(0),
  }),
  maxCachedWorkflows: withDefault('HEARKEN_MAX_CACHED_WORKFLOWS', 'auto', {
    description:
      "interactions kept in the worker's memory (~400 KB each); evicted ones are replayed from history when their next timer or post arrives. `auto`: 1000, fewer on a machine with less than 1.6 GB of RAM (a quarter of it), so 10,000 open interactions stay under 1 GB of worker RSS; the SDK's own default grows with the heap limit and does not",
    expected: 'a whole number of workflows or auto',
    parse: (text) => (text === 'auto' ? autoCachedWorkflows() : wholeNumber(0)(text)),
  }),
  reachThresholds: withDefault('HEARKEN_REACH_THRESHOLDS', `${DEFAULT_REACH.medium},${DEFAULT_REACH.high}`, {
    description: 'follower counts at which reach becomes medium, high',
    expected: 'two follower counts "medium,high" with 0 < medium < high, like "1000,10000"',
    parse: reachThresholds,
  }),
  classifierUrl: optional('HEARKEN_CLASSIFIER_URL', {
    description:
      "a classifier service (your model behind HTTP) that the worker's triage asks about every post, see [Triage](#triage); unset, failing or slower than `HEARKEN_CLASSIFIER_TIMEOUT_MS`: the rules decide. The triage's `signals` say which did. The CLI stays rules-only",
    expected: 'an http(s) URL, like http://127.0.0.1:8000/classify',
    parse: httpUrl,
  }),
  classifierToken: optional('HEARKEN_CLASSIFIER_TOKEN', {
    description: 'sent to the classifier as `Authorization: Bearer …`',
    expected: 'a token',
    parse: anyText,
  }),
  classifierTimeoutMs: withDefault('HEARKEN_CLASSIFIER_TIMEOUT_MS', '2000', {
    description: 'how long triage waits for the classifier before the rules decide (at most 20000)',
    // Well inside the assessPost activity's 30 s, which also covers the rules and the plan.
    expected: 'a positive number of milliseconds up to 20000',
    parse: wholeNumber(1, 20_000),
  }),
  pulseFlushMs: withDefault('HEARKEN_PULSE_FLUSH_MS', '5000', {
    description:
      "how often each capturing process sends its per-minute counts to the brand's pulse in one signal; a crash loses at most this long of its counts, see [Pulse and crises](#pulse-and-crises)",
    expected: 'a whole number of milliseconds from 100 to 60000',
    parse: wholeNumber(100, 60_000),
  }),
  temporalAddress: optional('TEMPORAL_ADDRESS', {
    description: 'use this Temporal cluster instead of the embedded dev server',
    expected: 'host:port',
    parse: anyText,
  }),
  namespace: withDefault('TEMPORAL_NAMESPACE', 'default', {
    description: 'the Temporal namespace of every interaction',
    expected: 'a namespace',
    parse: anyText,
  }),
  taskQueue: withDefault('TEMPORAL_TASK_QUEUE', 'hearken', {
    description: "the worker's task queue",
    expected: 'a task queue name',
    parse: anyText,
  }),
  temporalCli: optional('TEMPORAL_CLI', {
    description: 'path of the `temporal` binary to use',
    expected: 'a path',
    parse: anyText,
  }),
  searchPath: optional('PATH', {
    description: 'where `temporal` is looked for after `TEMPORAL_CLI` and `.tools/bin`',
    expected: 'a list of folders',
    parse: list(path.delimiter),
  }),
  pathExts: withDefault('PATHEXT', '.EXE;.CMD;.BAT;.COM', {
    description: 'Windows only: the endings tried for `temporal` on `PATH`',
    expected: 'a list of file endings',
    parse: list(';'),
  }),
  logLevel: withDefault('LOG_LEVEL', 'info', {
    description: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    expected: `one of ${LOG_LEVELS.join(', ')}`,
    parse: oneOf(LOG_LEVELS),
  }),
} satisfies Record<string, Setting<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** Hearken's configuration: one typed value per entry of SETTINGS. */
export type Config = { [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** The settings `keys` only (the CLI needs a few); throws ConfigError naming every malformed one. */
export function readSettings<K extends SettingKey>(keys: readonly K[], env: Env = process.env): Pick<Config, K> {
  const values: Partial<Record<SettingKey, unknown>> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const setting: Setting<unknown> = SETTINGS[key];
    const text = env[setting.env];
    const value = setting.read(text);
    if (value === INVALID) problems.push(`${setting.env} must be ${setting.expected}; got ${JSON.stringify(text)}`);
    else values[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Pick<Config, K>;
}

/** Every setting, read and checked at once: a service start calls this first. */
export function loadConfig(env: Env = process.env): Config {
  const config = readSettings(Object.keys(SETTINGS) as SettingKey[], env);
  if (config.rateLimitStore === 'shared' && config.databaseUrl === undefined)
    throw new ConfigError(['HEARKEN_RATE_LIMIT_STORE must be "process" when HEARKEN_DATABASE_URL is unset; got "shared"']);
  return config;
}

/**
 * The secret a policy pack names as `${NAME}` (a webhook URL in teams.yaml),
 * undefined when unset or blank. Such names come from the pack, not from
 * SETTINGS, so they are looked up by name at load time.
 */
export function namedSecret(name: string, env: Env = process.env): string | undefined {
  return given(env[name]);
}
