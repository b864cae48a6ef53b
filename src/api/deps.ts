// What the HTTP API needs from the rest of the process: built by the runtime
// (src/runtime/service.ts) or by a test, handed to createApp and to each route.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { PackStore } from '../policy/pack/pack-store';
import type { TokenStore } from './auth';
import type { Connectors } from '../channels/connectors';

export interface AppDeps {
  client: Client;
  packs: PackStore;
  tokens: TokenStore;
  logger: Logger;
  namespace: string;
  taskQueue: string;
  idleCloseMs: number;
  maxHistoryEvents: number;
  /** Posts per minute per client IP on POST /v1/posts. */
  captureRatePerMinute: number;
  /** Connected accounts (webhook sources, listener status). */
  connectors: Connectors;
  /** Temporal UI base URL for deep links, when known. */
  uiBaseUrl?: string;
}
