// Starts Hearken (worker + API) in this process against a test dev server,
// with its own data folder, so tests drive it over HTTP like a user would.
//
// Its tokens file (unless a test brings its own, see tokens.ts) holds a
// viewer and an ingest token; getJson and postJson send them when a test
// gives no headers (pass {} for a request without a token).
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../src/runtime/config';
import { createLogger } from '../../src/runtime/logger';
import { startService, type RunningService, type ServiceOptions } from '../../src/runtime/service';
import { tempDir } from './temporal';
import { bearer, TEST_INGEST, TEST_VIEWER, writeTokensFile } from './tokens';

export const POLICIES_DIR = path.resolve(import.meta.dirname, '../../policies');

export interface TestService extends RunningService {
  config: Config;
  url: string;
}

export async function startTestService(opts: {
  temporalAddress: string;
  workflowBundle: WorkflowBundleWithSourceMap;
  policiesDir?: string;
  dataDir?: string;
  idleCloseSeconds?: number;
  worker?: boolean;
  taskQueue?: string;
  /** Default: a file with TEST_VIEWER and TEST_INGEST (tokens.ts). */
  tokensFile?: string;
  captureRatePerMinute?: number;
  maxHistoryEvents?: number;
  /** Default 127.0.0.1. */
  host?: string;
  authFailureLimit?: number;
  /** Default: pino at TEST_LOG_LEVEL (warn). */
  logger?: Logger;
  dedupDays?: number;
  /** Passed to startService: how connectors reach the platforms, and the listen round length. */
  connectorDeps?: ServiceOptions['connectorDeps'];
  listenRunMs?: number;
  /** More environment for loadConfig (e.g. HEARKEN_DATABASE_URL). */
  env?: Record<string, string>;
}): Promise<TestService> {
  const config = loadConfig({
    TEMPORAL_ADDRESS: opts.temporalAddress,
    PORT: '0',
    ...(opts.host !== undefined ? { HOST: opts.host } : {}),
    HEARKEN_TOKENS_FILE: opts.tokensFile ?? writeTokensFile(tempDir('tokens'), []),
    ...(opts.authFailureLimit !== undefined ? { HEARKEN_AUTH_FAILURE_LIMIT: String(opts.authFailureLimit) } : {}),
    HEARKEN_DATA_DIR: opts.dataDir ?? tempDir('data'),
    HEARKEN_POLICIES_DIR: opts.policiesDir ?? POLICIES_DIR,
    HEARKEN_IDLE_CLOSE_SECONDS: String(opts.idleCloseSeconds ?? 3600),
    TEMPORAL_TASK_QUEUE: opts.taskQueue ?? `test-${Math.random().toString(36).slice(2, 8)}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...(opts.maxHistoryEvents !== undefined ? { HEARKEN_MAX_HISTORY_EVENTS: String(opts.maxHistoryEvents) } : {}),
    ...(opts.captureRatePerMinute !== undefined ? { HEARKEN_CAPTURE_RATE_LIMIT: String(opts.captureRatePerMinute) } : {}),
    ...(opts.dedupDays !== undefined ? { HEARKEN_DEDUP_DAYS: String(opts.dedupDays) } : {}),
    ...opts.env,
  });
  const service = await startService({
    config,
    logger: opts.logger ?? createLogger(config.logLevel),
    worker: opts.worker ?? true,
    api: true,
    workflowBundle: opts.workflowBundle,
    ...(opts.connectorDeps ? { connectorDeps: opts.connectorDeps } : {}),
    ...(opts.listenRunMs !== undefined ? { listenRunMs: opts.listenRunMs } : {}),
  });
  return { ...service, config, url: service.apiUrl! };
}

/** POST as JSON; without `headers`, with the ingest token of the test tokens file. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = bearer(TEST_INGEST),
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** GET; without `headers`, with the viewer token of the test tokens file. */
export async function getJson(
  url: string,
  headers: Record<string, string> = bearer(TEST_VIEWER),
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
