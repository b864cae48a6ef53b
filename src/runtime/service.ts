// Starting and stopping Hearken's parts: the embedded dev server (unless a
// Temporal address is given), the worker, the API. `npm start` runs all of
// them in one process; `npm run worker` / `npm run api` one half each.
import fs from 'node:fs';
import os from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createApp } from '../api/app';
import { ensureTokensFile, isLoopbackHost, LastUsedLog, lastUsedFileFor, TokenStore } from '../api/auth';
import { ensureSessionSecret, SessionCodec } from '../api/auth/session';
import { DeskEvents } from '../api/desk/events';
import { listenApi } from '../api/http/server';
import { Notifier } from '../channels/notifier';
import { PauseReader } from '../client/controls';
import { OutboxChannel } from '../channels/outbox';
import { fileLedgers, type LedgerStore } from '../channels/ledger';
import type { LimitStores } from '../api/http/limits';
import { startWorkerReports, WorkerPacks } from '../client/worker-registry';
import { openDatabase, redactedUrl, type Database } from '../store/database';
import { pgLedgers } from '../store/pg-ledger';
import { PgRateLimitStore } from '../store/pg-rate-limit-store';
import type { ChannelAdapter } from '../channels/channel';
import { ChannelRouter, Connectors, type ConnectorDeps } from '../channels/connectors';
import { ensureListeners } from '../client/listeners';
import type { Config } from './config';
import { formatPackError } from '../policy/pack/load-pack';
import { PackStore } from '../policy/pack/pack-store';
import type { PolicyPack } from '../policy/types';
import { startDevServer } from './temporal/dev-server';
import { superviseDevServer } from './temporal/dev-server-supervisor';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { createWorker } from './temporal/worker';
import { connectApiClient } from './temporal/api-connection';
import { requireTemporalCli } from './temporal/binaries';
import { DEFAULT_WORKER_METRICS_PORT, serveMetrics } from './metrics-server';
import { startPulseFeed } from '../pulse/start';
import { CrisisReader } from '../client/crises';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  worker: boolean;
  api: boolean;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Where replies go on channels without a connected account; default: the outbox file in the data folder. */
  channel?: ChannelAdapter;
  /** How connectors reach the platforms (tests: through a lossy proxy). */
  connectorDeps?: ConnectorDeps;
  /** Length of one listen round (default 5 minutes); tests shorten it. */
  listenRunMs?: number;
  /** The worker's Temporal identity; default pid@host (tests running two workers in one process give each its own). */
  workerIdentity?: string;
}

export interface RunningService {
  temporalAddress: string;
  uiBaseUrl: string | null;
  apiUrl: string | null;
  /** The worker's own GET /metrics (HEARKEN_WORKER_METRICS_PORT), when this process serves one. */
  workerMetricsUrl: string | null;
  packs: PackStore;
  client: Client;
  /** Where the outbox and notification ledgers are: the data folder's files, or PostgreSQL. */
  ledgers: LedgerStore;
  /** The worker's Temporal identity (pid@host), as the worker registry and DescribeTaskQueue know it; null without a worker. */
  workerIdentity: string | null;
  /** Set when this start created the tokens file: the one time its token is shown. */
  createdToken: { file: string; name: string; token: string } | null;
  /** Whether capture took no token at start (loopback, no ingest token yet); null without the API. */
  captureWithoutToken: boolean | null;
  /** Rejects when a part died beyond repair (the embedded dev server could not be restarted). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const { config, logger } = opts;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stack.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, 'error during shutdown');
      }
    }
    stack.length = 0;
  };
  try {
    let address = config.temporalAddress;
    let uiBaseUrl: string | null = null;
    let failed: Promise<never> = new Promise<never>(() => undefined);
    if (!address) {
      const devServer = await superviseDevServer(
        () =>
          startDevServer({
            cli: requireTemporalCli(config),
            dataDir: config.dataDir,
            port: config.devServerPort,
            namespace: config.namespace,
            searchAttributes: SEARCH_ATTRIBUTES,
            // Closed interactions are deleted after this long (README "Personal data"); a
            // redelivered post is checked against them until then (src/client/capture.ts).
            retentionMs: config.retentionMs,
            log: (line) => logger.debug({ temporal: line }),
          }),
        { logger },
      );
      stack.push(() => devServer.stop());
      address = devServer.address;
      uiBaseUrl = devServer.uiUrl;
      failed = devServer.failed;
    }
    const packs = await PackStore.open(config.policiesDir);
    const reloadListeners: Array<(pack: PolicyPack) => void> = [];
    packs.watch(
      (event) => {
        if (event.ok) for (const listener of reloadListeners) listener(event.pack);
        if (event.ok) logger.info({ version: event.pack.version.id, previous: event.previous.id }, 'policy pack reloaded');
        else logger.error({ errors: event.errors.map(formatPackError) }, 'policy pack invalid; keeping the last good one');
      },
      { pollMs: config.reloadPollMs },
    );
    stack.push(async () => packs.close());

    // What must hold across hosts and is not Temporal's to hold (README "Running on several hosts").
    let database: Database | null = null;
    if (config.databaseUrl) {
      database = await openDatabase(config.databaseUrl);
      const db = database;
      stack.push(() => db.close());
      logger.info({ database: redactedUrl(config.databaseUrl) }, 'ledgers and shared limits in PostgreSQL');
    }
    const ledgers = database ? pgLedgers(database.pool) : fileLedgers(config.dataDir);

    const connection = await connectApiClient(address);
    stack.push(() => connection.close());
    const client = new Client({ connection, namespace: config.namespace });
    if (config.temporalAddress && opts.api) void warnOnShortRetention(client, config, logger);
    const crises = new CrisisReader(client);
    stack.push(startPulseFeed({ client, packs, crises, taskQueue: config.taskQueue, flushMs: config.pulseFlushMs, logger }));
    if (!config.temporalAddress && config.dedupMs >= config.retentionMs) {
      logger.warn(
        { retentionDays: config.retentionMs / 86_400_000, dedupDays: config.dedupMs / 86_400_000 },
        'HEARKEN_DEDUP_DAYS is not shorter than HEARKEN_RETENTION_DAYS: a post redelivered after its interaction was deleted is taken as new',
      );
    }

    let workerMetricsUrl: string | null = null;
    let workerIdentity: string | null = null;
    if (opts.worker) {
      const connectors = new Connectors(packs, opts.connectorDeps);
      // Set, not left to the SDK: the worker registry and the task queue's pollers must name it alike.
      const identity = opts.workerIdentity ?? `${process.pid}@${os.hostname()}`;
      workerIdentity = identity;
      if (config.temporalAddress && !database) {
        logger.info(
          { outbox: ledgers.open('outbox').where },
          'replies are recorded in the data folder: "never a key twice" holds for the workers that share this folder; set HEARKEN_DATABASE_URL for workers on several hosts',
        );
      }
      if (!runtimeInstalled) {
        // Core SDK logs through pino at warn and above.
        Runtime.install({ logger: new PinoAdapter(logger) as never });
        runtimeInstalled = true;
      }
      const nativeConnection = await NativeConnection.connect({ address });
      const worker: Worker = await createWorker({
        connection: nativeConnection,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        workflowBundle: opts.workflowBundle,
        identity,
        maxCachedWorkflows: config.maxCachedWorkflows,
        deps: {
          packs,
          channel: new ChannelRouter(connectors, opts.channel ?? new OutboxChannel(ledgers)),
          notifier: new Notifier(ledgers),
          listening: {
            connectors,
            client,
            capture: {
              taskQueue: config.taskQueue,
              idleCloseMs: config.idleCloseMs,
              maxHistoryEvents: config.maxHistoryEvents,
              dedupMs: config.dedupMs,
            },
          },
          triage: config,
          pauses: new PauseReader(client),
          crises,
          ...(uiBaseUrl ? { uiBaseUrl } : {}),
        },
      });
      if (config.classifierUrl) {
        // The origin only: a path or query may carry a key.
        logger.info(
          { classifier: new URL(config.classifierUrl).origin, timeoutMs: config.classifierTimeoutMs },
          'triage asks a classifier',
        );
      }
      const running = worker.run();
      // Listeners of connected accounts: started here and on each pack reload.
      const listen = (pack = packs.current()) =>
        ensureListeners(client, pack, {
          taskQueue: config.taskQueue,
          ...(opts.listenRunMs !== undefined ? { runMs: opts.listenRunMs } : {}),
        }).then(
          (ids) => ids.length > 0 && logger.info({ accounts: ids }, 'listening'),
          (err: unknown) => logger.error({ err }, 'could not start the listeners of connected accounts'),
        );
      await listen();
      reloadListeners.push((pack) => void listen(pack));
      // Which pack this worker runs, for GET /healthz and GET /v1/policies on any API host.
      let reportFailed = false;
      const reports = startWorkerReports({
        client,
        taskQueue: config.taskQueue,
        identity,
        version: () => packs.current().version.id,
        onError: (err) => {
          if (!reportFailed)
            logger.warn({ err }, 'could not report the pack version to the worker registry; retrying with the next report');
          reportFailed = true;
        },
      });
      reloadListeners.push(() => void reports.changed());
      stack.push(async () => reports.close());
      stack.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await nativeConnection.close();
      });
      running.catch((err: unknown) => logger.fatal({ err }, 'worker stopped'));
      // Beside the API its /metrics has the worker's too; alone, the worker serves its own.
      const metricsPort = config.workerMetricsPort ?? (opts.api ? undefined : DEFAULT_WORKER_METRICS_PORT);
      if (metricsPort !== undefined) {
        const metricsServer = await serveMetrics(metricsPort, config.host);
        workerMetricsUrl = metricsServer.url;
        stack.push(() => metricsServer.close());
      }
    }

    let apiUrl: string | null = null;
    let createdToken: RunningService['createdToken'] = null;
    let captureWithoutToken: boolean | null = null;
    if (opts.api) {
      let tokensFile = config.tokensFile;
      if (!tokensFile) {
        const ensured = await ensureTokensFile(config.dataDir);
        tokensFile = ensured.file;
        if (ensured.created) createdToken = { file: ensured.file, ...ensured.created };
      }
      if (config.temporalAddress && !config.tokensFile) {
        logger.warn(
          { tokensFile },
          'HEARKEN_TOKENS_FILE is unset: this API uses the tokens file of its own data folder. With API processes on several hosts, point HEARKEN_TOKENS_FILE at one file on shared storage so every host knows the same tokens and revocations',
        );
      }
      const tokens = await TokenStore.load(tokensFile);
      tokens.watch(
        (event) => {
          if (event.ok) logger.info({ users: event.users }, 'tokens file reloaded');
          else logger.error({ error: event.error.message }, 'tokens file invalid; keeping the previous users');
        },
        { pollMs: config.reloadPollMs },
      );
      stack.push(async () => tokens.close());
      let lastUsedFailed = false;
      const lastUsed = new LastUsedLog(lastUsedFileFor(tokens.file ?? tokensFile), {
        onError: (err) => {
          // Once: a read-only folder would say it every minute.
          if (!lastUsedFailed) logger.warn({ error: err.message }, 'cannot record when tokens were last used');
          lastUsedFailed = true;
        },
      });
      stack.push(() => lastUsed.close());
      const limitStores = sharedLimits(config, database, logger);
      if (limitStores) stack.push(async () => limitStores.close());
      const loopbackOnly = isLoopbackHost(config.host);
      captureWithoutToken = loopbackOnly && !tokens.hasIngestTokens();
      const sessions = new SessionCodec(config.sessionSecret ?? (await ensureSessionSecret(config.dataDir)));
      const deskEvents = new DeskEvents({ client, logger });
      const app = createApp({
        sessions,
        deskEvents,
        client,
        packs,
        tokens,
        loopbackOnly,
        authFailureLimit: config.authFailureLimit,
        lastUsed,
        ...(limitStores ? { limitStores } : {}),
        ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
        workerPacks: new WorkerPacks(client, config.namespace, config.taskQueue),
        captureRatePerMinute: config.captureRatePerMinute,
        connectors: new Connectors(packs, opts.connectorDeps),
        captureTimeoutMs: config.captureTimeoutMs,
        temporalTimeoutMs: config.temporalTimeoutMs,
        dedupMs: config.dedupMs,
        logger,
        namespace: config.namespace,
        taskQueue: config.taskQueue,
        idleCloseMs: config.idleCloseMs,
        maxHistoryEvents: config.maxHistoryEvents,
        ...(uiBaseUrl ? { uiBaseUrl } : {}),
      });
      const server: Server = await listenApi(app, config.port, config.host);
      const { port } = server.address() as AddressInfo;
      apiUrl = `http://${config.host}:${port}`;
      stack.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      // First (the stack unwinds backwards): open event streams would keep the server from closing.
      stack.push(async () => deskEvents.close());
    }
    return {
      temporalAddress: address,
      uiBaseUrl,
      apiUrl,
      workerMetricsUrl,
      packs,
      client,
      ledgers,
      workerIdentity,
      createdToken,
      captureWithoutToken,
      failed,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The rate-limit counters in PostgreSQL when HEARKEN_RATE_LIMIT_STORE says
 * `shared` (its default with HEARKEN_DATABASE_URL); null: each limiter counts
 * in this process's memory. A failing store lets requests through and is
 * logged at most once a minute.
 */
function sharedLimits(config: Config, database: Database | null, logger: Logger): (LimitStores & { close(): void }) | null {
  const kind = config.rateLimitStore ?? (database ? 'shared' : 'process');
  if (kind === 'process' || !database) return null;
  const pool = database.pool;
  let lastWarned = 0;
  const sweeper = new PgRateLimitStore(pool, 'sweep');
  // Ended windows are deleted by whichever process gets there: the table stays small.
  const sweep = setInterval(() => void sweeper.sweep().catch(() => undefined), 10 * 60_000);
  sweep.unref();
  return {
    store: (name) => new PgRateLimitStore(pool, name),
    onError: (err) => {
      if (Date.now() - lastWarned < 60_000) return;
      lastWarned = Date.now();
      logger.warn({ error: err.message }, 'shared rate-limit store failed; requests pass unlimited meanwhile');
    },
    close: () => clearInterval(sweep),
  };
}

/**
 * On a cluster the namespace's retention is the operator's: say so when it is
 * shorter than the dedup period, or not what HEARKEN_RETENTION_DAYS says.
 */
async function warnOnShortRetention(client: Client, config: Config, logger: Logger): Promise<void> {
  try {
    const ns = await client.withDeadline(Date.now() + 10_000, () =>
      client.workflowService.describeNamespace({ namespace: config.namespace }),
    );
    const seconds = Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    if (seconds * 1000 !== config.retentionMs) {
      logger.warn(
        { namespace: config.namespace, retentionDays: seconds / 86_400, wantedDays: config.retentionMs / 86_400_000 },
        "the namespace does not keep closed interactions for HEARKEN_RETENTION_DAYS (a cluster namespace is the operator's). " +
          'Set it: temporal operator namespace update --retention <days>d <namespace>',
      );
    }
    if (seconds * 1000 < config.dedupMs) {
      logger.warn(
        { namespace: config.namespace, retentionDays: seconds / 86_400, dedupDays: config.dedupMs / 86_400_000 },
        'the namespace keeps closed workflows for less than HEARKEN_DEDUP_DAYS: a post redelivered after that is taken as new. ' +
          'Raise it: temporal operator namespace update --retention <days>d <namespace>',
      );
    }
  } catch (err) {
    logger.warn({ err }, 'could not read the namespace retention');
  }
}

/** Routes the Temporal core's log lines through pino; its info chatter goes to debug. */
class PinoAdapter {
  constructor(private readonly pino: Logger) {}
  trace(message: string, meta?: object) {
    this.pino.trace(meta ?? {}, message);
  }
  debug(message: string, meta?: object) {
    this.pino.debug(meta ?? {}, message);
  }
  info(message: string, meta?: object) {
    this.pino.debug(meta ?? {}, message);
  }
  warn(message: string, meta?: object) {
    this.pino.warn(meta ?? {}, message);
  }
  error(message: string, meta?: object) {
    this.pino.error(meta ?? {}, message);
  }
  log(level: string, message: string, meta?: object) {
    this.pino.debug({ level, ...meta }, message);
  }
}
