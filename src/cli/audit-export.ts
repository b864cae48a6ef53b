// `hearken audit export --since <time> [--out file]`: NDJSON of every
// interaction closed since then, one line each, with its whole timeline —
// for compliance archives. Reads Temporal directly (TEMPORAL_ADDRESS, default
// the embedded dev server's address); a Hearken worker must be running to
// answer the journal queries.
import fs from 'node:fs';
import { once } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { buildTimeline } from '../client/timeline';
import { vq } from '../client/visibility-query';
import { CliError, EXIT } from './errors';
import { cliSettings } from './settings';

export interface ExportOptions {
  since: string;
  out?: string;
  address?: string;
}

export async function exportAudit(opts: ExportOptions): Promise<number> {
  const since = Date.parse(opts.since);
  if (Number.isNaN(since)) throw new CliError(`--since: "${opts.since}" is not an ISO 8601 time (e.g. 2026-11-01T00:00:00Z)`, EXIT.usage);
  const config = cliSettings(['temporalAddress', 'devServerPort', 'namespace']);
  const address = opts.address ?? config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 5_000 });
  } catch (err) {
    throw new CliError(`cannot reach Temporal at ${address}: ${err instanceof Error ? err.message : String(err)} (set TEMPORAL_ADDRESS)`);
  }
  const out = opts.out ? fs.createWriteStream(opts.out, { flags: 'w' }) : process.stdout;
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  let count = 0;
  try {
    const client = new Client({ connection, namespace: config.namespace });
    const query = vq`WorkflowType = 'interaction' AND ExecutionStatus != 'Running' AND CloseTime >= ${new Date(since)}`.text;
    const seen = new Set<string>();
    for await (const wf of client.workflow.list({ query })) {
      // One line per interaction, even when several of its runs closed (continue-as-new).
      if (seen.has(wf.workflowId)) continue;
      seen.add(wf.workflowId);
      const timeline = await buildTimeline(client, wf.workflowId);
      await write(
        JSON.stringify({ interactionId: wf.workflowId, closedAt: wf.closeTime?.toISOString() ?? null, status: wf.status.name, timeline }) +
          '\n',
      );
      count++;
    }
  } finally {
    await connection.close();
    if (opts.out) {
      (out as fs.WriteStream).end();
      await once(out, 'finish');
    }
  }
  process.stderr.write(`exported ${count} interaction${count === 1 ? '' : 's'} closed since ${new Date(since).toISOString()}\n`);
  return EXIT.ok;
}
