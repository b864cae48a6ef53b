// Shared entry-point logic: start the chosen parts, print where they are,
// stop cleanly on SIGINT / SIGTERM (worker drains, dev server stopped).
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startService } from './service';

export async function runUntilSignal(parts: { worker: boolean; api: boolean }): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = await startService({ config, logger, ...parts });
  const lines = [
    `Hearken is running (${[parts.worker && 'worker', parts.api && 'API'].filter(Boolean).join(' + ')}).`,
    service.apiUrl ? `  API:         ${service.apiUrl}` : null,
    service.workerMetricsUrl ? `  Metrics:     ${service.workerMetricsUrl} (the worker's)` : null,
    service.apiUrl ? `  Care desk:   ${service.apiUrl}/desk/ (log in with a person's token)` : null,
    `  Temporal:    ${service.temporalAddress} (namespace ${config.namespace}, task queue ${config.taskQueue})`,
    service.uiBaseUrl ? `  Temporal UI: ${service.uiBaseUrl}` : null,
    `  Policies:    ${config.policiesDir} (version ${service.packs.current().version.id})`,
    `  Data:        ${config.dataDir}`,
    service.captureWithoutToken === null
      ? null
      : `  Capture:     ${
          service.captureWithoutToken
            ? 'no token needed on loopback until an ingest token exists (hearken token add <name> --role ingest)'
            : 'ingest token required'
        }; reads and decisions need a person's token`,
  ].filter((l): l is string => l !== null);
  if (service.createdToken) {
    const t = service.createdToken;
    lines.push(
      '',
      `  Created ${t.file} with user "${t.name}" (admin of every team).`,
      `  Its bearer token is shown this once: ${t.token}`,
      '  Keep it somewhere safe; only its sha256 is stored.',
    );
  }
  console.log(lines.join('\n'));

  await new Promise<void>((resolve) => {
    let stoppingSince = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stoppingSince) {
        // Ctrl-C reaches every process of the group (npm, sh, node) and some
        // relay it: a repeat within a moment is the same request, not "force".
        if (Date.now() - stoppingSince < 3_000) return;
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stoppingSince = Date.now();
      logger.info({ signal }, 'shutting down');
      service.stop().then(resolve, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // A part that died beyond repair: stop the rest and exit non-zero, so a
    // process supervisor notices instead of a Hearken that answers 503 forever.
    service.failed.catch((err: unknown) => {
      logger.fatal({ err }, 'a part of Hearken failed; exiting');
      void service.stop().finally(() => process.exit(1));
    });
  });
  console.log('Hearken stopped.');
}

/**
 * The entry points' last word on a failed start: a bad setting is the
 * operator's to fix, so it gets its one line per variable and no stack
 * trace; anything else is a bug or an outage and keeps its stack.
 */
export function exitOnStartFailure(err: unknown): never {
  if (err instanceof ConfigError) for (const problem of err.problems) console.error(`Hearken did not start: ${problem}`);
  else console.error(err);
  process.exit(1);
}
