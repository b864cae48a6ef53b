// The visibility query builder against a real dev server's visibility: any
// workflow id and any search-attribute value, however nasty, is found by a
// query the builder made, exactly that one, and never breaks the query (the
// unit test proves the escaping against a model of the parser; this proves
// the server reads it the same way). Ids the server's SQL store cannot
// compare exactly (a backslash or double quote) are still found, through
// runsById's prefix lookup.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { runsById } from '../../src/client/runs';
import { and, canMatch, vq } from '../../src/client/visibility-query';
import type { DevServer } from '../../src/runtime/temporal/dev-server';
import { SA } from '../../src/shared/search-attributes';
import { eventually } from '../helpers/service';
import { startTestServer, temporalAvailable } from '../helpers/temporal';

const run = temporalAvailable() ? describe : describe.skip;

// What ids and customer keys are made of (post.schema.json: no whitespace, "/" or control
// characters), with the characters that matter to a quoted literal, densely.
const NASTY = ["'", "''", '\\', "\\'", '"', '`', '%', '_', '*', ' OR 1=1 --', ')', '(', ';', '😀', 'ü', '\u2028', '\u202e', ':'];
const idLike = fc
  .oneof(
    fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), {
      minLength: 1,
      maxLength: 12,
    }),
    fc.constantFrom(["q\\'2"], ["it's"], ['\\'], ['"'], ["'"], ["\\\\'"], ["x' OR '1'='1"]),
  )
  .map((parts) => parts.join(''))
  .filter((s) => !/[\uD800-\uDFFF]/u.test(s) && Buffer.byteLength(s) <= 300);

run('visibility queries on a real dev server', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  /** A workflow nobody runs (no worker polls its queue), with this id and customer. */
  const start = async (id: string, customer: string) => {
    await client.workflow.start('interaction', {
      workflowId: id,
      taskQueue: 'nobody-polls-this',
      args: [],
      typedSearchAttributes: [{ key: SA.customer, value: customer }],
    });
  };
  /** Visibility is written a moment after a start: wait until a plain query sees workflows under this prefix. */
  const visible = async (prefix: string, count: number) => {
    const query = vq`WorkflowId STARTS_WITH ${prefix}`.text;
    await eventually(async () => Number((await client.workflow.count(query)).count) >= count, 10_000, `${prefix} in visibility`, 50);
  };

  it('any id and any customer value is found by the builder’s query, exactly', async () => {
    await fc.assert(
      fc.asyncProperty(idLike, idLike, async (idPart, customer) => {
        const tag = `fz${n++}:`;
        const id = tag + idPart;
        await start(id, customer);
        await visible(tag, 1);
        // Exactly the run with this id, whatever the id holds.
        const runs = [];
        for await (const wf of runsById(client, id)) runs.push(wf.workflowId);
        expect(runs, JSON.stringify(id)).toEqual([id]);
        if (canMatch(id)) {
          const direct = await client.workflowService.listWorkflowExecutions({ namespace: 'default', query: vq`WorkflowId = ${id}`.text });
          expect(
            direct.executions?.map((e) => e.execution?.workflowId),
            JSON.stringify(id),
          ).toEqual([id]);
        }
        if (canMatch(customer)) {
          const query = and(vq`HearkenCustomer = ${customer}`, vq`WorkflowId STARTS_WITH ${tag}`).text;
          const found = [];
          for await (const wf of client.workflow.list({ query })) found.push(wf.workflowId);
          expect(found, JSON.stringify(customer)).toEqual([id]);
        }
      }),
      { numRuns: 80, interruptAfterTimeLimit: 60_000 },
    );
  }, 120_000);

  it("the post id of the report (q\\'2) and its neighbours: found, and no query fails", async () => {
    const ids = ["twitter:q\\'2", "twitter:q'2", 'twitter:q\\2', 'twitter:q"2', "twitter:q\\\\'2"];
    for (const id of ids) await start(id, 'twitter:u');
    await visible('twitter:q', ids.length);
    for (const id of ids) {
      const runs = [];
      for await (const wf of runsById(client, id)) runs.push(wf.workflowId);
      expect(runs, id).toEqual([id]);
    }
    // A filter beside the id is kept on the prefix path too.
    const none = [];
    for await (const wf of runsById(client, 'twitter:q\\2', vq`ExecutionStatus = 'Completed'`)) none.push(wf);
    expect(none).toEqual([]);
  });
});
