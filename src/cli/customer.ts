// `hearken customer forget|export <channel> <authorId>`: a customer's data
// erased on request, or written out whole (README "Personal data"). Run it on
// the host that holds the data folder (outbox.jsonl, notifications.jsonl), or
// anywhere with HEARKEN_DATABASE_URL when the ledgers are in PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerStore } from '../channels/ledger';
import { exportCustomer } from '../client/export';
import { openDatabase } from '../store/database';
import { pgLedgers } from '../store/pg-ledger';
import { customerRuns, type CustomerRef } from '../client/customer-data';
import { forgetCustomer } from '../client/forget';
import { CliError, EXIT } from './errors';
import { printJson } from './common';
import { cliSettings } from './settings';
import { connectTemporal, operator, withWorker } from './temporal-client';

interface CustomerOptions {
  address?: string;
  dataDir?: string;
}

export async function forget(
  channel: string,
  authorId: string,
  opts: CustomerOptions & { by?: string; dryRun?: boolean },
): Promise<number> {
  const customer = checked(channel, authorId);
  const dataDir = dataDirOf(opts);
  const ledgers = await sharedLedgers();
  const t = await connectTemporal(opts.address);
  try {
    if (opts.dryRun) {
      const runs = await customerRuns(t.client, customer);
      printJson({ customer: `${channel}:${authorId}`, interactions: [...new Set(runs.map((r) => r.workflowId))], runs: runs.length });
      return EXIT.ok;
    }
    const report = await forgetCustomer({
      client: t.client,
      namespace: t.namespace,
      taskQueue: t.taskQueue,
      dataDir,
      ...(ledgers ? { ledgers: ledgers.store } : {}),
      customer,
      actor: operator(opts.by),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    printJson(report);
    if (report.erasureId === null) {
      process.stderr.write(
        `erased, but the erasure could not be recorded in the controls workflow: ${report.recordError ?? 'unknown error'}\n`,
      );
      return EXIT.failed;
    }
    process.stderr.write(`erased ${report.customer} in ${report.durationMs} ms; receipt ${report.erasureId}\n`);
    return EXIT.ok;
  } finally {
    await t.close();
    await ledgers?.close();
  }
}

export async function exportData(channel: string, authorId: string, opts: CustomerOptions & { out?: string }): Promise<number> {
  const customer = checked(channel, authorId);
  const dataDir = dataDirOf(opts);
  const ledgers = await sharedLedgers();
  const t = await connectTemporal(opts.address);
  try {
    const data = await withWorker(
      t,
      () => exportCustomer({ client: t.client, dataDir, customer, ...(ledgers ? { ledgers: ledgers.store } : {}) }),
      120_000,
    );
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (opts.out) fs.writeFileSync(opts.out, text, { mode: 0o600 });
    else process.stdout.write(text);
    process.stderr.write(
      `exported ${data.interactions.length} interaction${data.interactions.length === 1 ? '' : 's'}, ${data.outbox.length} replies and ${data.notifications.length} notifications of ${data.customer.key}\n`,
    );
    return EXIT.ok;
  } finally {
    await t.close();
    await ledgers?.close();
  }
}

/** The ledgers in PostgreSQL when HEARKEN_DATABASE_URL is set (then the data folder holds none). */
async function sharedLedgers(): Promise<{ store: LedgerStore; close(): Promise<void> } | null> {
  const { databaseUrl } = cliSettings(['databaseUrl']);
  if (!databaseUrl) return null;
  const db = await openDatabase(databaseUrl, { max: 2, applicationName: 'hearken-cli' });
  return { store: pgLedgers(db.pool), close: () => db.close() };
}

function checked(channel: string, authorId: string): CustomerRef {
  const plain = /^[^'"\\\s\p{Cc}]{1,300}$/u;
  if (!plain.test(channel) || !plain.test(authorId)) {
    throw new CliError('channel and authorId must be plain ids (no quotes, backslashes, spaces or control characters)', EXIT.usage);
  }
  return { channel, authorId };
}

function dataDirOf(opts: CustomerOptions): string {
  return opts.dataDir !== undefined ? path.resolve(opts.dataDir) : cliSettings(['dataDir']).dataDir;
}
