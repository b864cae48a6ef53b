// Keeps the embedded dev server alive for `npm start`. If the server dies on
// its own (OOM killer, a crash, someone's `kill`), it is started again on the
// same port and the same SQLite file, so every open interaction carries on;
// clients and the worker reconnect by themselves. If it cannot be brought
// back, the supervisor gives up and says so, and the process exits non-zero:
// a process supervisor (systemd, Kubernetes) then notices, rather than a
// Hearken that answers 503 forever.
import type { Logger } from 'pino';
import type { DevServer } from './dev-server';

export interface SupervisorOptions {
  logger: Logger;
  /** Restarts allowed within `windowMs` before giving up; default 5. */
  maxRestarts?: number;
  windowMs?: number;
  /** Pause before each restart attempt, growing per attempt; default 500 ms. */
  backoffMs?: number;
}

export interface SupervisedDevServer {
  address: string;
  uiUrl: string | null;
  /** Restarts so far (for /healthz and the logs). */
  restarts(): number;
  /** Rejects when the server died and could not be restarted. Never resolves otherwise. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

export async function superviseDevServer(start: () => Promise<DevServer>, opts: SupervisorOptions): Promise<SupervisedDevServer> {
  const maxRestarts = opts.maxRestarts ?? 5;
  const windowMs = opts.windowMs ?? 10 * 60_000;
  const backoffMs = opts.backoffMs ?? 500;
  let current = await start();
  let stopping = false;
  let restarts = 0;
  const recent: number[] = [];
  let giveUp!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (giveUp = reject));
  failed.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  const watch = (server: DevServer): void => {
    void server.exited.then(async (info) => {
      if (stopping || server !== current) return;
      opts.logger.error(
        { code: info.code, signal: info.signal },
        'Temporal dev server exited unexpectedly; restarting it on the same data',
      );
      for (let attempt = 1; !stopping; attempt++) {
        const now = Date.now();
        while (recent.length && now - recent[0]! > windowMs) recent.shift();
        if (recent.length >= maxRestarts) {
          giveUp(new Error(`the Temporal dev server died ${recent.length + 1} times within ${Math.round(windowMs / 1000)} s; giving up`));
          return;
        }
        recent.push(now);
        await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt));
        if (stopping) return;
        try {
          current = await start();
          restarts++;
          opts.logger.warn({ restarts }, 'Temporal dev server restarted');
          watch(current);
          return;
        } catch (err) {
          opts.logger.error({ err, attempt }, 'Temporal dev server restart failed');
        }
      }
    });
  };
  watch(current);

  return {
    address: current.address,
    uiUrl: current.uiUrl,
    restarts: () => restarts,
    failed,
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}
