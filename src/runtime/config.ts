// Runtime configuration, read once from the environment (DESIGN.md "Running it").
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  policiesDir: string;
  tokensFile: string | undefined;
  /** Set: use this Temporal cluster. Unset: start the embedded dev server. */
  temporalAddress: string | undefined;
  devServerPort: number;
  namespace: string;
  taskQueue: string;
  /** Posts per minute per client IP accepted by POST /v1/posts (connectors deliver in bursts). */
  captureRatePerMinute: number;
  /** History length at which a quiet interaction continues as new. */
  maxHistoryEvents: number;
  /** Workflows kept in the worker's memory (~300 KB each); unset: the SDK's default. */
  maxCachedWorkflows: number | undefined;
  /** How long a finished interaction stays open for more posts of its thread before it closes. */
  idleCloseMs: number;
  logLevel: string;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.HEARKEN_DATA_DIR ?? './data'),
    policiesDir: path.resolve(env.HEARKEN_POLICIES_DIR ?? './policies'),
    tokensFile: env.HEARKEN_TOKENS_FILE || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    devServerPort: intFromEnv(env, 'HEARKEN_DEV_SERVER_PORT', 7233),
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'hearken',
    captureRatePerMinute: intFromEnv(env, 'HEARKEN_CAPTURE_RATE_LIMIT', 6000),
    maxHistoryEvents: intFromEnv(env, 'HEARKEN_MAX_HISTORY_EVENTS', 5_000),
    maxCachedWorkflows: env.HEARKEN_MAX_CACHED_WORKFLOWS ? intFromEnv(env, 'HEARKEN_MAX_CACHED_WORKFLOWS', 0) : undefined,
    idleCloseMs: intFromEnv(env, 'HEARKEN_IDLE_CLOSE_SECONDS', 24 * 3600) * 1000,
    logLevel: env.LOG_LEVEL || 'info',
  };
}
