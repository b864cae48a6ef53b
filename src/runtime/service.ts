// Starting and stopping Hearken's parts: the embedded dev server (unless a
// Temporal address is given), the worker, the API. `npm start` runs all of
// them in one process; `npm run worker` / `npm run api` one half each.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createApp } from '../api/app';
import { ensureTokensFile, isLoopbackHost, LastUsedLog, lastUsedFileFor, TokenStore } from '../api/auth';
import { listenApi } from '../api/http/server';
import { Notifier } from '../channels/notifier';
import { PauseReader } from '../client/controls';
import { OutboxChannel } from '../channels/outbox';
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
}

export interface RunningService {
  temporalAddress: string;
  uiBaseUrl: string | null;
  apiUrl: string | null;
  packs: PackStore;
  client: Client;
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
    let onReload: ((pack: PolicyPack) => void) | null = null;
    packs.watch((event) => {
      if (event.ok) onReload?.(event.pack);
      if (event.ok) logger.info({ version: event.pack.version.id, previous: event.previous.id }, 'policy pack reloaded');
      else logger.error({ errors: event.errors.map(formatPackError) }, 'policy pack invalid; keeping the last good one');
    });
    stack.push(async () => packs.close());

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

    if (opts.worker) {
      const connectors = new Connectors(packs, opts.connectorDeps);
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
        ...(config.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: config.maxCachedWorkflows } : {}),
        deps: {
          packs,
          channel: new ChannelRouter(connectors, opts.channel ?? new OutboxChannel(config.dataDir)),
          notifier: new Notifier(config.dataDir),
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
      onReload = (pack) => void listen(pack);
      stack.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await nativeConnection.close();
      });
      running.catch((err: unknown) => logger.fatal({ err }, 'worker stopped'));
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
      const tokens = await TokenStore.load(tokensFile);
      tokens.watch((event) => {
        if (event.ok) logger.info({ users: event.users }, 'tokens file reloaded');
        else logger.error({ error: event.error.message }, 'tokens file invalid; keeping the previous users');
      });
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
      const loopbackOnly = isLoopbackHost(config.host);
      captureWithoutToken = loopbackOnly && !tokens.hasIngestTokens();
      const app = createApp({
        client,
        packs,
        tokens,
        loopbackOnly,
        authFailureLimit: config.authFailureLimit,
        lastUsed,
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
    }
    return { temporalAddress: address, uiBaseUrl, apiUrl, packs, client, createdToken, captureWithoutToken, failed, stop };
  } catch (err) {
    await stop();
    throw err;
  }
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
