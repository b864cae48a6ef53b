// Two Hearken "hosts" (worker + API each, each with its own data folder, as on
// two machines) on one Temporal and one PostgreSQL (HEARKEN_DATABASE_URL):
// posts spread over both APIs are answered once each, the replies are rows of
// the shared ledger and in neither data folder, and the capture limit holds
// for both APIs together.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { bundleWorkflows } from '../../src/runtime/temporal/worker';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { eventually, postJson, startTestService, type TestService } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';
import { bearer, TEST_INGEST } from '../helpers/tokens';

const FIXTURE_PACK = path.resolve(import.meta.dirname, '../fixtures/packs/basic');
const run = temporalAvailable() && postgresAvailable() ? describe : describe.skip;

const post = (id: string) => ({
  channel: 'twitter',
  id,
  author: { id: `u-${id}`, handle: `jane${id}`, name: 'Jane' },
  text: '@sprintcare my phone has no signal since this morning',
  createdAt: new Date().toISOString(),
});

run('several hosts sharing PostgreSQL', () => {
  let server: DevServer;
  let bundle: WorkflowBundleWithSourceMap;
  let db: TestPostgres;
  let pool: pg.Pool;
  const hosts: TestService[] = [];
  const taskQueue = `hosts-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    [server, bundle, db] = await Promise.all([startTestServer(), bundleWorkflows(), startPostgres()]);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    for (let i = 0; i < 2; i++) {
      hosts.push(
        await startTestService({
          temporalAddress: server.address,
          workflowBundle: bundle,
          policiesDir: FIXTURE_PACK,
          taskQueue,
          captureRatePerMinute: 30,
          // Behind "a load balancer" on loopback: X-Forwarded-For names the client.
          env: { HEARKEN_DATABASE_URL: db.url, HEARKEN_TRUST_PROXY: 'loopback' },
        }),
      );
    }
  }, 180_000);

  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await pool?.end();
    await server?.stop();
    await db?.stop();
  });

  it('posts spread over both APIs are answered once each, in the shared ledger and in no data folder', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `h${i}`);
    const answers = await Promise.all(ids.map((id, i) => postJson(`${hosts[i % 2]!.url}/v1/posts`, post(id))));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 202));
    const rows = await eventually(
      async () => {
        const res = await pool.query<{ interaction: string; n: string }>(
          "SELECT record->>'interactionId' AS interaction, count(*) AS n FROM hearken_ledger WHERE ledger = 'outbox' GROUP BY 1",
        );
        return res.rows.length === ids.length ? res.rows : null;
      },
      60_000,
      'a reply for every post in PostgreSQL',
    );
    expect(rows.map((r) => r.interaction).sort()).toEqual(ids.map((id) => `twitter:${id}`).sort());
    expect(rows.every((r) => r.n === '1')).toBe(true);
    for (const h of hosts) {
      expect(h.ledgers.kind).toBe('postgres');
      expect(fs.existsSync(path.join(h.config.dataDir, 'outbox.jsonl'))).toBe(false);
    }
  });

  it('the capture limit (30/min per client) holds for both APIs together', async () => {
    // A client of its own (the balancer's X-Forwarded-For), so nothing earlier counts.
    const client = { ...bearer(TEST_INGEST), 'x-forwarded-for': '203.0.113.9' };
    const answers = await Promise.all(
      Array.from({ length: 36 }, (_, i) => postJson(`${hosts[i % 2]!.url}/v1/posts`, post(`limit${i}`), client).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 202)).toHaveLength(30);
    expect(answers.filter((s) => s === 429)).toHaveLength(6);
    // Another client behind the same balancer is not limited by it.
    const other = await postJson(`${hosts[0]!.url}/v1/posts`, post('other-client'), {
      ...bearer(TEST_INGEST),
      'x-forwarded-for': '203.0.113.10',
    });
    expect(other.status).toBe(202);
  });
});
