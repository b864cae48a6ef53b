// What must hold across hosts, on a real PostgreSQL (a private one started in
// a temporary folder, like the harness's Temporal dev server): the outbox's
// "never a key twice" between two processes with their own connection pools
// racing on the same keys, an erasure rewriting the ledger, and rate limits
// counted together by two API instances.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAuthLimit } from '../../src/api/auth/failed-auth-limit';
import { captureRateLimit, type LimitStores } from '../../src/api/http/limits';
import { OutboxChannel } from '../../src/channels/outbox';
import { openDatabase, type Database } from '../../src/store/database';
import { pgLedgers } from '../../src/store/pg-ledger';
import { PgRateLimitStore } from '../../src/store/pg-rate-limit-store';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temporal';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const available = postgresAvailable();

describe.skipIf(!available)('shared state in PostgreSQL', () => {
  let pg: TestPostgres;
  let a: Database;
  let b: Database;
  const servers: Server[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    // Two pools: what two processes on two hosts have. Both create the tables at once (the advisory lock).
    [a, b] = await Promise.all([openDatabase(pg.url), openDatabase(pg.url)]);
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it('two processes publishing the same 200 keys at once publish each key once', async () => {
    const start = path.join(tempDir('race'), 'go');
    const keys = Array.from({ length: 200 }, (_, i) => `race/${i}`);
    const racer = (order: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'test/helpers/ledger-racer.ts', pg.url, start, ...order], { cwd: ROOT });
    // One racer goes through the keys forwards, the other backwards: they collide all along.
    const racing = Promise.all([racer(keys), racer([...keys].reverse())]);
    // Both connected and waiting, then go.
    while (fs.readdirSync(path.dirname(start)).filter((f) => f.endsWith('.ready')).length < 2) await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(start, '');
    const results = (await racing).map((r) => JSON.parse(r.stdout) as { published: number; duplicates: number });
    expect(results[0]!.published + results[1]!.published).toBe(200);
    expect(results[0]!.duplicates + results[1]!.duplicates).toBe(200);
    const rows = await a.pool.query<{ n: string; keys: string }>(
      "SELECT count(*) AS n, count(DISTINCT idempotency_key) AS keys FROM hearken_ledger WHERE ledger = 'outbox' AND idempotency_key LIKE 'race/%'",
    );
    expect(rows.rows[0]).toEqual({ n: '200', keys: '200' });
  }, 60_000);

  it('a retry on another host finds the first publish: same message id, first text', async () => {
    const reply = {
      interactionId: 'twitter:9',
      postId: '9',
      channel: 'twitter',
      inReplyTo: '9',
      text: 'Hi',
      idempotencyKey: 'twitter:9/9/steps[0]',
    };
    const first = await new OutboxChannel(pgLedgers(a.pool)).publish(reply);
    const retry = await new OutboxChannel(pgLedgers(b.pool)).publish({ ...reply, text: 'Hi again' });
    expect(first.duplicate).toBe(false);
    expect(retry).toMatchObject({ duplicate: true, reply: { messageId: first.reply.messageId, text: 'Hi' } });
  });

  it('an erasure rewrites rows in place and keeps their keys, so nothing is published again', async () => {
    const outbox = pgLedgers(a.pool).open<{ idempotencyKey: string; interactionId: string; text: string; erasedAt?: string }>('outbox');
    await outbox.append({ idempotencyKey: 'erase/1', interactionId: 'twitter:erase', text: 'secret words' });
    const { changed } = await outbox.rewrite(({ record }) =>
      record?.interactionId === 'twitter:erase' ? { replace: { ...record, text: '', erasedAt: 'now' } } : 'keep',
    );
    expect(changed).toBe(1);
    const again = await pgLedgers(b.pool).open<{ idempotencyKey: string; interactionId: string; text: string }>('outbox').append({
      idempotencyKey: 'erase/1',
      interactionId: 'twitter:erase',
      text: 'secret words',
    });
    expect(again).toEqual({
      duplicate: true,
      record: { idempotencyKey: 'erase/1', interactionId: 'twitter:erase', text: '', erasedAt: 'now' },
    });
    const all = await outbox.all();
    expect(JSON.stringify(all)).not.toContain('secret words');
  });

  async function serve(app: express.Express): Promise<string> {
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/posts`;
  }

  function captureApp(db: Database, perMinute: number): express.Express {
    const stores: LimitStores = { store: (name) => new PgRateLimitStore(db.pool, `${name}-shared-test`) };
    const app = express();
    app.post('/v1/posts', captureRateLimit(perMinute, stores), (_req, res) => {
      res.status(202).json({});
    });
    return app;
  }

  it('the capture limit holds for two API processes together: 10/min means 10 in all, not 10 each', async () => {
    const urls = [await serve(captureApp(a, 10)), await serve(captureApp(b, 10))];
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => fetch(urls[i % 2]!, { method: 'POST' }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });

  it('per process (no shared store), the same two processes let 10 each through', async () => {
    const perProcess = () => {
      const app = express();
      app.post('/v1/posts', captureRateLimit(10), (_req, res) => {
        res.status(202).json({});
      });
      return app;
    };
    const urls = [await serve(perProcess()), await serve(perProcess())];
    const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => fetch(urls[i % 2]!, { method: 'POST' }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
  });

  it('failed authentications counted on one host block the client on the other', async () => {
    const onA = new FailedAuthLimit(3, 60_000, { store: new PgRateLimitStore(a.pool, 'auth-failure-test') });
    const onB = new FailedAuthLimit(3, 60_000, { store: new PgRateLimitStore(b.pool, 'auth-failure-test') });
    await onA.fail('ip:10.0.0.7');
    await onA.fail('ip:10.0.0.7');
    expect(await onB.retryAfter('ip:10.0.0.7')).toBe(0);
    await onB.fail('ip:10.0.0.7');
    const wait = await onA.retryAfter('ip:10.0.0.7');
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await onB.retryAfter('ip:10.0.0.8')).toBe(0);
  });

  it('a window that ended starts again at one hit', async () => {
    const store = new PgRateLimitStore(a.pool, 'window-test').withWindow(300);
    expect((await store.increment('k')).totalHits).toBe(1);
    expect((await store.increment('k')).totalHits).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    expect((await store.increment('k')).totalHits).toBe(1);
  });

  it('a database that does not answer lets requests through instead of refusing them', async () => {
    const broken = await openDatabase(pg.url);
    await broken.close();
    const errors: Error[] = [];
    const stores: LimitStores = { store: (name) => new PgRateLimitStore(broken.pool, name), onError: (err) => errors.push(err) };
    const app = express();
    app.post('/v1/posts', captureRateLimit(1, stores), (_req, res) => {
      res.status(202).json({});
    });
    const url = await serve(app);
    expect([(await fetch(url, { method: 'POST' })).status, (await fetch(url, { method: 'POST' })).status]).toEqual([202, 202]);
    expect(errors.length).toBeGreaterThan(0);
    const limit = new FailedAuthLimit(1, 60_000, { store: new PgRateLimitStore(broken.pool, 'x'), onError: (err) => errors.push(err) });
    await limit.fail('ip:1');
    expect(await limit.retryAfter('ip:1')).toBe(0);
  });
});
