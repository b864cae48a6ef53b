// Starts Hearken (worker + API) in this process against a test dev server,
// with its own data folder, so tests drive it over HTTP like a user would.
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadConfig, type Config } from '../../src/runtime/config';
import { createLogger } from '../../src/runtime/logger';
import { startService, type RunningService } from '../../src/runtime/service';
import { tempDir } from './temporal';

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
  tokensFile?: string;
  captureRatePerMinute?: number;
  maxHistoryEvents?: number;
  dedupDays?: number;
}): Promise<TestService> {
  const config = loadConfig({
    TEMPORAL_ADDRESS: opts.temporalAddress,
    PORT: '0',
    HEARKEN_DATA_DIR: opts.dataDir ?? tempDir('data'),
    HEARKEN_POLICIES_DIR: opts.policiesDir ?? POLICIES_DIR,
    HEARKEN_IDLE_CLOSE_SECONDS: String(opts.idleCloseSeconds ?? 3600),
    TEMPORAL_TASK_QUEUE: opts.taskQueue ?? `test-${Math.random().toString(36).slice(2, 8)}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...(opts.tokensFile ? { HEARKEN_TOKENS_FILE: opts.tokensFile } : {}),
    ...(opts.maxHistoryEvents !== undefined ? { HEARKEN_MAX_HISTORY_EVENTS: String(opts.maxHistoryEvents) } : {}),
    ...(opts.captureRatePerMinute !== undefined ? { HEARKEN_CAPTURE_RATE_LIMIT: String(opts.captureRatePerMinute) } : {}),
    ...(opts.dedupDays !== undefined ? { HEARKEN_DEDUP_DAYS: String(opts.dedupDays) } : {}),
  });
  const service = await startService({
    config,
    logger: createLogger(config.logLevel),
    worker: opts.worker ?? true,
    api: true,
    workflowBundle: opts.workflowBundle,
  });
  return { ...service, config, url: service.apiUrl! };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
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
