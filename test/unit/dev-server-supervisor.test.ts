// The supervisor's decisions, with stand-in servers: restart on an unexpected
// exit, not on stop(), and give up (so the process exits non-zero) when the
// server keeps dying. The real restart on a real dev server is in
// test/integration/dev-server-supervision.test.ts.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { superviseDevServer } from '../../src/runtime/temporal/dev-server-supervisor';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function standIn() {
  let exit!: (info: Exit) => void;
  const exited = new Promise<Exit>((resolve) => (exit = resolve));
  let stopped = 0;
  const server: DevServer = {
    address: '127.0.0.1:1',
    uiUrl: null,
    exited,
    async stop() {
      stopped++;
      exit({ code: 0, signal: null });
    },
  };
  return { server, die: () => exit({ code: null, signal: 'SIGKILL' }), stopped: () => stopped };
}

const logger = pino({ level: 'silent' });
const tick = () => new Promise((r) => setTimeout(r, 30));

describe('dev server supervisor', () => {
  it('starts the server again when it dies on its own', async () => {
    const started: ReturnType<typeof standIn>[] = [];
    const sup = await superviseDevServer(
      async () => {
        const s = standIn();
        started.push(s);
        return s.server;
      },
      { logger, backoffMs: 1 },
    );
    started[0]!.die();
    await tick();
    expect(started).toHaveLength(2);
    expect(sup.restarts()).toBe(1);
    await sup.stop();
    expect(started[1]!.stopped()).toBe(1);
    await tick();
    expect(started).toHaveLength(2); // stop() is not a death
  });

  it('gives up when the server keeps dying, so the process can exit non-zero', async () => {
    const started: ReturnType<typeof standIn>[] = [];
    const sup = await superviseDevServer(
      async () => {
        const s = standIn();
        started.push(s);
        return s.server;
      },
      { logger, backoffMs: 1, maxRestarts: 2, windowMs: 60_000 },
    );
    for (let i = 0; i < 3; i++) {
      started[i]!.die();
      await tick();
    }
    await expect(sup.failed).rejects.toThrow(/died 3 times within 60 s; giving up/);
    expect(started).toHaveLength(3);
  });

  it('keeps trying when a restart itself fails, within the same budget', async () => {
    let calls = 0;
    const first = standIn();
    const sup = await superviseDevServer(
      async () => {
        calls++;
        if (calls === 1) return first.server;
        throw new Error('port still busy');
      },
      { logger, backoffMs: 1, maxRestarts: 3, windowMs: 60_000 },
    );
    first.die();
    await expect(sup.failed).rejects.toThrow(/giving up/);
    expect(calls).toBe(4); // the first start and three failed restarts
  });
});
