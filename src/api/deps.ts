// What the HTTP API needs from the rest of the process: built by the runtime
// (src/runtime/service.ts) or by a test, handed to createApp and to each route.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { PackStore } from '../policy/pack/pack-store';
import type { LastUsedLog, TokenStore } from './auth';
import type { SessionCodec } from './auth/session';
import type { DeskEvents } from './desk/events';
import type { Connectors } from '../channels/connectors';
import type { LimitStores } from './http/limits';
import type { WorkerPacks } from '../client/worker-registry';

export interface AppDeps {
  client: Client;
  packs: PackStore;
  tokens: TokenStore;
  logger: Logger;
  namespace: string;
  taskQueue: string;
  idleCloseMs: number;
  maxHistoryEvents: number;
  /** The API listens on loopback only: capture takes no token while no ingest token exists. Default false. */
  loopbackOnly?: boolean;
  /** Failed authentications per client IP within five minutes before 429 (HEARKEN_AUTH_FAILURE_LIMIT). */
  authFailureLimit?: number;
  /** Where each token's last use is recorded; none: not recorded. */
  lastUsed?: LastUsedLog;
  /** Posts per minute per client IP on POST /v1/posts. */
  captureRatePerMinute: number;
  /** How long POST /v1/posts waits for Temporal before answering 503. */
  captureTimeoutMs: number;
  /** How long any other request waits for Temporal before answering 503. */
  temporalTimeoutMs: number;
  /** How long after its interaction closed a post captured again is a duplicate. */
  dedupMs: number;
  /** Connected accounts (webhook sources, listener status). */
  connectors: Connectors;
  /**
   * Signs and checks the care desk's session cookies (HEARKEN_SESSION_SECRET);
   * none: a random secret of this process (sessions then work with this process only).
   */
  sessions?: SessionCodec;
  /** The care desk's live events (GET /v1/events); none: the app makes its own. */
  deskEvents?: DeskEvents;
  /** Temporal UI base URL for deep links, when known. */
  uiBaseUrl?: string;
  /** Shared rate-limit counters (HEARKEN_RATE_LIMIT_STORE=shared); none: each limit counts in this process's memory. */
  limitStores?: LimitStores;
  /** Express's `trust proxy` (HEARKEN_TRUST_PROXY): whose X-Forwarded-For names the client; none: the socket's address. */
  trustProxy?: number | string[];
  /** The pack version each live worker runs (GET /healthz, GET /v1/policies); none: not shown. */
  workerPacks?: WorkerPacks;
}
