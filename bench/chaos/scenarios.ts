// The faults, one scenario each. A scenario may set a condition before its
// load starts (`before`), injects its fault once its first `inFlight` posts are
// acknowledged while the load goes on (`inject`, which resolves at the moment
// of recovery), and undoes its condition after the verdict (`after`).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosSizes } from './config';
import type { Load } from './lib/capture';
import type { ChaosStack } from './lib/stack';

export interface ScenarioContext {
  stack: ChaosStack;
  sizes: ChaosSizes;
  /** Posts per second at saturation (bench/results or --saturation). */
  saturation: number;
  /** The steady rate of this run's load. */
  rate: number;
  load: Load;
  rand: () => number;
  log: (l: string) => void;
  /** Records a fault event (what, when) for the report. */
  event: (what: string) => void;
}

export interface Scenario {
  name: string;
  /** Only on this Temporal (default: both); the default set of `--cluster` is the cluster's. */
  only?: 'dev-server' | 'cluster';
  what: (sizes: ChaosSizes, saturation: number) => string;
  before?: (ctx: Omit<ScenarioContext, 'load'>) => Promise<void>;
  /** Injects the fault; resolves at recovery (epoch ms). */
  inject: (ctx: ScenarioContext) => Promise<number>;
  after?: (ctx: Omit<ScenarioContext, 'load'>) => Promise<void>;
}

const between = (rand: () => number, [min, max]: [number, number]) => min + rand() * (max - min);

export const SCENARIOS: Scenario[] = [
  {
    name: 'worker-sigkill',
    what: (s) =>
      `SIGKILL of the worker ${s.workerKills}× at random moments under load (${s.killGapMs[0] / 1000}–${s.killGapMs[1] / 1000} s after it was ready), restarted each time`,
    async inject(ctx) {
      let ready = Date.now();
      for (let k = 1; k <= ctx.sizes.workerKills; k++) {
        await sleep(between(ctx.rand, ctx.sizes.killGapMs));
        await ctx.stack.worker.kill();
        ctx.event(`worker SIGKILL #${k} (it ran ${Math.round((Date.now() - ready) / 100) / 10} s)`);
        await ctx.stack.worker.start();
        ready = Date.now();
        ctx.event(`worker #${k + 1} ready`);
      }
      return ready;
    },
  },
  {
    name: 'api-sigkill',
    what: () => 'SIGKILL of the API under load, restarted on the same port',
    async inject(ctx) {
      await ctx.stack.api.kill();
      ctx.event('API SIGKILL');
      await ctx.stack.api.start();
      ctx.event('API ready (/healthz 200)');
      return Date.now();
    },
  },
  {
    name: 'history-sigkill',
    only: 'cluster',
    what: () =>
      'SIGKILL of the Temporal history service (one of the four cluster processes) under load, ' +
      'restarted with the same config, as a process supervisor would',
    async inject(ctx) {
      await ctx.stack.server.kill();
      ctx.event('history service SIGKILL');
      await ctx.stack.server.start();
      ctx.event('history service restarted; it answers again (a describe through the frontend reaches it)');
      return Date.now();
    },
  },
  {
    name: 'dev-server-sigkill',
    only: 'dev-server',
    what: () =>
      "SIGKILL of the Temporal dev server under load; Hearken's supervisor (src/runtime/temporal/dev-server-supervisor.ts, " +
      'as `npm start` runs it) restarts it on the same SQLite file and port',
    async inject(ctx) {
      const before = ctx.stack.server.restarts();
      await ctx.stack.server.kill();
      ctx.event('dev server SIGKILL');
      const deadline = Date.now() + 60_000;
      while (ctx.stack.server.restarts() === before && !ctx.stack.server.failure() && Date.now() < deadline) await sleep(100);
      if (ctx.stack.server.restarts() > before) {
        ctx.event('dev server restarted by the supervisor (same SQLite file)');
      } else {
        ctx.event(
          `the supervisor did not restart the dev server within 60 s (${ctx.stack.server.failure()?.message ?? 'no error'}); the suite restarts it`,
        );
        await ctx.stack.server.start();
        ctx.event('dev server started by the suite (same SQLite file)');
      }
      return Date.now();
    },
  },
  {
    name: 'dev-server-sigstop',
    only: 'dev-server',
    what: (s) => `SIGSTOP of the Temporal dev server for ${s.sigstopMs / 1000} s under load, then SIGCONT`,
    async inject(ctx) {
      const pid = ctx.stack.server.pid();
      if (!pid) throw new Error('no dev server process to stop');
      process.kill(pid, 'SIGSTOP');
      ctx.event('dev server SIGSTOP');
      try {
        await sleep(ctx.sizes.sigstopMs);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      ctx.event('dev server SIGCONT');
      return Date.now();
    },
  },
  {
    name: 'webhook-down',
    what: (s) =>
      `the security team's webhook (teams.yaml \${SECURITY_WEBHOOK_URL}) answers 500 from the scenario's start; ` +
      `${s.conditionMs / 1000} s of load after the preload; still down through the verdict`,
    async before(ctx) {
      ctx.stack.webhook.setDown(true);
      ctx.event('webhook down (500)');
    },
    async inject(ctx) {
      await sleep(ctx.sizes.conditionMs);
      return Date.now();
    },
    async after(ctx) {
      ctx.stack.webhook.setDown(false);
      ctx.event('webhook up again');
    },
  },
  {
    name: 'flaky-channel',
    what: (s) =>
      `the channel fails 30 % of publishes (15 % before publishing, 15 % after the reply went out) from the scenario's start; ` +
      `${s.conditionMs / 1000} s of load after the preload; still flaky through the verdict`,
    async before(ctx) {
      ctx.stack.worker.setChannelFailRate(0.3);
      ctx.event('channel fails 30 % of publishes');
    },
    async inject(ctx) {
      await sleep(ctx.sizes.conditionMs);
      return Date.now();
    },
    async after(ctx) {
      ctx.stack.worker.setChannelFailRate(0);
      ctx.event('channel healthy again');
    },
  },
  {
    name: 'burst',
    what: (s, sat) =>
      `a burst of ${s.burstFactor}× the saturation rate (${Math.round(s.burstFactor * sat)} posts/s) for ${s.burstMs / 1000} s, ` +
      'then the steady rate again',
    async inject(ctx) {
      ctx.load.setRate(ctx.sizes.burstFactor * ctx.saturation);
      ctx.event(`burst at ${Math.round(ctx.sizes.burstFactor * ctx.saturation)} posts/s`);
      await sleep(ctx.sizes.burstMs);
      ctx.load.setRate(ctx.rate);
      ctx.event('burst over');
      return Date.now();
    },
  },
];
