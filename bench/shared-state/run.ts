// What the shared state of several hosts costs per request, on a private
// PostgreSQL started here (durable commits, fsync on, as in production):
// a rate-limit hit (HEARKEN_RATE_LIMIT_STORE=shared: one upsert per limited
// request) and an outbox append (HEARKEN_DATABASE_URL: one insert per reply),
// each measured sequentially and with 8 in flight, against the outbox file
// (lock + fsync). Prints one JSON object; not part of `npm run bench`.
//   npx tsx bench/shared-state/run.ts [--n 2000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonlLedger } from '../../src/channels/jsonl-ledger';
import { openDatabase } from '../../src/store/database';
import { pgLedgers } from '../../src/store/pg-ledger';
import { PgRateLimitStore } from '../../src/store/pg-rate-limit-store';
import { startPostgres } from '../../test/helpers/postgres';

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 2000;

async function measure(fn: (i: number) => Promise<unknown>, concurrency: number): Promise<{ p50: number; p99: number; perSecond: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  const q = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(2));
  return { p50: q(0.5), p99: q(0.99), perSecond: Math.round((N / elapsed) * 1000) };
}

const pg = await startPostgres({ fsync: true });
const db = await openDatabase(pg.url, { max: 8 });
try {
  const limits = new PgRateLimitStore(db.pool, 'bench').withWindow(60_000);
  const outbox = pgLedgers(db.pool).open<{ idempotencyKey: string; text: string }>('outbox');
  const file = new JsonlLedger<{ idempotencyKey: string; text: string }>(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hearken-bench-')), 'outbox.jsonl'),
  );
  const text = 'Hi Jane, sorry about this! We are on it and will get back to you by Wed 2 Dec, 08:43 CET.';
  const result = {
    n: N,
    load: os.loadavg().map((l) => Number(l.toFixed(2))),
    rateLimitHitMs: {
      sequential: await measure((i) => limits.increment(`ip:${i % 50}`), 1),
      concurrent8: await measure((i) => limits.increment(`ip:${i % 50}`), 8),
    },
    pgOutboxAppendMs: {
      sequential: await measure((i) => outbox.append({ idempotencyKey: `s${i}`, text }), 1),
      concurrent8: await measure((i) => outbox.append({ idempotencyKey: `c${i}`, text }), 8),
    },
    fileOutboxAppendMs: {
      sequential: await measure((i) => file.append({ idempotencyKey: `s${i}`, text }), 1),
      concurrent8: await measure((i) => file.append({ idempotencyKey: `c${i}`, text }), 8),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await db.close();
  await pg.stop();
}
